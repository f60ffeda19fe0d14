package dev.ssilab.step;

import dev.ssilab.cluster.ExecResult;
import java.io.OutputStream;
import java.time.Duration;

/** Runs a block's script on node N of the learner's cluster. */
public interface NodeExecutor {

    ExecResult exec(int node, String script, Duration timeout, OutputStream live);

    /** For a course run without any cluster: a node block fails with a line saying why. */
    static NodeExecutor unavailable(String why) {
        return (node, script, timeout, live) -> {
            throw new dev.ssilab.state.UserError("this step runs on node " + node + ", but " + why);
        };
    }
}
