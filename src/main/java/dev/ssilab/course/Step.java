package dev.ssilab.course;

import java.util.List;

/**
 * One step of a lesson: prose for the learner, the blocks that do and check the work, and hints.
 *
 * @param prose the step's markdown without its heading, with executable blocks left in place
 * @param narration the prose without its run and output blocks (auto-play types those instead)
 * @param line the line of the step's heading in the lesson file
 * @param backends where the step can run (a {@code > **Backends:** sim} quote); empty means wherever its lesson runs
 * @param elsewhere what the step's quote says happens on the other backends (shown there instead of running it)
 */
public record Step(String title, String prose, String narration, List<Block> blocks, List<String> hints, int line,
                   List<String> backends, String elsewhere) {

    public Step {
        blocks = List.copyOf(blocks);
        hints = List.copyOf(hints);
        backends = List.copyOf(backends);
    }

    public Step(String title, String prose, List<Block> blocks, List<String> hints, int line) {
        this(title, prose, prose, blocks, hints, line, List.of(), "");
    }

    public boolean runsOn(String backend) {
        return backends.isEmpty() || backends.contains(backend);
    }

    /** A question step: the learner types {@code answer TEXT}; its answer block holds the accepted answer. */
    public boolean isQuestion() {
        return !blocks(Role.ANSWER).isEmpty();
    }

    /** The accepted answer of a question step, as the learner would type it after {@code answer}. */
    public String answer() {
        List<Block> a = blocks(Role.ANSWER);
        return a.isEmpty() ? "" : a.get(0).code().strip();
    }

    public List<Block> blocks(Role role) {
        return blocks.stream().filter(b -> b.role() == role).toList();
    }

    /** What auto-play and tests run: the solve blocks, or the run blocks when there are none. */
    public List<Block> solution() {
        List<Block> solve = blocks(Role.SOLVE);
        return solve.isEmpty() ? blocks(Role.RUN) : solve;
    }
}
