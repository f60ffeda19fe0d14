package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.shell.Command;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * What a node and its session tell about themselves: hostname, whoami, date, clear.
 */
final class InfoCommands {
    private InfoCommands() {}

    static void register(Map<String, Command> m) {
        m.put("whoami", inv -> {
            inv.print("root\n"); // every session on a simulated node is root's, as on the HOWTO's nodes
            return 0;
        });
        m.put("clear", inv -> {
            inv.print("\033[H\033[2J");
            return 0;
        });
        m.put("date", inv -> {
            if (!inv.args().isEmpty()) {
                return inv.notModelled("date " + String.join(" ", inv.args()));
            }
            inv.print(ZonedDateTime.now().format(DateTimeFormatter.ofPattern(
                    "EEE MMM d HH:mm:ss zzz yyyy", Locale.ENGLISH)) + "\n");
            return 0;
        });
        m.put("hostname", inv -> {
            inv.print("node" + inv.node() + "\n");
            return 0;
        });
    }
}
