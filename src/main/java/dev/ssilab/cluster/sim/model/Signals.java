package dev.ssilab.cluster.sim.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The signals the simulator models; each ends its target (none is caught or ignored by simulated programs). */
public final class Signals {
    private Signals() {}

    /** Name (without SIG) to number, in kill -l order. */
    public static final Map<String, Integer> BY_NAME = byName();

    private static Map<String, Integer> byName() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("HUP", 1);
        m.put("INT", 2);
        m.put("QUIT", 3);
        m.put("KILL", 9);
        m.put("USR1", 10);
        m.put("USR2", 12);
        m.put("TERM", 15);
        return Collections.unmodifiableMap(m);
    }

    /** The number for a name (TERM, SIGTERM) or number (15); 0 is the existence test; null if not modelled. */
    public static Integer parse(String s) {
        String name = s.toUpperCase().startsWith("SIG") ? s.substring(3).toUpperCase() : s.toUpperCase();
        if (name.matches("\\d+")) {
            int n = Integer.parseInt(name);
            return n == 0 || BY_NAME.containsValue(n) ? n : null;
        }
        return BY_NAME.get(name);
    }

    public static String name(int sig) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == sig) {
                return "SIG" + e.getKey();
            }
        }
        return "signal " + sig;
    }

    /** How bash reports a job ended by this signal. */
    public static String describe(int sig) {
        return switch (sig) {
            case 1 -> "Hangup";
            case 2 -> "Interrupt";
            case 3 -> "Quit";
            case 9 -> "Killed";
            case 10 -> "User defined signal 1";
            case 12 -> "User defined signal 2";
            case 15 -> "Terminated";
            default -> "Signal " + sig;
        };
    }
}
