package dev.ssilab.course;

import java.util.List;

/**
 * One step of a lesson: prose for the learner, the blocks that do and check the work, and hints.
 *
 * @param prose the step's markdown without its heading, with executable blocks left in place
 * @param line the line of the step's heading in the lesson file
 */
public record Step(String title, String prose, List<Block> blocks, List<String> hints, int line) {

    public Step {
        blocks = List.copyOf(blocks);
        hints = List.copyOf(hints);
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
