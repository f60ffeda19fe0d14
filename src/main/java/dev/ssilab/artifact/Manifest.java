package dev.ssilab.artifact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The list of files a mirror serves, with their sizes and checksums.
 *
 * <p>Format (stable, version 1): UTF-8 text, one file a line, {@code SHA256  SIZE  NAME} separated by
 * two spaces (the first column is what {@code sha256sum} prints, so {@code sha256sum -c} can check a
 * download after dropping the size column); lines starting with {@code #} and blank lines are
 * ignored; entries are sorted by name; names are plain file names (no folder, no leading dot).
 */
public record Manifest(List<ManifestEntry> entries) {
    public static final String FILE_NAME = "MANIFEST";
    static final String HEADER = "# ssilab artifacts manifest, format 1: SHA256  SIZE  NAME";

    public Manifest {
        entries = entries.stream().sorted(Comparator.comparing(ManifestEntry::name)).toList();
    }

    /** Parses MANIFEST text; {@code source} (a path or URL) names it in the one-line error. */
    public static Manifest parse(String text, String source) {
        List<ManifestEntry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+", 3);
            try {
                if (f.length != 3) {
                    throw new IllegalArgumentException("expected 'SHA256  SIZE  NAME'");
                }
                long size;
                try {
                    size = Long.parseLong(f[1]);
                } catch (NumberFormatException nfe) { // its own message ("For input string: ...") is Java's, not ours
                    throw new IllegalArgumentException("size '" + f[1] + "' is not a number of bytes");
                }
                entries.add(new ManifestEntry(f[2], size, f[0].toLowerCase()));
            } catch (IllegalArgumentException e) {
                throw new ArtifactException("bad MANIFEST " + source + " line " + (i + 1) + ": "
                        + shortened(TerminalText.printable(e.getMessage())) // it quotes the line, which may hold escapes
                        + " (rebuild it with 'ssilab artifacts build')");
            }
        }
        return new Manifest(entries);
    }

    /** A message quoting a field of a line that may be as long as the MANIFEST itself: one readable line. */
    private static String shortened(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    public Optional<ManifestEntry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public String names() {
        return entries.stream().map(ManifestEntry::name).collect(Collectors.joining(", "));
    }

    public String format() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (ManifestEntry e : entries) {
            sb.append(e.line()).append('\n');
        }
        return sb.toString();
    }
}
