package dev.ssilab.step;

import dev.ssilab.cluster.ExecResult;
import dev.ssilab.course.Course;
import dev.ssilab.course.CourseLoader;
import dev.ssilab.course.CourseVariables;
import dev.ssilab.course.Lesson;
import dev.ssilab.course.TemplateEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A course as it is being worked through: the lessons, the workdir the host commands run in, the
 * learner's cluster, and the runner that executes steps there. Shared by the tutor, play and test.
 */
public final class CourseWorkspace implements AutoCloseable {
    private final Path courseDir;
    private final Path home;
    private final String backend;
    private final Path workdir;
    private final ClusterAccess clusters;
    private final TemplateEngine templates;
    private final CourseLoader loader;
    private final StepRunner runner;
    private final Course course;
    private final CourseMirror mirror;
    private final Map<String, Rendered> rendered = new java.util.HashMap<>();

    public CourseWorkspace(Path courseDir, Path home, String backend, Path workdir, ClusterAccess clusters,
                           boolean interactiveStdin) {
        this(courseDir, home, backend, workdir, clusters, interactiveStdin, null, null);
    }

    /**
     * @param mirror where download steps fetch from; null when there is none (they then fail saying so)
     * @param courseCache where loaded courses are kept between runs (a quicker start); null for none
     */
    public CourseWorkspace(Path courseDir, Path home, String backend, Path workdir, ClusterAccess clusters,
                           boolean interactiveStdin, CourseMirror mirror, Path courseCache) {
        this.mirror = mirror;
        this.courseDir = courseDir;
        this.home = home;
        this.backend = backend;
        this.workdir = workdir;
        this.clusters = clusters;
        this.templates = new TemplateEngine(home.resolve("content"));
        this.loader = courseCache == null ? new CourseLoader(templates) : new CourseLoader(templates, courseCache);
        try {
            Files.createDirectories(workdir.resolve(".ssilab/answers"));
        } catch (IOException e) {
            throw new dev.ssilab.state.UserError("cannot create the course's workdir " + workdir + ": " + e.getMessage()
                    + " (pass --workdir DIR)");
        }
        CourseVariables loadedWith = variables();
        this.course = loader.load(courseDir, loadedWith.model());
        // The lessons were just rendered with these variables: the first lesson() asks need not parse them again.
        for (Lesson l : course.lessons()) {
            rendered.put(l.id(), new Rendered(loadedWith, l));
        }
        HostShell host = new HostShell(workdir, loadedWith.environment(), interactiveStdin);
        this.runner = new StepRunner(host, new NodeExecutor() {
            @Override
            public ExecResult exec(int node, String script, Duration timeout, OutputStream live) {
                return learnersCluster(node).exec(node, script, timeout, live);
            }

            @Override
            public ExecResult exec(int node, String script, Duration timeout, java.io.InputStream keys, OutputStream live) {
                return learnersCluster(node).exec(node, script, timeout, keys, live);
            }
        }, new Cancellation());
    }

    public Course course() {
        return course;
    }

    public TemplateEngine templates() {
        return templates;
    }

    public StepRunner runner() {
        return runner;
    }

    public String backend() {
        return backend;
    }

    /** Whether the course's cluster is the simulator (so what the cluster shows is modelled, and the screens say so). */
    public boolean simulated() {
        return dev.ssilab.cluster.BackendName.SIM.is(backend);
    }

    public Path workdir() {
        return workdir;
    }

    public ClusterAccess clusters() {
        return clusters;
    }

    /** The variables as they are now: the cluster id follows the learner's newest running cluster. */
    public CourseVariables variables() {
        OptionalInt current = clusters.current();
        int id = current.isPresent() ? current.getAsInt() : clusters.nextId();
        return new CourseVariables(id, backend, CourseVariables.NODES, workdir, home, courseDir);
    }

    /** The lesson rendered with the current variables (a cluster started since loading changes ids). */
    public Lesson lesson(String id) {
        Lesson loaded = course.lesson(id).orElseThrow();
        CourseVariables vars = variables();
        Rendered r = rendered.get(id);
        if (r == null || !r.vars().equals(vars)) {
            r = new Rendered(vars, loader.reload(loaded.file(), vars.model()));
            rendered.put(id, r);
        }
        return r.lesson();
    }

    private record Rendered(CourseVariables vars, Lesson lesson) {}

    /** Environment of a step's commands (see {@link CourseVariables}); a lesson that downloads gets the mirror. */
    public Map<String, String> stepEnvironment(Lesson lesson, int stepIndex) {
        String mirrorUrl = null;
        if (lesson.downloads()) {
            if (mirror == null) {
                throw new dev.ssilab.state.UserError("this step downloads, but no mirror is set: set SSILAB_MIRROR=http://HOST:PORT/");
            }
            mirrorUrl = mirror.url();
        }
        return variables().environment(lesson, stepIndex, answerFile(lesson, stepIndex), mirrorUrl);
    }

    @Override
    public void close() {
        if (mirror != null) {
            mirror.close();
        }
    }

    /** Where the learner's answer to a question step is kept (the `answer` command writes it). */
    public Path answerFile(Lesson lesson, int stepIndex) {
        return workdir.resolve(".ssilab/answers").resolve(lesson.id() + "-" + (stepIndex + 1));
    }

    public void saveAnswer(Lesson lesson, int stepIndex, String answer) {
        Path file = answerFile(lesson, stepIndex);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dev.ssilab.state.AtomicFiles.writeString(file, answer.strip() + "\n");
    }

    /** The nodes of the learner's cluster, for a block on node {@code node}; says so when none runs. */
    private NodeExecutor learnersCluster(int node) {
        OptionalInt id = clusters.current();
        if (id.isEmpty()) {
            throw new dev.ssilab.state.UserError("this step runs on node " + node
                    + ", but no cluster is running: start one with ssi-start (the lesson 'Booting the cluster' shows how)");
        }
        return clusters.nodes(id.getAsInt());
    }
}
