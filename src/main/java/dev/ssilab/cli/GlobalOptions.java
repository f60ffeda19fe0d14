package dev.ssilab.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes. */
public final class GlobalOptions {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces on failure.")
    boolean debug;

    static boolean debugFromEnv() {
        return "1".equals(System.getenv("SSILAB_DEBUG"));
    }

    public boolean debug() {
        return debug || debugFromEnv();
    }
}
