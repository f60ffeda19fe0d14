package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The short cuts of Main.run (--version without picocli, one subcommand's model only) change nothing a learner sees. */
class MainFastPathTest {
    @Test
    void versionIsPicocliVersionLine() {
        StringWriter expected = new StringWriter();
        CommandLine full = Main.commandLine();
        full.setOut(new PrintWriter(expected));
        assertEquals(0, full.execute("--version"));
        for (String flag : List.of("--version", "-V")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream saved = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                assertEquals(0, Main.run(flag));
            } finally {
                System.setOut(saved);
            }
            assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8), flag);
        }
    }

    @Test
    void aNamedSubcommandAloneIsTheSameCommandAsInTheWholeTree() {
        CommandLine full = Main.commandLine();
        List<String> names = new ArrayList<>(full.getSubcommands().keySet());
        assertEquals(15, names.size(), names.toString());
        for (String name : names) {
            CommandLine alone = Main.commandLine(name);
            assertEquals(List.of(name), new ArrayList<>(alone.getSubcommands().keySet()));
            assertEquals(usage(full.getSubcommands().get(name)), usage(alone.getSubcommands().get(name)), name);
        }
    }

    @Test
    void anythingElseGetsEveryCommand() {
        int all = Main.commandLine().getSubcommands().size();
        for (String first : new String[] {"--help", "--backend", "fecth", "FETCH"}) {
            assertEquals(all, Main.commandLine(first).getSubcommands().size(), first);
        }
    }

    private static String usage(CommandLine cmd) {
        StringWriter w = new StringWriter();
        cmd.usage(new PrintWriter(w));
        for (var sub : cmd.getSubcommands().values()) {
            w.append(usage(sub));
        }
        return w.toString();
    }
}
