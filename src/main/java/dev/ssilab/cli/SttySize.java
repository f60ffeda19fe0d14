package dev.ssilab.cli;

import dev.ssilab.cluster.TerminalSize;
import java.io.IOException;
import java.util.Optional;
import sun.misc.Signal;

/**
 * This process's terminal size, as {@code stty size} tells it (through ssilab console's own stty
 * runner, which drives the same terminal), and SIGWINCH for its changes: a tmux pane split or an xterm resized.
 */
final class SttySize implements TerminalSize {

    @Override
    public Optional<int[]> current() {
        try {
            String size = ConsoleCommand.stty("size");
            if (size == null) {
                return Optional.empty();
            }
            String[] w = size.strip().split("\\s+");
            return Optional.of(new int[] {Integer.parseInt(w[0]), Integer.parseInt(w[1])});
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void onChange(Runnable action) {
        try {
            Signal.handle(new Signal("WINCH"), s -> action.run());
        } catch (IllegalArgumentException e) {
            // no SIGWINCH here: the size sent at attach stays
        }
    }
}
