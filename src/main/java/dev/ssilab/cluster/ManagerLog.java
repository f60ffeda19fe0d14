package dev.ssilab.cluster;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/**
 * The cluster manager's log (its standard output, which its launcher sends to the cluster's log
 * file): one line per event, with the time and the cluster, written by every part of the manager.
 */
final class ManagerLog {
    private final PrintStream out;
    private final int id;

    ManagerLog(PrintStream out, int id) {
        this.out = out;
        this.id = id;
    }

    void line(String message) {
        out.println(Instant.now() + " clusterd " + id + ": " + message);
        out.flush();
    }

    static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
