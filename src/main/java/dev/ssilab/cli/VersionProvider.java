package dev.ssilab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven stamped into the jar. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/ssilab-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"ssilab " + p.getProperty("version", "unknown")
                + " (Java " + Runtime.version() + ")"};
    }
}
