package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The backends a learner and a lesson can name: the simulator and real UML nodes. Every check of a
 * typed or written backend name, and every test for "is this the simulator", goes through here, so a
 * third backend is one more constant. Other providers on the class path (the test suite's echo) are
 * reachable by {@code ssi-start --backend NAME} only: {@link Backends} finds those by their own name.
 */
public enum BackendName {
    SIM("sim"),
    UML("uml");

    /** What a course runs on when neither --backend nor SSILAB_BACKEND names one. */
    public static final BackendName DEFAULT = SIM;

    private final String id;

    BackendName(String id) {
        this.id = id;
    }

    /** The name as typed after --backend, written in lessons and kept in the registry. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /** True when {@code name} is this backend's name, exactly (names are not trimmed or case-folded). */
    public boolean is(String name) {
        return id.equals(name);
    }

    /** The backend of this exact name, if there is one. */
    public static Optional<BackendName> find(String name) {
        return Arrays.stream(values()).filter(b -> b.is(name)).findFirst();
    }

    /** The one-line refusal of a name that is not a backend, quoting it as it was typed. */
    public static UserError unknown(String typed) {
        return new UserError("unknown backend '" + typed + "' (use " + choices("--backend ", " or ") + ")");
    }

    /** The refusal of an empty --backend (often an unset shell variable), which is not read as "the default". */
    public static UserError empty() {
        return new UserError("--backend is empty (use " + choices("--backend ", " or ") + ")");
    }

    /** Every name, each after {@code prefix}, joined by {@code separator}: "sim, uml" or "--backend sim or --backend uml". */
    public static String choices(String prefix, String separator) {
        return Arrays.stream(values()).map(b -> prefix + b.id).collect(Collectors.joining(separator));
    }
}
