package dev.ssilab.course;

import dev.ssilab.cluster.ClusterIds;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract between lessons and ssilab, in one place: what a lesson's template may interpolate and
 * what the commands of its steps find in their environment. The README's "Writing lessons" lists the
 * same names; a name added here belongs there too.
 *
 * <p>Template model: ${cluster.id}, ${cluster.backend}, ${backend}, ${nodes}, ${workdir}, ${home},
 * ${version} (ssilab's, which names the ssi-uml tarball). Environment: SSILAB_CLUSTER, SSILAB_BACKEND
 * (so ssi-start in a step starts a cluster of the course's backend), SSILAB_NODES, SSILAB_WORKDIR,
 * SSILAB_HOME, SSILAB_COURSE; and per step SSILAB_LESSON, SSILAB_STEP, SSILAB_ANSWER_FILE (where a
 * question's answer is), SSILAB_MIRROR (in lessons whose front matter says {@code downloads: true}).
 *
 * @param clusterId the learner's cluster, or the id the next ssi-start will get when none is running
 * @param nodes how many nodes the course's cluster starts with
 * @param home ssilab's installation folder (bin/, lessons/, content/)
 * @param courseDir the folder of the course's lessons
 */
public record CourseVariables(int clusterId, String backend, int nodes, Path workdir, Path home, Path courseDir) {
    /** The HOWTO's cluster: `ssi-start 4`. */
    public static final int NODES = 4;

    /** Values for checking a course without a learner (lint): the HOWTO's own first cluster. */
    public static CourseVariables forLint(String backend, Path home) {
        return new CourseVariables(ClusterIds.FIRST, backend, NODES, Path.of("/tmp/ssilab-work"), home, home.resolve("lessons"));
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

    /** The same values as environment variables, for every command the course runs. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SSILAB_HOME", home.toString());
        env.put("SSILAB_COURSE", courseDir.toString());
        env.put("SSILAB_BACKEND", backend);
        env.put("SSILAB_WORKDIR", workdir.toString());
        env.put("SSILAB_CLUSTER", Integer.toString(clusterId));
        env.put("SSILAB_NODES", Integer.toString(nodes));
        return env;
    }

    /**
     * The environment of one step's commands: {@link #environment()} and where the step is.
     *
     * @param mirror the course mirror's URL(s), or null for a lesson that downloads nothing
     */
    public Map<String, String> environment(Lesson lesson, int stepIndex, Path answerFile, String mirror) {
        Map<String, String> env = environment();
        env.put("SSILAB_LESSON", lesson.id());
        env.put("SSILAB_STEP", Integer.toString(stepIndex + 1));
        env.put("SSILAB_ANSWER_FILE", answerFile.toString());
        if (mirror != null) {
            env.put("SSILAB_MIRROR", mirror);
        }
        return env;
    }

    /** ssilab's version: it names the ssi-uml tarball the lessons download. */
    public static String version() {
        return dev.ssilab.state.SsilabVersion.get();
    }
}
