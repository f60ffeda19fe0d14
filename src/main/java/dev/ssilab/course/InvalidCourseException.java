package dev.ssilab.course;

import dev.ssilab.state.UserError;
import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a course has problems; the message lists each as FILE:LINE: message. */
public final class InvalidCourseException extends UserError {
    private final List<Problem> problems;

    public InvalidCourseException(List<Problem> problems) {
        super(problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n"))
                + "\n" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + " in the course (run 'ssilab lint' after fixing them)");
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
