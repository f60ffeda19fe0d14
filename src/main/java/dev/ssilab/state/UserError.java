package dev.ssilab.state;

/**
 * A failure the user can act on: one line saying what was wrong, with the value, and what to do.
 *
 * <p>It lives in the lowest package so every layer can raise it; the CLI prints {@link #getMessage()}
 * on stderr and exits with {@link #exitCode()}, with a stack trace only under {@code --debug}.
 */
public class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) {
        this(message, 1);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = 1;
    }

    public int exitCode() {
        return exitCode;
    }
}
