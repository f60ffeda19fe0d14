package dev.ssilab.step;

/** Which steps the learner has done: the course cursor keeps them (saved), auto-play and tests in memory. */
public interface DoneSteps {
    boolean isDone(String lessonId, int stepIndex);

    void markDone(String lessonId, int stepIndex);
}
