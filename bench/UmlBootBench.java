import dev.ssilab.cluster.ClusterBackend;
import dev.ssilab.cluster.StartRequest;
import dev.ssilab.cluster.uml.UmlBackendProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Boots N real nodes through ssilab's UML backend RUNS times; prints each time until every node is ready,
 * the median, and the memory of each node's kernel once booted (args: ROOT N RUNS).
 * With args --memory ID DIR: only the memory of each node of the running cluster ID whose state is under
 * DIR (bench/uml-boot.sh; other users' clusters on this machine may have the same id).
 */
public class UmlBootBench {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("--memory")) {
            printMemory(Integer.parseInt(args[1]), args.length > 2 ? args[2] : "", true);
            return;
        }
        Path root = Path.of(args[0]).toAbsolutePath();
        int nodes = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        double[] secs = new double[runs];
        double[] stops = new double[runs];
        List<Integer> all = IntStream.rangeClosed(1, nodes).boxed().toList();
        for (int i = 0; i < runs; i++) {
            Path dir = Files.createTempDirectory("ssilab-bench");
            long t0 = System.nanoTime();
            ClusterBackend b = new UmlBackendProvider().create(19000 + i, new StartRequest("uml", nodes, root, 64, null, null), dir);
            try {
                b.boot(all);
                secs[i] = (System.nanoTime() - t0) / 1e9;
                System.out.printf("backend run %d: %d nodes ready in %.3f s%n", i + 1, nodes, secs[i]);
                if (i == runs - 1) {
                    printMemory(19000 + i, "", false);
                }
            } finally {
                long s0 = System.nanoTime();
                b.close();
                stops[i] = (System.nanoTime() - s0) / 1e9;
                new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
            }
        }
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        System.out.printf("backend median of %d: %.3f s%n", runs, sorted[runs / 2]);
        Arrays.sort(stops);
        System.out.printf("graceful stop (mconsole cad to every node, until every kernel exited), median: %.3f s%n", stops[runs / 2]);
    }

    /**
     * Per node: RSS of the kernel process alone, and RSS/PSS summed over it and its helper processes;
     * raw: one line of the three figures in MB per node, for a script to summarise.
     */
    static void printMemory(int clusterId, String under, boolean raw) throws Exception {
        List<ProcessHandle> kernels = new ArrayList<>();
        ProcessHandle.allProcesses().filter(h -> isNode(h, clusterId) && h.parent().map(p -> !isNode(p, clusterId)).orElse(true))
                .filter(h -> h.info().arguments().map(a -> Arrays.stream(a).anyMatch(x -> x.startsWith("uml_dir=" + under))).orElse(false))
                .sorted((a, b) -> Long.compare(a.pid(), b.pid())).forEach(kernels::add);
        for (ProcessHandle k : kernels) {
            String umid = Arrays.stream(k.info().arguments().orElse(new String[0])).filter(a -> a.startsWith("umid=")).findFirst().orElse("?");
            long rss = kb(k.pid(), "status", "VmRSS:");
            long rssAll = rss, pssAll = kb(k.pid(), "smaps_rollup", "Pss:");
            for (ProcessHandle d : k.descendants().toList()) {
                rssAll += kb(d.pid(), "status", "VmRSS:");
                pssAll += kb(d.pid(), "smaps_rollup", "Pss:");
            }
            if (raw) {
                System.out.printf("%.1f %.1f %.1f%n", rss / 1024.0, rssAll / 1024.0, pssAll / 1024.0);
                continue;
            }
            System.out.printf("  %s: kernel RSS %.1f MB; with helpers RSS %.1f MB, PSS %.1f MB%n", umid.substring(5),
                    rss / 1024.0, rssAll / 1024.0, pssAll / 1024.0);
        }
    }

    static boolean isNode(ProcessHandle h, int clusterId) {
        return h.info().arguments().map(a -> Arrays.stream(a).anyMatch(x -> x.startsWith("umid=ssi-" + clusterId + "-"))).orElse(false);
    }

    static long kb(long pid, String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (Exception e) {
            // the process ended meanwhile
        }
        return 0;
    }
}
