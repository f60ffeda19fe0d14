package dev.ssilab.cli;

import dev.ssilab.state.SsilabVersion;
import picocli.CommandLine.IVersionProvider;

/** `--version`: ssilab's version and the Java it runs on. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"ssilab " + SsilabVersion.get() + " (Java " + Runtime.version() + ")"};
    }
}
