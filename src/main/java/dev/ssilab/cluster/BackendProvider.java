package dev.ssilab.cluster;

import java.nio.file.Path;

/**
 * Makes a {@link ClusterBackend}; found with {@link java.util.ServiceLoader} so the cluster manager
 * does not depend on its implementations (register in META-INF/services/dev.ssilab.cluster.BackendProvider).
 */
public interface BackendProvider {

    /**
     * The system property naming ssilab's content folder (its recipes, e.g. content/rootfs), set by the
     * program that runs the manager, for a backend that builds from a recipe.
     */
    String CONTENT_PROPERTY = "ssilab.content";

    /** The value of --backend that selects this provider: a {@link BackendName}'s id for ssilab's own. */
    String name();

    /**
     * Creates the backend for a new cluster with no node booted yet; the manager then calls
     * {@link ClusterBackend#boot} with nodes 1..N.
     *
     * @param clusterDir the cluster's own folder under $XDG_STATE_HOME/ssilab/clusters/ID/
     */
    ClusterBackend create(int clusterId, StartRequest request, Path clusterDir);
}
