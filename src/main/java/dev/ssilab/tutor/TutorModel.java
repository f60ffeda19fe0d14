package dev.ssilab.tutor;

import dev.ssilab.course.Lesson;
import dev.ssilab.step.CourseCursor;
import dev.ssilab.step.CourseWorkspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the tutor's screens, status line and prompt show: the course variables, where the learner is, what is done. */
final class TutorModel {
    private final CourseWorkspace workspace;
    private final CourseCursor cursor;

    TutorModel(CourseWorkspace workspace, CourseCursor cursor) {
        this.workspace = workspace;
        this.cursor = cursor;
    }

    /** The model of content/templates' screens. */
    Map<String, Object> of() {
        Map<String, Object> m = new LinkedHashMap<>(workspace.variables().model());
        Lesson l = workspace.lesson(cursor.lesson().id());
        m.put("lessonNumber", cursor.lessonIndex() + 1);
        m.put("lessonCount", cursor.course().lessons().size());
        m.put("lessonTitle", l.title());
        m.put("lessonId", l.id());
        m.put("stepNumber", cursor.stepIndex() + 1);
        m.put("stepCount", l.steps().size());
        m.put("stepTitle", l.steps().isEmpty() ? "" : l.steps().get(cursor.stepIndex()).title());
        m.put("lessons", lessons());
        m.put("stepsDone", cursor.doneTotal());
        m.put("stepsTotal", cursor.stepTotal());
        m.put("cluster", cluster());
        return m;
    }

    /** One row per lesson for the lessons screen. */
    List<Map<String, Object>> lessons() {
        List<Map<String, Object>> list = new ArrayList<>();
        List<Lesson> lessons = cursor.course().lessons();
        for (int i = 0; i < lessons.size(); i++) {
            Lesson l = lessons.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", l.id());
            m.put("title", l.title());
            m.put("steps", l.steps().size());
            m.put("done", cursor.doneCount(l.id()));
            m.put("current", i == cursor.lessonIndex());
            m.put("runsHere", l.runsOn(workspace.backend()));
            m.put("backends", String.join(", ", l.backends()));
            list.add(m);
        }
        return list;
    }

    private Map<String, Object> cluster() {
        Map<String, Object> c = new LinkedHashMap<>();
        var current = workspace.clusters().current();
        c.put("running", current.isPresent());
        c.put("id", current.isPresent() ? current.getAsInt() : workspace.clusters().nextId());
        c.put("backend", workspace.backend());
        return c;
    }

    String statusLine() {
        var current = workspace.clusters().current();
        Lesson l = cursor.lesson();
        return " lesson " + (cursor.lessonIndex() + 1) + "/" + cursor.course().lessons().size() + " · step " + (cursor.stepIndex() + 1) + "/"
                + l.steps().size() + " · " + l.title() + " · cluster "
                + (current.isPresent() ? current.getAsInt() : "none") + " · backend " + workspace.backend();
    }

    /** {@code dir}: the folder typed lines run in, as shown (empty for the workdir). */
    String prompt(String dir) {
        Lesson l = cursor.lesson();
        return "ssilab " + l.id() + " " + (cursor.stepIndex() + 1) + "/" + l.steps().size() + (dir.isEmpty() ? "" : " " + dir) + "> ";
    }
}
