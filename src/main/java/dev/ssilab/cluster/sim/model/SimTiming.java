package dev.ssilab.cluster.sim.model;

import java.time.Duration;

/**
 * The simulator's clock knobs. Real time by default (dbdemo prints one record a second, the load
 * leveler looks every second); tests shorten them through the package-private SimBackend constructor.
 */
public record SimTiming(Duration dbdemoInterval, Duration balancePeriod) {
    public static final SimTiming REAL = new SimTiming(Duration.ofSeconds(1), Duration.ofSeconds(1));
}
