package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * apt-get and apt-cache on Debian unstable through a private configuration (own sources list, package
 * lists and cache under one folder), so the machine's own apt sources are never touched.
 *
 * <p>The mirror is the one the machine already uses for Debian (read from /etc/apt), or
 * {@code SSILAB_DEBIAN_MIRROR}.
 */
final class PrivateApt {
    private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
    private final Path dir;

    PrivateApt(Path dir) {
        this.dir = dir;
    }

    /** Writes the private sources list and fetches unstable's package lists (binary packages). */
    void update(String mirror) {
        update(mirror, "deb");
    }

    /** The same for source packages ({@code deb-src}): what {@link #sourceFiles} and {@link #downloadSource} read. */
    void updateSources(String mirror) {
        update(mirror, "deb-src");
    }

    private void update(String mirror, String type) {
        try {
            Files.createDirectories(dir.resolve("lists/partial"));
            Files.createDirectories(dir.resolve("cache/archives/partial"));
            Files.createDirectories(dir.resolve("sources.list.d"));
            String signedBy = Files.isRegularFile(Path.of(KEYRING)) ? "[signed-by=" + KEYRING + "] " : "";
            Files.writeString(dir.resolve("sources.list"), type + " " + signedBy + mirror + " unstable main\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HostCommand.Result r = HostCommand.run(argv("apt-get", "-q", "--error-on=any", "update"), null, 600);
        if (!r.ok()) {
            String why = r.output().lines().filter(l -> l.contains("Failed to fetch") || l.contains("Could not")
                    || l.contains("NO_PUBKEY") || l.contains("Temporary failure")).findFirst().orElse(lastLine(r.output()));
            throw new UserError("apt-get update of Debian unstable failed (" + why.strip()
                    + "): check the network, or set SSILAB_DEBIAN_MIRROR to a Debian mirror URL");
        }
    }

    /** Names of the packages whose name matches the regular expression. */
    List<String> packagesNamed(String regex) {
        HostCommand.Result r = HostCommand.run(argv("apt-cache", "search", "--names-only", regex), null, 120);
        List<String> names = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash > 0) {
                names.add(line.substring(0, dash).trim());
            }
        }
        return names;
    }

    /** The candidate version of a package in unstable. */
    String version(String pkg) {
        HostCommand.Result r = HostCommand.run(argv("apt-cache", "show", "--no-all-versions", pkg), null, 120);
        Matcher m = Pattern.compile("(?m)^Version: (\\S+)").matcher(r.output());
        if (!r.ok() || !m.find()) {
            throw new UserError("apt-cache knows no version of " + pkg + " in Debian unstable: " + lastLine(r.output()));
        }
        return m.group(1);
    }

    /** A source package in unstable: its version and its files (name -> SHA-256), from the Sources index. */
    record SourcePackage(String version, java.util.Map<String, String> sha256) {
        /** The upstream tarball's name ({@code criu_4.2.1.orig.tar.xz}). */
        String origTarball() {
            return sha256.keySet().stream().filter(n -> n.contains(".orig.tar.")).findFirst()
                    .orElseThrow(() -> new UserError("Debian's source package of version " + version + " has no .orig tarball"));
        }
    }

    /** The newest version of source package {@code pkg} in unstable and the SHA-256 of each of its files. */
    SourcePackage sourceFiles(String pkg) {
        HostCommand.Result r = HostCommand.run(argv("apt-cache", "showsrc", "--only-source", pkg), null, 120);
        if (!r.ok() || r.output().isBlank()) {
            throw new UserError("apt-cache knows no source package " + pkg + " in Debian unstable: " + lastLine(r.output()));
        }
        // one stanza per version; the newest is the one with the highest version, which apt lists first
        String stanza = r.output().split("\n\\s*\n")[0];
        Matcher v = Pattern.compile("(?m)^Version: (\\S+)").matcher(stanza);
        Matcher block = Pattern.compile("(?ms)^Checksums-Sha256:\\n((?: .*?\\n)+)").matcher(stanza + "\n");
        if (!v.find() || !block.find()) {
            throw new UserError("cannot read the source package " + pkg + " in apt-cache showsrc's answer: " + lastLine(stanza));
        }
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        for (String line : block.group(1).split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length == 3) {
                files.put(w[2], w[0]);
            }
        }
        return new SourcePackage(v.group(1), files);
    }

    /**
     * Downloads the source package's files into {@code into} ({@code apt-get source --download-only},
     * which checks them against the index). A mirror may lack a file the upstream tarball does not need
     * (Debian's packaging): the download counts as done when the .orig tarball is there.
     */
    Path downloadSource(String pkg, SourcePackage source, Path into) {
        HostCommand.Result r = HostCommand.run(argv("apt-get", "-q", "source", "--download-only", pkg + "=" + source.version()), into, 1800);
        Path orig = into.resolve(source.origTarball());
        if (!Files.isRegularFile(orig)) {
            throw new UserError("apt-get source " + pkg + " did not download " + orig.getFileName() + ": " + lastLine(r.output()));
        }
        return orig;
    }

    /** Downloads a package's .deb into {@code into} and returns its path. */
    Path download(String pkg, Path into) {
        HostCommand.Result r = HostCommand.run(argv("apt-get", "-q", "download", pkg), into, 1800);
        if (!r.ok()) {
            throw new UserError("apt-get download " + pkg + " failed: " + lastLine(r.output()));
        }
        try (Stream<Path> files = Files.list(into)) {
            return files.filter(f -> f.getFileName().toString().startsWith(pkg + "_")
                            && f.getFileName().toString().endsWith(".deb"))
                    .findFirst()
                    .orElseThrow(() -> new UserError("apt-get download " + pkg + " left no .deb in " + into));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> argv(String program, String... args) {
        List<String> argv = new ArrayList<>(List.of(program,
                "-o", "Dir::Etc::SourceList=" + dir.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + dir.resolve("sources.list.d"),
                "-o", "Dir::State::Lists=" + dir.resolve("lists"),
                "-o", "Dir::Cache=" + dir.resolve("cache"),
                "-o", "Dir::Cache::archives=" + dir.resolve("cache/archives"),
                "-o", "Acquire::Languages=none",
                // our folders may sit where apt's _apt user cannot write (e.g. under /root)
                "-o", "APT::Sandbox::User=root",
                "-o", "APT::Get::List-Cleanup=false"));
        argv.addAll(List.of(args));
        return argv;
    }

    /** The Debian mirror the machine uses: SSILAB_DEBIAN_MIRROR, else the first Debian archive in /etc/apt. */
    static String machineMirror(java.util.Map<String, String> env, Path etcApt) {
        String override = env.get("SSILAB_DEBIAN_MIRROR");
        if (override != null && !override.isBlank()) {
            return override.trim();
        }
        List<Path> files = new ArrayList<>();
        files.add(etcApt.resolve("sources.list"));
        try (Stream<Path> parts = Files.list(etcApt.resolve("sources.list.d"))) {
            parts.sorted().forEach(files::add);
        } catch (IOException e) {
            // no sources.list.d: only sources.list
        }
        Pattern oneLine = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+(\\S+)");
        Pattern uris = Pattern.compile("(?m)^URIs:\\s*(\\S+)");
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!Files.isRegularFile(f) || !(name.endsWith(".list") || name.endsWith(".sources"))) {
                continue;
            }
            String text;
            try {
                text = Files.readString(f);
            } catch (IOException e) {
                continue;
            }
            // The main archive, not the security one: its suites are plain codenames.
            for (String stanza : text.split("\n\\s*\n")) {
                Matcher u = uris.matcher(stanza);
                if (u.find() && stanza.contains("/debian") && !stanza.contains("-security")) {
                    return u.group(1);
                }
            }
            Matcher m = oneLine.matcher(text);
            while (m.find()) {
                if (m.group(1).contains("/debian") && !m.group(2).contains("security")) {
                    return m.group(1);
                }
            }
        }
        throw new UserError("found no Debian mirror in " + etcApt
                + ": set SSILAB_DEBIAN_MIRROR to the URL of a Debian archive");
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines.length == 0 ? "no output" : lines[lines.length - 1].strip();
    }
}
