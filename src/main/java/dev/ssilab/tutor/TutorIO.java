package dev.ssilab.tutor;

import java.io.PrintStream;
import java.util.List;

/** The tutor's two faces: a JLine terminal for people, plain lines for pipes and tests. */
interface TutorIO extends AutoCloseable {

    /** Reads one command; null at end of input. */
    String readLine(String prompt);

    /** Where the tutor and the commands it runs print. */
    PrintStream out();

    int width();

    boolean color();

    /** True when stdin is the learner's terminal (commands may then read it). */
    boolean interactive();

    /** The status line at the bottom of the screen; ignored where there is none. */
    void status(String text);

    /** Shows long text through a pager where there is one. */
    void page(String text);

    /** The learner's keys for commands on nodes (dbdemo's 1-9 and q); null where there is no terminal. */
    default dev.ssilab.step.Keyboard keyboard() {
        return null;
    }

    /** Runs {@code onInterrupt} when Ctrl-C is pressed while a command runs. */
    void onInterrupt(Runnable onInterrupt);

    /** Completion candidates for the lesson ids (goto, reset). */
    void lessonIds(List<String> ids);

    /** Asks a yes/no question; false without a terminal to ask on. */
    boolean confirm(String question);

    @Override
    void close();
}
