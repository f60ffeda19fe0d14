package dev.ssilab.cluster.sim.model;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Processes that need no thread: {@code sleep N} ends on a scheduler timer, {@code sleep infinity}
 * and a busy {@code yes >/dev/null} run until killed.
 */
public final class TimedProcesses {
    private TimedProcesses() {}

    /** Sleep's duration in milliseconds (30, 0.5, 2s, 1m, 1h, 1d), -1 for infinity, null if unreadable. */
    public static Long sleepMillis(String arg) {
        if (arg.equals("infinity")) {
            return -1L;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)([smhd]?)").matcher(arg);
        if (!m.matches()) {
            return null;
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 1000L;
        };
        return Math.round(n * unit);
    }

    /**
     * Starts p as a timer-driven process if its command is one of those; false otherwise.
     *
     * @param outputDiscarded its standard output goes to /dev/null (yes is modelled only then)
     */
    public static boolean start(SimCluster c, SimProcess p, List<String> argv, boolean outputDiscarded) {
        synchronized (c) {
            String name = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
            if (name.equals("sleep") && argv.size() == 2) {
                Long ms = sleepMillis(argv.get(1));
                if (ms == null) {
                    return false;
                }
                if (ms >= 0) {
                    p.timer = c.scheduler.schedule(() -> c.exit(p, 0, true), ms, TimeUnit.MILLISECONDS);
                }
                return true;
            }
            if (name.equals("yes") && outputDiscarded) {
                p.cpu = 1.0;
                return true;
            }
            return false;
        }
    }
}
