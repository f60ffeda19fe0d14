package dev.ssilab.step;

import dev.ssilab.cluster.ExecResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/** Runs a block's script on node N of the learner's cluster. */
public interface NodeExecutor {

    ExecResult exec(int node, String script, Duration timeout, OutputStream live);

    /**
     * With the learner's keys as the command's terminal input (a program that reads keys, such as
     * dbdemo, gets them); executors without a terminal ignore them.
     */
    default ExecResult exec(int node, String script, Duration timeout, InputStream keys, OutputStream live) {
        return exec(node, script, timeout, live);
    }

    /** For a course run without any cluster: a node block fails with a line saying why. */
    static NodeExecutor unavailable(String why) {
        return (node, script, timeout, live) -> {
            throw new dev.ssilab.state.UserError("this step runs on node " + node + ", but " + why);
        };
    }
}
