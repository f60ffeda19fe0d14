package dev.ssilab.cluster.uml;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A client of one UML kernel's mconsole: AF_UNIX datagrams in host byte order (magic 0xcafebabe,
 * version 2, length, text), replies read until their "more" flag is clear.
 */
final class Mconsole {
    private static final int MAGIC = 0xcafebabe;
    private static final int VERSION = 2;
    private final Path socket;

    /** A reply: UML's error flag and its text. */
    record Reply(boolean error, String text) {}

    Mconsole(Path socket) {
        this.socket = socket;
    }

    /** Sends one command (e.g. "cad", "version") and returns the whole reply. */
    Reply send(String command, int timeoutMillis) throws IOException {
        byte[] text = command.getBytes(StandardCharsets.US_ASCII);
        if (text.length >= 512) {
            throw new IOException("mconsole command too long: " + command.length() + " bytes");
        }
        ByteBuffer req = ByteBuffer.allocate(12 + text.length).order(ByteOrder.nativeOrder());
        req.putInt(MAGIC).putInt(VERSION).putInt(text.length).put(text);
        // UML replies only to a bound client: bind to a private path beside the server socket.
        Path self = socket.resolveSibling(".mc-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (AFUNIXDatagramSocket s = AFUNIXDatagramSocket.newInstance()) {
            s.bind(AFUNIXSocketAddress.of(self.toFile()));
            s.setSoTimeout(timeoutMillis);
            // A DatagramPacket cannot carry an AF_UNIX address: connect, then send without one.
            s.connect(AFUNIXSocketAddress.of(socket.toFile()));
            s.send(new DatagramPacket(req.array(), req.capacity()));
            StringBuilder out = new StringBuilder();
            boolean error = false;
            while (true) {
                byte[] buf = new byte[4096];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    throw new IOException("no mconsole reply from " + socket + " within " + timeoutMillis + " ms");
                }
                ByteBuffer rep = ByteBuffer.wrap(buf, 0, p.getLength()).order(ByteOrder.nativeOrder());
                int err = rep.getInt();
                int more = rep.getInt();
                int len = Math.min(rep.getInt(), rep.remaining());
                String part = new String(buf, 12, len, StandardCharsets.US_ASCII);
                out.append(part.endsWith("\0") ? part.substring(0, part.length() - 1) : part);
                error |= err != 0;
                if (more == 0) {
                    return new Reply(error, out.toString());
                }
            }
        } finally {
            Files.deleteIfExists(self);
        }
    }
}
