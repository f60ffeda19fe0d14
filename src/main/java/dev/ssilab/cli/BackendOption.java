package dev.ssilab.cli;

import dev.ssilab.cluster.BackendName;
import dev.ssilab.cluster.ClusterArgs;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --backend}, declared once for every command that takes it (a picocli mixin), with how its
 * value is chosen: the option, else SSILAB_BACKEND, else the simulator. An empty option
 * ({@code --backend ''}, often an unset shell variable) is refused rather than read as "the default",
 * so a script that meant uml does not quietly get the simulator.
 */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "sim|uml",
            description = "Cluster backend (default: SSILAB_BACKEND, else sim).")
    String typed;

    /** The backend a course runs on: sim or uml, whether typed or from the environment. */
    BackendName forCourse(Map<String, String> env) {
        if (typed != null) {
            return BackendName.find(notEmpty()).orElseThrow(() -> BackendName.unknown(typed));
        }
        // An empty SSILAB_BACKEND counts as unset, as empty environment variables usually do.
        String b = env.get("SSILAB_BACKEND");
        if (b == null || b.isBlank()) {
            return BackendName.DEFAULT;
        }
        return BackendName.find(b).orElseThrow(() -> BackendName.unknown(b));
    }

    /**
     * The provider a cluster starts with: any non-empty name, since cluster start also knows the test
     * suite's backends; the cluster layer says when no provider has that name.
     */
    String forCluster(Map<String, String> env) {
        return ClusterArgs.backend(typed == null ? null : notEmpty(), env);
    }

    private String notEmpty() {
        if (typed.isBlank()) {
            throw BackendName.empty();
        }
        return typed.strip();
    }
}
