package dev.ssilab.cli;

import dev.ssilab.artifact.Downloader;
import dev.ssilab.artifact.FetchService;
import dev.ssilab.artifact.Progress;
import dev.ssilab.state.SsilabPaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ssilab fetch NAME|URL [-o FILE] [--mirror URL]...}: downloads one course file, checked against the MANIFEST. */
@Command(name = "fetch", mixinStandardHelpOptions = true, description = {
        "Download a course file (e.g. root_fs.ssi.bz2) from a mirror into the current folder.",
        "The file is checked against the mirror's MANIFEST (sha256) before it gets its name;",
        "an interrupted download resumes where it stopped."})
final class FetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|URL", description = "A name from the MANIFEST, or a full http:// URL.")
    String what;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Save as FILE (default: the name, in the current folder).")
    Path output;

    @Option(names = "--mirror", paramLabel = "URL", split = ",",
            description = "Mirror to use (repeat, or comma-separate, to try several in order; default: SSILAB_MIRROR).")
    List<String> mirrors;

    @Option(names = "--check", description = "Download nothing: verify the local file against the MANIFEST (exit 1 if missing or different).")
    boolean check;

    @Option(names = "--no-check", description = "For a URL that no MANIFEST beside it lists: save it anyway, UNCHECKED"
            + " (only its length is checked). Without it such a download is refused.")
    boolean noCheck;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        checkPorts(env);
        // A mistyped -o folder is refused, as 'rootfs build -o' does, rather than made.
        Path parent = output == null ? null : output.toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            throw new dev.ssilab.state.UserError("cannot save to " + output + ": folder " + parent
                    + " does not exist (create it first, or give another -o)");
        }
        String prog = spec.root().name();
        Progress.Factory bar = Progress.Factory.forTerminal(System.console() != null, env, System.err);
        Downloader downloader = new Downloader(bar, note -> System.err.println(prog + ": " + note));
        FetchService service = new FetchService(SsilabPaths.fromEnvironment(env), env, downloader,
                note -> System.err.println(prog + ": " + note));
        Downloader.Result r = service.fetch(what, output, mirrors, Path.of("").toAbsolutePath(), check, noCheck);
        if (r.alreadyPresent()) {
            System.out.println(r.file() + (check ? " matches" : " is already here and matches")
                    + " the MANIFEST (sha256 " + r.sha256() + ")");
            return 0;
        }
        double secs = Math.max(1e-3, r.elapsed().toNanos() / 1e9);
        if (!r.checked()) {
            System.out.printf(Locale.ROOT, "Saved %s (%d bytes, UNCHECKED: no MANIFEST lists it; sha256 %s) from %s in %.1f s%n",
                    r.file(), r.size(), r.sha256(), r.source(), secs);
            return 0;
        }
        System.out.printf(Locale.ROOT, "Saved %s (%d bytes, sha256 %s verified) from %s in %.1f s (%.1f MB/s)%s%n",
                r.file(), r.size(), r.sha256().substring(0, 16) + "...", r.source(), secs,
                r.transferred() / secs / 1e6, r.resumedFrom() > 0 ? ", resumed at byte " + r.resumedFrom() : "");
        return 0;
    }

    private void checkPorts(Map<String, String> env) {
        if (what.contains("://")) {
            UrlPorts.check(what, "URL");
        }
        List<String> given = mirrors != null && !mirrors.isEmpty() ? mirrors
                : env.get("SSILAB_MIRROR") != null ? List.of(env.get("SSILAB_MIRROR").split(",")) : List.of();
        String source = mirrors != null && !mirrors.isEmpty() ? "--mirror URL" : "SSILAB_MIRROR URL";
        for (String m : given) {
            if (!m.isBlank()) {
                UrlPorts.check(m, source);
            }
        }
    }
}
