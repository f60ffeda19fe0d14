package dev.ssilab.cluster.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Prints the simulator's figures (run by bench/sim.sh, not by the test suite): boot, exec latency, scale. */
public final class SimBench {
    private SimBench() {}

    private static double medianMillis(List<Long> nanos) {
        Collections.sort(nanos);
        return nanos.get(nanos.size() / 2) / 1e6;
    }

    private static int exec(SimBackend b, int node, String line) {
        return b.exec(node, line, Duration.ofSeconds(30), new ByteArrayOutputStream());
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ssilab-simbench");
        try {
            List<Long> boots = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                try (SimBackend b = new SimBackend(10001 + i, dir.resolve("c" + i))) {
                    b.boot(List.of(1, 2, 3, 4));
                    boots.add(System.nanoTime() - t0);
                }
            }
            System.out.printf("create + boot 4 nodes: median %.2f ms of 5%n", medianMillis(boots));
            try (SimBackend b = new SimBackend(10100, dir.resolve("x"))) {
                b.boot(List.of(1, 2, 3, 4));
                for (int i = 0; i < 200; i++) {
                    exec(b, 1 + i % 4, "true"); // warm-up
                }
                List<Long> lat = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    long t0 = System.nanoTime();
                    exec(b, 1 + i % 4, "cluster -v | grep -q master && where_pid 1");
                    lat.add(System.nanoTime() - t0);
                }
                System.out.printf("exec 'cluster -v | grep -q master && where_pid 1': median %.3f ms of 500%n", medianMillis(lat));
                System.gc();
                long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                for (int i = 0; i < 10; i++) {
                    exec(b, 1 + i % 4, "sleep 600 &".repeat(1).concat(" sleep 600 &".repeat(99)));
                }
                System.gc();
                long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                int procs = b.model().processes().size();
                System.out.printf("%d processes (1000 background sleeps): %.0f bytes each, %d live threads%n", procs,
                        (after - before) / 1000.0, Thread.activeCount());
                long t0 = System.nanoTime();
                exec(b, 2, "ps -ef | wc -l");
                System.out.printf("ps -ef | wc -l over %d processes: %.2f ms%n", procs, (System.nanoTime() - t0) / 1e6);
                ExecutorService pool = Executors.newFixedThreadPool(16);
                List<Future<Integer>> runs = new ArrayList<>();
                t0 = System.nanoTime();
                for (int i = 0; i < 2000; i++) {
                    int node = 1 + i % 4;
                    runs.add(pool.submit(() -> exec(b, node, "echo x >>/tmp/log; onnode 3 hostname >/dev/null")));
                }
                for (Future<Integer> f : runs) {
                    f.get();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                pool.shutdown();
                System.out.printf("2000 execs from 16 threads: %.0f execs/s%n", 2000 / secs);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        // best effort
                    }
                });
            }
        }
    }
}
