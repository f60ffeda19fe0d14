package dev.ssilab.step;

import dev.ssilab.course.Block;
import dev.ssilab.cluster.ExecResult;

/** Told about each block the runner executes, so a screen can show the command before its output. */
public interface BlockListener {
    void starting(Block block);

    void finished(Block block, ExecResult result);

    BlockListener QUIET = new BlockListener() {
        @Override
        public void starting(Block block) {}

        @Override
        public void finished(Block block, ExecResult result) {}
    };
}
