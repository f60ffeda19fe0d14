import dev.ssilab.cluster.Clusters;
import dev.ssilab.cluster.ExecResult;
import dev.ssilab.state.SsilabPaths;
import java.time.Duration;
import java.util.Arrays;

/**
 * The per-call latency of CALLS exec calls of `true` on node 1 of the running cluster ID, made from one
 * JVM through the Cluster API (the path of `ssilab exec`, without the start of a JVM per call, which
 * bench/cluster-start.sh measures with the command itself). Prints "median min max" in milliseconds.
 * args: ID CALLS
 */
public class ExecLatencyBench {
    public static void main(String[] args) {
        int id = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        Clusters clusters = new Clusters(SsilabPaths.fromEnvironment(System.getenv()));
        for (int i = 0; i < 50; i++) { // warm-up: the JIT, the manager's threads
            clusters.exec(id, 1, "true", Duration.ofSeconds(30), null);
        }
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            ExecResult r = clusters.exec(id, 1, "true", Duration.ofSeconds(30), null);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.exitCode() != 0) {
                throw new IllegalStateException("exec of true ended with status " + r.exitCode() + ": " + r.output());
            }
        }
        Arrays.sort(ms);
        double median = calls % 2 == 1 ? ms[calls / 2] : (ms[calls / 2 - 1] + ms[calls / 2]) / 2;
        System.out.printf("%.2f %.2f %.2f%n", median, ms[0], ms[calls - 1]);
    }
}
