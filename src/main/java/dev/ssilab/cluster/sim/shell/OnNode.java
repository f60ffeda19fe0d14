package dev.ssilab.cluster.sim.shell;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The parsed words of {@code onnode [-p] N CMD...}. The shell reads them too: a background job that
 * starts with onnode is made on the node it names, so its pid ($!) is the command's.
 */
public record OnNode(int node, boolean pinned, List<String> command) {
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Null when the words are not a valid onnode call. */
    public static OnNode parse(List<String> argv) {
        int i = 1;
        boolean pinned = false;
        if (i < argv.size() && argv.get(i).equals("-p")) {
            pinned = true;
            i++;
        }
        if (i >= argv.size() || Invocation.number(argv.get(i)) == null) {
            return null;
        }
        return new OnNode(Invocation.number(argv.get(i)), pinned, commandWords(argv.subList(i + 1, argv.size())));
    }

    /**
     * What onnode and onall run, as on uml (and as ssh takes it): several words are the command and
     * its arguments, each exactly; one word that is more than a plain name is a command line for sh.
     */
    public static List<String> commandWords(List<String> words) {
        if (words.size() == 1 && !PLAIN_WORD.matcher(words.get(0)).matches()) {
            return List.of("sh", "-c", words.get(0));
        }
        return words;
    }
}
