package dev.ssilab.cluster.uml;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ssilab.state.SsilabPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the UML tests share: a root image, the installed kernel, and a way to find kernel processes. */
public final class UmlTestSupport {
    private UmlTestSupport() {}

    /** Fails the test with the doctor's reason when real nodes cannot run here. */
    public static void requireWorkingUml(Path dir) {
        Doctor.Report report = new Doctor(SsilabPaths.fromEnvironment(System.getenv()), line -> { })
                .check(null, rootImage(dir));
        if (!report.ok()) {
            fail("real UML nodes cannot run here: " + report.reason() + " (" + report.fix() + ")");
        }
    }

    /** The kernel 'ssilab kernel install' installed on this machine; fails the test when there is none. */
    public static Path installedKernel() {
        return new KernelStore(SsilabPaths.fromEnvironment(System.getenv())).current()
                .orElseThrow(() -> new AssertionError("no UML kernel installed on this machine: run 'ssilab kernel install'"));
    }

    public static Path rootImage(Path dir) {
        Path root = dir.resolve("root_fs");
        if (!Files.exists(root)) {
            new RootfsBuilder(RootfsBuilderTest.RECIPE, line -> { }).build(root);
        }
        return root;
    }

    /**
     * Main pids of the kernels of the cluster in CLUSTER_DIR (uml_dir=CLUSTER_DIR/uml on their command
     * line, so other clusters on the machine, other tests' too, never count), a parent without it.
     */
    /**
     * ssilab as a process in {@code tmp} (private XDG folders, but this machine's kernel cache, where
     * the UML kernel is), with a root_fs there, after {@code ssilab cluster start --backend uml N}
     * started cluster 10001.
     */
    public static dev.ssilab.cli.SsilabProcess startedCluster(Path tmp, int nodes) throws Exception {
        requireWorkingUml(tmp);
        java.nio.file.Files.copy(rootImage(tmp), tmp.resolve("root_fs"));
        Path cache = dev.ssilab.state.SsilabPaths.fromEnvironment(System.getenv()).cacheHome().getParent();
        dev.ssilab.cli.SsilabProcess ssilab = new dev.ssilab.cli.SsilabProcess(tmp).env("XDG_CACHE_HOME", cache.toString());
        var started = ssilab.run("", "cluster", "start", "--backend", "uml", Integer.toString(nodes));
        org.junit.jupiter.api.Assertions.assertEquals("Cluster 10001 has been started with " + nodes + " nodes\n", started.out(), started.err());
        return ssilab;
    }

    public static List<Long> kernelPids(Path clusterDir) {
        return ProcessHandle.allProcesses()
                .filter(h -> ofCluster(h, clusterDir))
                .filter(h -> h.parent().map(p -> !ofCluster(p, clusterDir)).orElse(true))
                .map(ProcessHandle::pid)
                .sorted()
                .toList();
    }

    /** Every process of that cluster's kernels, their helper processes included. */
    public static List<Long> allKernelProcesses(Path clusterDir) {
        return ProcessHandle.allProcesses().filter(h -> ofCluster(h, clusterDir)).map(ProcessHandle::pid).toList();
    }

    private static boolean ofCluster(ProcessHandle h, Path clusterDir) {
        String umlDir = "uml_dir=" + umlDir(clusterDir);
        return h.isAlive() && h.info().arguments().map(a -> List.of(a).contains(umlDir)).orElse(false);
    }

    /** The kernels' uml_dir: uml/ in the cluster folder, or the folder uml.path names (a deep cluster folder). */
    private static Path umlDir(Path clusterDir) {
        Path dir = clusterDir.toAbsolutePath().normalize();
        try {
            return Path.of(java.nio.file.Files.readString(dir.resolve("uml.path")).strip());
        } catch (java.io.IOException e) {
            return dir.resolve("uml");
        }
    }
}
