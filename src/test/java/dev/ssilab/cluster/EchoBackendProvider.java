package dev.ssilab.cluster;

import java.nio.file.Path;

/**
 * Test-only backend "echo": node membership is plain bookkeeping and commands run in bash on the host.
 * It exists to test the cluster manager, the registry and the commands without the simulator; it
 * models no SSI behaviour and is never on the product's class path.
 */
public final class EchoBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "echo";
    }

    @Override
    public ClusterBackend create(int clusterId, StartRequest request, Path clusterDir) {
        return new EchoBackend(request, clusterDir);
    }
}
