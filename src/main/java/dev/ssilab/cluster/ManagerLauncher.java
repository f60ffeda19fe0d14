package dev.ssilab.cluster;

import dev.ssilab.state.SsilabPaths;
import dev.ssilab.state.UserError;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts a cluster's manager ({@code ssilab clusterd ID}) as a detached process and waits until it
 * says it is ready (its state file turns RUNNING and it answers PING on its socket).
 *
 * <p>The manager runs on the same java binary and class path as the caller, in a new session
 * ({@code setsid}) with stdin from /dev/null and its output in the cluster's {@code manager.log}, so it
 * outlives the command that started it and a terminal hang-up does not reach it.
 */
final class ManagerLauncher {
    /** How long a new manager may take to boot its nodes and answer, by default. */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Registry registry;
    private final Duration readyTimeout;

    ManagerLauncher(Registry registry, Duration readyTimeout) {
        this.registry = registry;
        this.readyTimeout = readyTimeout;
    }

    /** Launches the manager of the STARTING cluster {@code id}; on any failure it leaves no trace of the cluster. */
    ClusterState launch(int id) {
        Process process = null;
        Thread cleanupOnInterrupt = null;
        boolean ready = false;
        try {
            process = start(id);
            Process started = process;
            // Ctrl-C while we wait must not leave a half-started cluster behind.
            cleanupOnInterrupt = new Thread(() -> abandon(id, started), "ssi-start-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanupOnInterrupt);
            ClusterState state = awaitReady(id, process);
            ready = true;
            return state;
        } finally {
            if (cleanupOnInterrupt != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanupOnInterrupt);
                } catch (IllegalStateException exiting) {
                    // the hook is already running and cleans up
                }
            }
            if (!ready) {
                abandon(id, process);
            }
        }
    }

    private Process start(int id) {
        Path log = registry.logFile(id);
        privateLog(log);
        ProcessBuilder builder = new ProcessBuilder(command(id))
                .directory(registry.dir(id).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        builder.environment().put("SSILAB_PROG", "ssilab clusterd");
        // The manager must use this registry even when the caller built its paths from something other
        // than its own environment (the tutor, tests): hand them over as the XDG variables they came from.
        SsilabPaths paths = registry.paths();
        putXdg(builder, "XDG_STATE_HOME", paths.stateHome());
        putXdg(builder, "XDG_CACHE_HOME", paths.cacheHome());
        putXdg(builder, "XDG_DATA_HOME", paths.dataHome());
        putXdg(builder, "XDG_CONFIG_HOME", paths.configHome());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UserError("cannot start the cluster manager (" + builder.command().get(0) + "): " + e.getMessage());
        }
    }

    /** The log is created 0600 before the manager appends to it: it shows what runs on the nodes. */
    private static void privateLog(Path log) {
        try {
            if (!Files.exists(log)) {
                Files.createFile(log);
            }
            Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // no POSIX permissions on this file system: nothing to tighten
        } catch (IOException e) {
            throw new UserError("cannot create the cluster manager's log " + log + ": " + e.getMessage());
        }
    }

    /** SsilabPaths appends "ssilab" to each XDG folder; the variable is the folder above it. */
    private static void putXdg(ProcessBuilder builder, String variable, Path ssilabFolder) {
        Path abs = ssilabFolder.toAbsolutePath();
        if (abs.getFileName() != null && abs.getFileName().toString().equals("ssilab") && abs.getParent() != null) {
            builder.environment().put(variable, abs.getParent().toString());
        } else {
            throw new IllegalStateException(variable + " cannot express " + abs + " (SsilabPaths folders end in /ssilab)");
        }
    }

    List<String> command(int id) {
        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            command.add(setsid.toString());
        }
        command.addAll(SelfCommand.of("clusterd", Integer.toString(id)));
        return command;
    }

    /** The manager runs in the cluster folder, so relative class path entries (java -jar target/x.jar) must become absolute. */
    private ClusterState awaitReady(int id, Process process) {
        Instant deadline = Instant.now().plus(readyTimeout);
        long self = ProcessHandle.current().pid();
        while (true) {
            ClusterState state = registry.read(id).orElseThrow(
                    () -> new UserError("cluster " + id + " was removed while it was starting (by ssi-stop " + id + "?)"));
            if (state.phase() == ClusterState.Phase.RUNNING) {
                new ManagerClient(id, state.socket(), registry.logFile(id)).call(ManagerProtocol.PING);
                return state;
            }
            // setsid execs java in place, so the child is the manager; should it ever fork instead,
            // the manager's own pid in the state file keeps the wait going.
            boolean alive = process.isAlive() || (state.pid() != self && Registry.ownerAlive(state));
            if (!alive) {
                throw new UserError(failureReason(id));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new UserError("the manager of cluster " + id + " did not become ready within "
                        + readyTimeout.toSeconds() + " s; " + lastLogLine(id).orElse("its log is empty"));
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS); // poll interval; returns at once if the manager exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while cluster " + id + " was starting");
            }
        }
    }

    private String failureReason(int id) {
        return lastLogLine(id)
                .map(line -> line.replaceFirst("^ssilab clusterd: ", ""))
                .map(line -> "cluster " + id + " could not start: " + line)
                .orElse("the manager of cluster " + id + " exited before it was ready, saying nothing");
    }

    private Optional<String> lastLogLine(int id) {
        try {
            List<String> lines = Files.readAllLines(registry.logFile(id), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return Optional.of(lines.get(i).trim());
                }
            }
        } catch (IOException e) {
            // no log: say nothing about it
        }
        return Optional.empty();
    }

    /** Kills a manager that did not become ready and removes its registry entry. */
    private void abandon(int id, Process process) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Path socket = null;
        try {
            Optional<ClusterState> state = registry.read(id);
            if (state.isPresent()) {
                socket = state.get().socket();
                long self = ProcessHandle.current().pid();
                if (state.get().pid() != self && Registry.ownerAlive(state.get())) {
                    ProcessHandle.of(state.get().pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (RuntimeException e) {
            // a corrupt state file: the folder goes anyway
        }
        registry.remove(id, socket);
    }
}
