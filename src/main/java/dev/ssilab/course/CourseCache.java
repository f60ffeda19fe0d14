package dev.ssilab.course;

import dev.ssilab.state.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Courses as they were loaded, kept between runs: rendering and parsing every lesson is most of the
 * tutor's time to its first prompt, and the result only changes with the lesson files, the variables
 * and ssilab itself. An entry is named by a hash of all three, so an edited lesson, a cluster started
 * since (a new ${cluster.id}) or a rebuilt ssilab simply misses; only courses that loaded without a
 * problem are kept, and lint never reads the cache. Anything unreadable is a miss, never an error.
 */
final class CourseCache {
    private static final int FORMAT = 1;
    /** Entries kept: enough for the variables a learner goes through (no cluster, then 10001 running ...). */
    private static final int KEEP = 8;

    private final Path dir;
    private final String codeIdentity;

    private CourseCache(Path dir, String codeIdentity) {
        this.dir = dir;
        this.codeIdentity = codeIdentity;
    }

    /**
     * The cache in {@code dir}, or empty when ssilab does not run from a jar (its classes in a folder,
     * as in the tests, have no single date that says the parser is unchanged).
     */
    static Optional<CourseCache> in(Path dir) {
        try {
            Path code = Path.of(CourseCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(code)) {
                return Optional.empty();
            }
            return Optional.of(new CourseCache(dir, code + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** A cache whose entries are tied to {@code codeIdentity} instead of the jar's (tests run from class folders). */
    static CourseCache at(Path dir, String codeIdentity) {
        return new CourseCache(dir, codeIdentity);
    }

    /**
     * The key of a course folder read with {@code vars}; empty when the course may include files from
     * elsewhere (a FreeMarker include or import), whose changes the key would not see.
     */
    Optional<String> key(List<Path> files, Map<String, String> texts, Map<String, ?> vars) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            update(md, FORMAT + "\n" + codeIdentity + "\n" + new TreeMap<>(vars));
            for (Path f : files) {
                String text = texts.get(f.toString());
                if (text.contains("#include") || text.contains("#import")) {
                    return Optional.empty();
                }
                update(md, "\0" + f.toAbsolutePath() + "\0" + text);
            }
            return Optional.of(HexFormat.of().formatHex(md.digest()));
        } catch (NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
    }

    Optional<Course> read(String key) {
        Path file = dir.resolve(key);
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(decode(new DataInputStream(new ByteArrayInputStream(bytes))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void write(String key, Course course) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            encode(course, new DataOutputStream(bytes));
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(key), bytes.toByteArray());
            prune();
        } catch (IOException | RuntimeException e) {
            // A cache that cannot be written costs the next start its time, nothing else.
        }
    }

    /** Keeps the newest entries only. */
    private void prune() throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList());
        }
        if (entries.size() <= KEEP) {
            return;
        }
        entries.sort((a, b) -> Long.compare(modified(b), modified(a)));
        for (Path old : entries.subList(KEEP, entries.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void encode(Course c, DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        out.writeUTF(c.dir().toString());
        out.writeInt(c.lessons().size());
        for (Lesson l : c.lessons()) {
            out.writeUTF(l.id());
            writeLong(out, l.title());
            writeList(out, l.requires());
            writeList(out, l.backends());
            out.writeBoolean(l.downloads());
            out.writeUTF(l.file().toString());
            writeLong(out, l.intro());
            out.writeInt(l.steps().size());
            for (Step s : l.steps()) {
                writeLong(out, s.title());
                writeLong(out, s.prose());
                writeLong(out, s.narration());
                out.writeInt(s.blocks().size());
                for (Block b : s.blocks()) {
                    out.writeUTF(b.role().name());
                    writeLong(out, b.language() == null ? "\0" : b.language());
                    writeLong(out, b.code());
                    out.writeInt(b.target() instanceof Target.Node n ? n.number() : 0);
                    out.writeLong(b.timeout() == null ? -1 : b.timeout().toMillis());
                    out.writeInt(b.line());
                }
                writeList(out, s.hints());
                out.writeInt(s.line());
                writeList(out, s.backends());
                writeLong(out, s.elsewhere());
            }
        }
    }

    private static Course decode(DataInputStream in) throws IOException {
        if (in.readInt() != FORMAT) {
            throw new IOException("another format");
        }
        Path courseDir = Path.of(in.readUTF());
        int lessons = in.readInt();
        List<Lesson> ls = new ArrayList<>();
        for (int i = 0; i < lessons; i++) {
            String id = in.readUTF();
            String title = readLong(in);
            List<String> requires = readList(in);
            List<String> backends = readList(in);
            boolean downloads = in.readBoolean();
            Path file = Path.of(in.readUTF());
            String intro = readLong(in);
            int steps = in.readInt();
            List<Step> ss = new ArrayList<>();
            for (int j = 0; j < steps; j++) {
                String st = readLong(in);
                String prose = readLong(in);
                String narration = readLong(in);
                int blocks = in.readInt();
                List<Block> bs = new ArrayList<>();
                for (int k = 0; k < blocks; k++) {
                    Role role = Role.valueOf(in.readUTF());
                    String language = readLong(in);
                    String code = readLong(in);
                    int node = in.readInt();
                    long timeout = in.readLong();
                    int line = in.readInt();
                    bs.add(new Block(role, language.equals("\0") ? null : language, code, node == 0 ? Target.HOST : new Target.Node(node),
                            timeout < 0 ? null : Duration.ofMillis(timeout), line));
                }
                List<String> hints = readList(in);
                int line = in.readInt();
                List<String> stepBackends = readList(in);
                String elsewhere = readLong(in);
                ss.add(new Step(st, prose, narration, bs, hints, line, stepBackends, elsewhere));
            }
            ls.add(new Lesson(id, title, requires, backends, downloads, file, intro, ss));
        }
        return new Course(courseDir, ls);
    }

    /** writeUTF holds 64 KiB at most: a lesson's prose may be longer. */
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64 << 20) {
            throw new IOException("a string of " + n + " bytes");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void writeList(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeLong(out, s);
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("a list of " + n);
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readLong(in));
        }
        return list;
    }
}
