package dev.ssilab.course;

import java.nio.file.Path;
import java.util.List;

/**
 * One lesson: a HOWTO section, its intro prose and its steps.
 *
 * @param backends the cluster backends it can run on ("sim", "uml"); empty means it needs no cluster
 * @param downloads its steps download from the course mirror (front matter {@code downloads: true}), so
 *                  they get SSILAB_MIRROR and ssilab starts a mirror for them when none is configured
 */
public record Lesson(String id, String title, List<String> requires, List<String> backends, boolean downloads,
                     Path file, String intro, List<Step> steps) {

    public Lesson {
        requires = List.copyOf(requires);
        backends = List.copyOf(backends);
        steps = List.copyOf(steps);
    }

    public boolean runsOn(String backend) {
        return backends.isEmpty() || backends.contains(backend);
    }
}
