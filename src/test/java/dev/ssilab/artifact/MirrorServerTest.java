package dev.ssilab.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorServerTest {
    @TempDir
    Path tmp;

    private MirrorServer server;
    private byte[] data;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Path dir = tmp.resolve("artifacts");
        data = TestFiles.data(200_000, 7);
        TestFiles.write(dir.resolve("root_fs.ssi.bz2"), data);
        Files.writeString(dir.resolve("MANIFEST"), "# test\n");
        Files.writeString(tmp.resolve("secret"), "outside the served folder");
        Files.writeString(dir.resolve(".hidden"), "hidden");
        server = MirrorServer.start(dir, "127.0.0.1", 0, log::add);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpURLConnection get(String path, String range) throws IOException {
        HttpURLConnection c = (HttpURLConnection) server.url().resolve(path).toURL().openConnection();
        if (range != null) {
            c.setRequestProperty("Range", range);
        }
        return c;
    }

    @Test
    void servesWholeFilesWithLengthAndAcceptRanges() throws IOException {
        HttpURLConnection c = get("root_fs.ssi.bz2", null);
        assertEquals(200, c.getResponseCode());
        assertEquals(data.length, c.getContentLengthLong());
        assertEquals("bytes", c.getHeaderField("Accept-Ranges"));
        try (InputStream in = c.getInputStream()) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertTrue(server.url().toString().startsWith("http://127.0.0.1:"));
        long deadline = System.nanoTime() + 2_000_000_000L; // the line is logged just after the last byte
        while (log.stream().noneMatch(l -> l.contains("GET /root_fs.ssi.bz2 200 " + data.length)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("GET /root_fs.ssi.bz2 200 " + data.length)), log.toString());
    }

    @Test
    void answersRangesWith206AndContentRange() throws IOException {
        HttpURLConnection c = get("root_fs.ssi.bz2", "bytes=1000-");
        assertEquals(206, c.getResponseCode());
        assertEquals("bytes 1000-" + (data.length - 1) + "/" + data.length, c.getHeaderField("Content-Range"));
        try (InputStream in = c.getInputStream()) {
            assertArrayEquals(Arrays.copyOfRange(data, 1000, data.length), in.readAllBytes());
        }
        HttpURLConnection mid = get("root_fs.ssi.bz2", "bytes=10-19");
        assertEquals(206, mid.getResponseCode());
        try (InputStream in = mid.getInputStream()) {
            assertArrayEquals(Arrays.copyOfRange(data, 10, 20), in.readAllBytes());
        }
        HttpURLConnection suffix = get("root_fs.ssi.bz2", "bytes=-5");
        try (InputStream in = suffix.getInputStream()) {
            assertArrayEquals(Arrays.copyOfRange(data, data.length - 5, data.length), in.readAllBytes());
        }
    }

    @Test
    void badOrUnsatisfiableRangesGet416WithTheSize() throws IOException {
        for (String r : List.of("bytes=" + data.length + "-", "bytes=50-10", "bytes=abc", "items=1-2")) {
            HttpURLConnection c = get("root_fs.ssi.bz2", r);
            assertEquals(416, c.getResponseCode(), r);
            assertEquals("bytes */" + data.length, c.getHeaderField("Content-Range"), r);
        }
    }

    @Test
    void headGivesTheLengthWithoutABody() throws IOException {
        HttpURLConnection c = get("root_fs.ssi.bz2", null);
        c.setRequestMethod("HEAD");
        assertEquals(200, c.getResponseCode());
        assertEquals(data.length, c.getContentLengthLong());
    }

    @Test
    void unknownNamesGet404WithOneLine() throws IOException {
        HttpURLConnection c = get("nope.bz2", null);
        assertEquals(404, c.getResponseCode());
        try (InputStream in = c.getErrorStream()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("not found: nope.bz2 (see MANIFEST for what this mirror serves)\n", body);
        }
        assertEquals(404, get(".hidden", null).getResponseCode());
    }

    @Test
    void pathTraversalIsNotFound() throws IOException {
        for (String path : List.of("/../secret", "/%2e%2e/secret", "/..%2fsecret", "/artifacts/../secret", "/%2fetc%2fpasswd")) {
            String reply = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(reply.startsWith("HTTP/1.1 404") || reply.startsWith("HTTP/1.1 400"), path + " -> " + reply);
            assertTrue(!reply.contains("outside the served folder"), path);
        }
    }

    @Test
    void aLinkInTheFolderToAFileOutsideIsNotServedNorListed() throws IOException {
        Path outside = tmp.resolve("secret.txt");
        Files.writeString(outside, "not for the room\n");
        Files.createSymbolicLink(tmp.resolve("artifacts/leak"), outside);
        assertEquals(404, get("leak", null).getResponseCode());
        String index = raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(!index.contains("leak"), index);
    }

    @Test
    void otherMethodsAreRefused() throws IOException {
        String reply = raw("DELETE /MANIFEST HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 405"), reply);
    }

    @Test
    void refusesAFolderWithoutManifestAndABusyPort() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        ArtifactException e = assertThrows(ArtifactException.class, () -> MirrorServer.start(empty, "127.0.0.1", 0, s -> { }));
        assertTrue(e.getMessage().contains("ssilab artifacts build"), e.getMessage());
        ArtifactException busy = assertThrows(ArtifactException.class,
                () -> MirrorServer.start(server.dir(), "127.0.0.1", server.port(), s -> { }));
        assertTrue(busy.getMessage().contains("--port"), busy.getMessage());
    }

    private String raw(String request) throws IOException {
        URI u = server.url();
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void halfSentRequestsDoNotStarveTheMirrorAndAreCut() throws Exception {
        MirrorServer quick = MirrorServer.start(server.dir(), "127.0.0.1", 0, log::add, java.time.Duration.ofSeconds(2));
        List<Socket> slow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 45; i++) {
                Socket s = new Socket("127.0.0.1", quick.port());
                s.getOutputStream().write("GET /MANIFEST HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)); // never ends
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(300); // let the server take them all up
            long t0 = System.nanoTime();
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
                HttpURLConnection c = (HttpURLConnection) quick.url().resolve("MANIFEST").toURL().openConnection();
                c.setConnectTimeout(5000);
                c.setReadTimeout(5000);
                assertEquals(200, c.getResponseCode());
                try (InputStream in = c.getInputStream()) {
                    assertEquals("# test\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            });
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            // and the half-sent ones are closed once their time is up
            Socket first = slow.get(0);
            first.setSoTimeout(10_000);
            assertEquals(-1, first.getInputStream().read(), "a half-sent request is cut");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
            quick.stop();
        }
    }
}
