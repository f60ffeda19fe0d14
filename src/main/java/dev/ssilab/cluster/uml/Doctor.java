package dev.ssilab.cluster.uml;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Says whether real nodes work on this machine: finds the kernel and the root image, then boots one
 * node for real and runs a command on it; when something fails, says why and how to fix it.
 */
public final class Doctor {
    private final SsilabPaths paths;
    private final Consumer<String> progress;

    /** The verdict: ok, or the reason and the fix. */
    public record Report(boolean ok, String reason, String fix) {}

    public Doctor(SsilabPaths paths, Consumer<String> progress) {
        this.paths = paths;
        this.progress = progress;
    }

    /**
     * @param kernel -k KERNEL, or null for the installed one
     * @param root the root image to boot
     */
    /** UML kernels before 7.x die on CPUs whose XSTATE includes AMX tiles. */
    static boolean cpuHasAmx() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" amx_tile");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Whether processes migrate between real nodes here: CRIU installed, then two nodes booted for
     * real and a process moved from one to the other with migrate (a checkpoint and a restore), its
     * pid and its work going on. Call after {@link #check} said the nodes work.
     */
    public Report checkMigration(Path kernel, Path root) {
        CriuStore criu = new CriuStore(paths);
        if (criu.current().isEmpty()) {
            return new Report(false, "CRIU is not installed (" + criu.root() + "), and the nodes migrate processes with it",
                    "run 'ssilab criu install' (about a minute)");
        }
        return onProbeCluster(UmlBackendProvider.resolveKernel(kernel, paths), root, 2, backend -> {
            String pid = run(backend, 1, "setsid sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/probe; sleep 0.1; done'"
                    + " </dev/null >/dev/null 2>&1 & echo $!").strip();
            String moved = run(backend, 1, "sleep 0.3; SSI_MIGRATE_STATS=1 migrate " + pid + " 2 2>&1").strip();
            String where = run(backend, 1, "where_pid " + pid + " 2>&1").strip();
            String counting = run(backend, 2, COUNTER_GOES_ON).strip();
            if (!moved.startsWith("migrate: pid " + pid + " node 1 -> 2: total ") || !where.equals("2") || !counting.startsWith("yes")) {
                String why = moved.startsWith("migrate: pid") ? "the process did not go on on node 2 (where_pid: " + where
                        + ", its counter: " + counting.replace('\n', ' ') + ")"
                        : moved.isEmpty() ? "migrate said nothing" : moved.lines().findFirst().orElse(moved);
                return new Report(false, "a process could not move between two real nodes: " + why,
                        "run 'ssilab kernel status' and 'ssilab criu status', and install what they say is missing or old");
            }
            progress.accept("Migration probe: " + moved.substring("migrate: ".length()));
            return new Report(true, "processes migrate between real nodes here (CRIU)", "");
        });
    }

    /**
     * Prints "yes A B" once the probe's counter is seen to go up within 5 s, else the values it saw.
     * The writer's {@code echo >} truncates before it writes, so a read can find the file empty: such
     * a read is no evidence either way and is skipped, not compared.
     */
    private static final String COUNTER_GOES_ON = "a=; seen=; for t in $(seq 50); do b=$(cat /tmp/probe 2>/dev/null);"
            + " case \"$b\" in ''|*[!0-9]*) seen=\"$seen '$b'\"; sleep 0.1; continue;; esac;"
            + " if [ -z \"$a\" ]; then a=$b; elif [ \"$b\" -gt \"$a\" ]; then echo yes $a $b; exit 0; fi;"
            + " sleep 0.1; done; echo \"first ${a:-none}, then ${b:-none} 5 s later (empty reads:${seen:- none})\"";

    /** What a probe does with its booted nodes: the verdict. */
    private interface ProbeWork {
        Report on(UmlBackend backend);
    }

    /**
     * Boots NODES real nodes of a throwaway cluster on the root image (its swap files go beside a
     * private link to the image, not beside the learner's), runs the work, and removes it all.
     */
    private Report onProbeCluster(Path kernel, Path root, int nodes, ProbeWork work) {
        Path probeDir;
        try {
            probeDir = Files.createTempDirectory("ssilab-doctor");
        } catch (java.io.IOException e) {
            return new Report(false, "cannot create a temp folder: " + e.getMessage(), "check TMPDIR and free space");
        }
        UmlBackend backend = null;
        try {
            Path probeRoot = probeDir.resolve("root_fs");
            Files.createSymbolicLink(probeRoot, root.toAbsolutePath().normalize());
            backend = new UmlBackend(0, probeDir.resolve("cluster"), probeRoot, kernel, null, 8, 64);
            backend.boot(java.util.stream.IntStream.rangeClosed(1, nodes).boxed().toList());
            return work.on(backend);
        } catch (UserError e) {
            String msg = e.getMessage();
            String fix = msg.contains("ssilab kernel install") ? "run 'ssilab kernel install'"
                    : msg.contains("ssilab rootfs build") ? "run 'ssilab rootfs build'" : "see the reason above";
            return new Report(false, msg, fix);
        } catch (java.io.IOException e) {
            return new Report(false, "cannot prepare the probe: " + e.getMessage(), "check TMPDIR");
        } finally {
            if (backend != null) {
                backend.killNow();
            }
            KernelInstaller.deleteTree(probeDir);
        }
    }

    private static String run(UmlBackend backend, int node, String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        backend.exec(node, command, Duration.ofSeconds(30), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    public Report check(Path kernel, Path root) {
        Path k;
        try {
            k = UmlBackendProvider.resolveKernel(kernel, paths);
        } catch (UserError e) {
            return new Report(false, e.getMessage(), kernel == null ? "run 'ssilab kernel install'" : "pass a UML kernel with -k");
        }
        if (!HostCommand.onPath("setpriv")) {
            return new Report(false, "setpriv is missing (nodes are started under it so none outlives its manager)",
                    "apt-get install -y util-linux");
        }
        Optional<String> release = KernelStore.release(k);
        if (release.isEmpty()) {
            HostCommand.Result r = HostCommand.run(List.of(k.toString(), "--version"), null, 20);
            return new Report(false, "kernel " + k + " does not run here ("
                    + r.output().strip().lines().reduce((a, b) -> b).orElse("no output") + ")",
                    "build one with 'ssilab kernel install', or pass another with -k");
        }
        progress.accept("Kernel: " + k + " (" + release.get() + ")");
        if (!release.get().matches("([7-9]|\\d\\d)\\..*") && cpuHasAmx()) {
            progress.accept("Warning: kernels before 7.x crash on CPUs with AMX (\"ptrace set fp regs failed\")");
        }
        if (root == null || !Files.isRegularFile(root)) {
            return new Report(false, "root image " + root + " not found", "run 'ssilab rootfs build -o " + root + "'");
        }
        progress.accept("Root image: " + root.toAbsolutePath().normalize());
        long start = System.nanoTime();
        return onProbeCluster(k, root, 1, backend -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = backend.exec(1, "uname -r", Duration.ofSeconds(10), out);
            if (rc != 0) {
                return new Report(false, "a node booted but could not run 'uname -r' (exit " + rc + "): "
                        + out.toString(StandardCharsets.UTF_8).strip(), "rebuild the root image with 'ssilab rootfs build'");
            }
            progress.accept(String.format("Probe: node booted and ran 'uname -r' -> %s in %.2f s",
                    out.toString(StandardCharsets.UTF_8).strip(), (System.nanoTime() - start) / 1e9));
            return new Report(true, "real UML nodes work here", "");
        });
    }
}
