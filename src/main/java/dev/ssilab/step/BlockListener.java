package dev.ssilab.step;

import dev.ssilab.course.Block;

/** Told about each block the runner executes, so a screen can show the command before its output. */
public interface BlockListener {
    void starting(Block block);

    /** After the block, whatever its status (auto-play pauses here, so the room can read the output). */
    default void finished(Block block) {}

    BlockListener QUIET = block -> {};
}
