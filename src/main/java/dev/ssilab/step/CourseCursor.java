package dev.ssilab.step;

import dev.ssilab.course.Course;
import dev.ssilab.course.Lesson;
import dev.ssilab.state.Progress;
import dev.ssilab.state.UserError;
import java.nio.file.Path;

/**
 * The learner's place in a course and the steps done there: the one owner of position and done-ness.
 * It moves (next, back, to a lesson), clamps to the course as it is now (a course may have lost a
 * lesson or a step since the progress was saved), and saves the progress file after every change, so
 * a learner who stops resumes at the same step days later. Auto-play and the course tester walk a
 * cursor of their own that saves nothing.
 */
public final class CourseCursor implements DoneSteps {
    /** Where a move went: to another step of the lesson, into another lesson, or nowhere (an end of the course). */
    public enum Move { STEP, LESSON, NONE }

    private final Course course;
    private final Progress progress;
    private final Path file;
    private int lessonIndex;
    private int stepIndex;

    private CourseCursor(Course course, Progress progress, Path file) {
        this.course = course;
        this.progress = progress;
        this.file = file;
        int at = progress.lesson() == null ? -1 : course.indexOf(progress.lesson());
        lessonIndex = Math.max(at, 0);
        stepIndex = at < 0 ? 0 : Math.max(0, Math.min(progress.step(), stepCount() - 1));
    }

    /** The learner's saved place (clamped to the course), saved again to {@code file} at every change. */
    public static CourseCursor resume(Course course, Progress progress, Path file) {
        return new CourseCursor(course, progress, file);
    }

    /** At the first step, with nothing done and nothing saved: a walk through the course for play and test. */
    public static CourseCursor walk(Course course) {
        return new CourseCursor(course, new Progress(), null);
    }

    public Course course() {
        return course;
    }

    /** Whether the learner had a place in the course before (a resumed session). */
    public boolean started() {
        return progress.lesson() != null;
    }

    public int lessonIndex() {
        return lessonIndex;
    }

    public int stepIndex() {
        return stepIndex;
    }

    /** The current lesson as the course holds it (the tutor renders it afresh for its variables). */
    public Lesson lesson() {
        return course.lessons().get(lessonIndex);
    }

    public int stepCount() {
        return course.lessons().isEmpty() ? 0 : lesson().steps().size();
    }

    /** Records the current position as the learner's place (the tutor calls it when it shows a step). */
    public void settle() {
        progress.moveTo(lesson().id(), stepIndex);
        save();
    }

    /** To the next step, or the first step of the next lesson; NONE at the course's last step. */
    public Move next() {
        if (stepIndex + 1 < stepCount()) {
            stepIndex++;
            return Move.STEP;
        }
        return nextLesson();
    }

    /** To the first step of the next lesson (the rest of this one is passed over); NONE after the last lesson. */
    public Move nextLesson() {
        if (lessonIndex + 1 >= course.lessons().size()) {
            return Move.NONE;
        }
        lessonIndex++;
        stepIndex = 0;
        return Move.LESSON;
    }

    /** To the previous step, or the last step of the previous lesson; NONE at the course's first step. */
    public Move back() {
        if (stepIndex > 0) {
            stepIndex--;
            return Move.STEP;
        }
        if (lessonIndex == 0) {
            return Move.NONE;
        }
        lessonIndex--;
        stepIndex = Math.max(0, stepCount() - 1);
        return Move.LESSON;
    }

    /** To the first step of lesson {@code id}. */
    public void goTo(String id) {
        int at = course.indexOf(id);
        if (at < 0) {
            throw new UserError("no lesson '" + id + "' (type lessons to see them all)");
        }
        lessonIndex = at;
        stepIndex = 0;
    }

    /** Forgets every step done and goes back to the start of the course. */
    public void resetAll() {
        progress.reset(null);
        lessonIndex = 0;
        stepIndex = 0;
    }

    /**
     * Forgets the steps done in lesson {@code id}; when it is the current lesson, goes back to its first step.
     * @return whether the position moved (the lesson was the current one)
     */
    public boolean reset(String id) {
        int at = course.indexOf(id);
        if (at < 0) {
            throw new UserError("no lesson '" + id + "' to reset (type lessons to see them all)");
        }
        progress.reset(id);
        if (at != lessonIndex) {
            save();
            return false;
        }
        stepIndex = 0;
        return true;
    }

    @Override
    public boolean isDone(String lessonId, int index) {
        return progress.isDone(lessonId, index);
    }

    @Override
    public void markDone(String lessonId, int index) {
        progress.markDone(lessonId, index);
        save();
    }

    public boolean currentDone() {
        return stepCount() > 0 && isDone(lesson().id(), stepIndex);
    }

    public int doneCount(String lessonId) {
        return progress.doneCount(lessonId);
    }

    /** Whether every step of lesson {@code id} is done. */
    public boolean finished(Lesson lesson) {
        return progress.doneCount(lesson.id()) >= lesson.steps().size();
    }

    public int doneTotal() {
        return course.lessons().stream().mapToInt(l -> progress.doneCount(l.id())).sum();
    }

    public int stepTotal() {
        return course.lessons().stream().mapToInt(l -> l.steps().size()).sum();
    }

    public void save() {
        if (file != null) {
            progress.save(file);
        }
    }
}
