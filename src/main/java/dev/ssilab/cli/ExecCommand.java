package dev.ssilab.cli;

import dev.ssilab.cluster.ClusterArgs;
import dev.ssilab.cluster.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ssilab exec ID N -- CMD...}: runs one command on a node and exits with its status. As ssh
 * does, one word is a command line for the node's shell ({@code -- 'a | b'}); unlike ssh, several words
 * reach the command each exactly as given ({@code -- sh -c 'echo "$HOME  x"'}: the node's $HOME, two spaces), quoted for the node's shell.
 */
@Command(name = "exec", mixinStandardHelpOptions = true, description = "Run one command on node N of cluster ID and exit with its status."
        + " One word after -- is a command line for the node's shell (-- 'ps | grep dbdemo');"
        + " several words are passed to the command each exactly as given (-- sh -c 'echo \"$HOME  x\"').")
final class ExecCommand implements Callable<Integer> {

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "End the command after this long (default: 600); exit 124.")
    String timeout = "600";

    @Mixin
    NodeAddress at = new NodeAddress();

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "CMD", description = "After --: one command line, or a command and its arguments.")
    List<String> command;

    @Override
    public Integer call() {
        Duration limit = ClusterArgs.timeoutSeconds(timeout);
        ExecResult result = ClusterCommand.clusters().exec(at.clusterId(), at.node(),
                commandLine(command), limit, System.out);
        System.out.flush();
        if (result.timedOut()) {
            System.err.println("ssilab exec: the command was ended after " + limit.toSeconds() + " s (--timeout)");
        }
        String lost = ClusterCommand.clusters().nodeLostNote(at.clusterId(), at.node(), result.exitCode());
        if (lost != null) {
            System.err.println("ssilab exec: " + lost);
        }
        return result.exitCode();
    }

    /** One word as it is (a command line); several each quoted for sh, so each arrives exactly. */
    static String commandLine(List<String> words) {
        if (words.size() == 1) {
            return words.get(0);
        }
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.isEmpty() ? "" : " ").append(quote(w));
        }
        return b.toString();
    }

    /** A word for sh: as it is when it has only safe characters, else single-quoted (' as '\''). */
    static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
}
