package dev.ssilab.course;

import dev.ssilab.cluster.ClusterIds;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values lessons interpolate: ${cluster.id}, ${cluster.backend}, ${backend}, ${nodes},
 * ${workdir}, ${home}, ${version} (ssilab's, which names the ssi-uml tarball).
 *
 * @param clusterId the learner's cluster, or the id the next ssi-start will get when none is running
 * @param nodes how many nodes the course's cluster starts with (the HOWTO uses 4)
 * @param home ssilab's installation folder (bin/, lessons/, content/)
 */
public record CourseVariables(int clusterId, String backend, int nodes, Path workdir, Path home) {

    /** Values for checking a course without a learner (lint): the HOWTO's own first cluster. */
    public static CourseVariables forLint(String backend, Path home) {
        return new CourseVariables(ClusterIds.FIRST, backend, 4, Path.of("/tmp/ssilab-work"), home);
    }

    public Map<String, Object> model() {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("id", clusterId);
        cluster.put("backend", backend);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", cluster);
        m.put("backend", backend);
        m.put("nodes", nodes);
        m.put("workdir", workdir.toString());
        m.put("home", home.toString());
        m.put("version", version());
        return m;
    }

    /** The same values as environment variables for the commands a step runs. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SSILAB_CLUSTER", Integer.toString(clusterId));
        env.put("SSILAB_BACKEND", backend);
        env.put("SSILAB_NODES", Integer.toString(nodes));
        env.put("SSILAB_WORKDIR", workdir.toString());
        env.put("SSILAB_HOME", home.toString());
        return env;
    }

    /** ssilab's version: it names the ssi-uml tarball the lessons download. */
    public static String version() {
        return dev.ssilab.state.SsilabVersion.get();
    }
}
