package dev.ssilab.cluster.sim;

import dev.ssilab.cluster.BackendName;
import dev.ssilab.cluster.BackendProvider;
import dev.ssilab.cluster.ClusterBackend;
import dev.ssilab.cluster.StartRequest;
import java.nio.file.Path;

/** Makes the simulator backend ({@code --backend sim}); found by ServiceLoader. */
public final class SimProvider implements BackendProvider {

    @Override
    public String name() {
        return BackendName.SIM.id();
    }

    @Override
    public ClusterBackend create(int clusterId, StartRequest request, Path clusterDir) {
        return new SimBackend(clusterId, clusterDir);
    }
}
