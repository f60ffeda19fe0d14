package dev.ssilab.cluster.uml;

import dev.ssilab.state.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A line-by-line shell on one node for {@code ssilab console}: each line typed runs on the node as a
 * command (its directory carried over from the previous line, so {@code cd} works). It serves clients
 * that are not terminals (a script piping lines in); a terminal gets the node's real console. Not a
 * terminal itself: no job control, no full-screen programs, no input to the commands.
 */
final class LineConsole {
    private static final String CWD_MARK = "SSILAB-CWD ";
    private final UmlNode node;
    private final OutputStream out;
    private String cwd = "/";

    LineConsole(UmlNode node, OutputStream out) {
        this.node = node;
        this.out = out;
    }

    void run(InputStream in) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            prompt();
            String line;
            while ((line = lines.readLine()) != null) {
                String cmd = line.strip();
                if (cmd.equals("exit") || cmd.equals("logout")) {
                    break;
                }
                if (!cmd.isEmpty() && !runOne(cmd)) {
                    break;
                }
                prompt();
            }
        } catch (IOException e) {
            // the learner's side closed
        }
    }

    /** Runs one typed line; false when the node went away. */
    private boolean runOne(String cmd) {
        String quotedCwd = "'" + cwd.replace("'", "'\\''") + "'";
        String script = "cd " + quotedCwd + " 2>/dev/null\n" + cmd + "\nssilab_status=$?\necho \"" + CWD_MARK + "$(pwd)\"\nexit $ssilab_status";
        OutputStream filtered = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                // exec hands over whole lines: the directory line is taken, the rest shown. Output
                // that did not end its last line (clear's escape codes) shares the directory's line.
                String text = new String(b, off, len, StandardCharsets.UTF_8);
                int mark = text.indexOf(CWD_MARK);
                if (mark >= 0) {
                    print(text.substring(0, mark));
                    cwd = text.substring(mark + CWD_MARK.length()).strip();
                } else {
                    print(text);
                }
            }
        };
        try {
            node.exec(script, Duration.ofHours(1), filtered);
            return true;
        } catch (UserError e) {
            print("console: " + e.getMessage() + "\n");
            return node.alive();
        }
    }

    private void prompt() {
        print("node" + node.node + ":" + cwd + "# ");
    }

    private void print(String text) {
        synchronized (out) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the learner detached
            }
        }
    }
}
