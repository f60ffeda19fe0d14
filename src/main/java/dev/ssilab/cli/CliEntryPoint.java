package dev.ssilab.cli;

import dev.ssilab.cluster.EntryPoint;

/** Tells the cluster layer that {@link Main} runs the command lines of the managers and console windows it starts. */
public final class CliEntryPoint implements EntryPoint {
    @Override
    public Class<?> mainClass() {
        return Main.class;
    }
}
