package dev.ssilab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command, however deep, answers --help with its usage. */
class HelpTest {
    @Test
    void everyCommandAnswersHelp() {
        List<String> failures = new ArrayList<>();
        walk(Main.commandLine(), new ArrayList<>(), failures);
        assertEquals(List.of(), failures);
    }

    private void walk(CommandLine cmd, List<String> path, List<String> failures) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine root = Main.commandLine();
        root.setOut(new PrintWriter(out));
        root.setErr(new PrintWriter(err));
        int exit = root.execute(args.toArray(String[]::new));
        if (exit != 0 || !out.toString().startsWith("Usage: ")) {
            failures.add(String.join(" ", args) + " -> exit " + exit + ": " + err.toString().strip());
        }
        for (var sub : cmd.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().usageMessage().hidden() || !sub.getKey().equals(sub.getValue().getCommandName())) {
                continue;
            }
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            walk(sub.getValue(), next, failures);
        }
    }
}
