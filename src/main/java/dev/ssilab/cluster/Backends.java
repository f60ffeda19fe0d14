package dev.ssilab.cluster;

import dev.ssilab.state.UserError;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds a backend provider by its --backend name among the providers on the class path. */
final class Backends {
    private Backends() {}

    static BackendProvider find(String name) {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        List<String> names = names();
        throw new UserError("unknown backend '" + name + "' ("
                + (names.isEmpty() ? "this build has no cluster backend" : "this build has: " + String.join(", ", names))
                + "; choose one with --backend)");
    }

    static List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        ServiceLoader.load(BackendProvider.class).forEach(p -> names.add(p.name()));
        return List.copyOf(names);
    }
}
