package dev.ssilab.cluster.uml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Which node hosts each of the cluster's centralized services (the CLMS master, root, init,
 * keepalive): all start on the lowest node up, and a node's services move to the lowest node still up
 * when it goes down. Not thread-safe: {@link UmlBackend} changes it under its own lock.
 */
final class ServiceHomes {
    static final List<String> SERVICES = List.of("CLMS master", "root", "init", "keepalive");

    private final Map<String, Integer> homes = new LinkedHashMap<>();

    /** The node hosting {@code service}, or null when no node is up to host it. */
    Integer home(String service) {
        return homes.get(service);
    }

    /** The services node N hosts. */
    List<String> on(int n) {
        return homes.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() == n).map(Map.Entry::getKey).toList();
    }

    /** Moves every service hosted on {@code n} to {@code survivor} (none left up: no home); returns where each moved. */
    Map<String, Integer> failOver(int n, Optional<Integer> survivor) {
        Map<String, Integer> moved = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : homes.entrySet()) {
            if (e.getValue() != null && e.getValue() == n) {
                e.setValue(survivor.orElse(null));
                survivor.ifPresent(s -> moved.put(e.getKey(), s));
            }
        }
        return moved;
    }

    /** Gives each service without a home on a node that is up ({@code up}) one on {@code lowest}. */
    void assignHomeless(Optional<Integer> lowest, IntPredicate up) {
        for (String s : SERVICES) {
            Integer home = homes.get(s);
            if ((home == null || !up.test(home)) && lowest.isPresent()) {
                homes.put(s, lowest.get());
            }
        }
    }
}
