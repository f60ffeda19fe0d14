package dev.ssilab.cluster.sim;

import java.time.Duration;

/**
 * The simulator's clock knobs. Real time by default (dbdemo prints one record a second, the load
 * leveler looks every second); tests shorten them through the package-private SimBackend constructor.
 */
record SimTiming(Duration dbdemoInterval, Duration balancePeriod) {
    static final SimTiming REAL = new SimTiming(Duration.ofSeconds(1), Duration.ofSeconds(1));
}
