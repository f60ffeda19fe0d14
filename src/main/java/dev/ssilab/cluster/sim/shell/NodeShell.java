package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.model.ConsoleInput;
import dev.ssilab.cluster.sim.model.Input;
import dev.ssilab.cluster.sim.model.Namespace;
import dev.ssilab.cluster.sim.model.SharedFs;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.model.Sink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A shell on one simulated node: its state (variables, working directory, last status, background
 * jobs) and its sessions (an interactive console, one exec line). Lines are run by its
 * {@link Interpreter}, background jobs kept by its {@link Jobs}; what a command name runs comes from the
 * {@link CommandTable}. Commands it does not model get the simulator's "not modelled" line and 127.
 */
public final class NodeShell {

    /** How one command runs: on which node, pinned or not, with which output, errors and input. */
    public record Ctx(int node, boolean pinned, Sink out, Sink err, Input in) {
        Ctx withIo(Sink o, Sink e, Input i) {
            return new Ctx(node, pinned, o, e, i);
        }
    }

    final SimCluster c;
    final CommandTable commands;
    final SimProcess self;
    final Sink out;
    private final Sink.Terminal terminal;
    final boolean interactive;
    private final Namespace ns;
    private final WordExpander expander = new WordExpander(this);
    final Interpreter interpreter;
    final Jobs jobs;
    private String cwd;
    final Map<String, String> vars;
    int status;
    String lastBackground = "";
    boolean exitRequested;
    /** The process the shell waits for now (Ctrl-C ends it); set by the interpreter. */
    volatile SimProcess foreground;
    /** The thread running a line, interrupted by Ctrl-C when no process is in the foreground. */
    volatile Thread busyThread;
    /** The session's terminal keys (dbdemo and bash-ll read them); null without a terminal. */
    ConsoleInput input;
    /**
     * The shell whose thread runs this one (bash -c, a subshell), so a loop here stops when that one is
     * killed; null for a session or a job.
     */
    private NodeShell caller;
    /** The process whose end ends what this shell runs: its own, but a job's for the shell that carries a background command. */
    private SimProcess lifeline;
    /** Set by Ctrl-C until the next line: a loop may miss the interrupt itself (a command that ended anyway clears it). */
    private volatile boolean interruptRequested;

    /**
     * @param out where its commands print by default (a terminal, or a pipe for bash -c in a pipeline)
     * @param terminal the session's terminal when it has one (a console logs typed input there), else null
     */
    public NodeShell(SimCluster c, CommandTable commands, SimProcess self, Sink out, Sink.Terminal terminal,
            boolean interactive) {
        this.c = c;
        this.commands = commands;
        this.self = self;
        this.out = out;
        this.terminal = terminal;
        this.interactive = interactive;
        this.ns = new Namespace(c);
        this.interpreter = new Interpreter(this);
        this.jobs = new Jobs(this);
        this.cwd = "/root";
        this.lifeline = self;
        this.vars = new HashMap<>(Map.of("HOME", "/root", "USER", "root", "SHELL", "/bin/bash",
                "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"));
    }

    /** A child shell run by this shell's thread (bash -c, $(...)): same variables and directory, its own process. */
    public NodeShell fork(SimProcess newSelf, Sink newOut, boolean newInteractive) {
        NodeShell s = forkJob(newSelf, newOut, newInteractive);
        s.caller = this;
        return s;
    }

    /** A child shell for a background job, which outlives this shell's line. */
    NodeShell forkJob(SimProcess newSelf, Sink newOut, boolean newInteractive) {
        NodeShell s = new NodeShell(c, commands, newSelf, newOut, terminal, newInteractive);
        s.cwd = cwd;
        s.vars.putAll(vars);
        s.status = status;
        s.lastBackground = lastBackground;
        return s;
    }

    /** A shell that runs a background command as the job's process, in this shell's place: it lives as long as the job. */
    NodeShell carrier(SimProcess job) {
        NodeShell s = forkJob(self, out, false);
        s.lifeline = job;
        return s;
    }

    /** A ( ) subshell or a compound pipeline stage: a copy of this shell in its process, with its terminal. */
    NodeShell subshell() {
        NodeShell s = fork(self, out, false);
        s.input = input;
        return s;
    }

    /**
     * Whether the line this shell runs must stop now: this shell or one whose thread runs it was killed
     * (an exec's timeout, a crash) or got Ctrl-C. Clears the thread's interrupt it answers.
     */
    boolean cancelled() {
        boolean interrupted = Thread.interrupted();
        for (NodeShell s = this; s != null; s = s.caller) {
            if (!s.lifeline.alive() || s.interruptRequested) {
                return true;
            }
        }
        return interrupted;
    }

    public SimCluster cluster() {
        return c;
    }

    public Namespace namespace() {
        return ns;
    }

    public String cwd() {
        return cwd;
    }

    public void setVariable(String name, String value) {
        vars.put(name, value);
    }

    public void cd(String dir) {
        cwd = dir;
    }

    /** The absolute path a word names; /proc/self is this shell (it opens redirections itself, as bash does). */
    public String path(String p) {
        String abs = SharedFs.normalize(cwd, p);
        if (abs.equals("/proc/self") || abs.startsWith("/proc/self/")) {
            abs = "/proc/" + self.pid + abs.substring("/proc/self".length());
        }
        return abs;
    }

    int node() {
        return self.node();
    }

    public boolean alive() {
        return self.alive();
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    public void requestExit() {
        exitRequested = true;
    }

    public int status() {
        return status;
    }

    // ---- sessions

    /** Runs one line to its end; returns its status (the last command's). */
    public int run(String line) {
        interruptRequested = false;
        return interpreter.run(line, out);
    }

    /** Runs a script (bash -c, onall) in this shell with the given output; returns its status. */
    public int runScript(String script, Sink to) {
        return interpreter.run(script, to);
    }

    /** An interactive session on a console: prompt, read, run, until end of input, exit, or death. */
    public int interactive(ConsoleInput in) {
        this.input = in;
        Runnable previous = in.onInterrupt(this::interruptForeground);
        try {
            while (alive() && !exitRequested) {
                jobs.report();
                Interpreter.write(out, prompt());
                String line;
                try {
                    line = in.take();
                } catch (InterruptedException e) {
                    break; // this shell was killed (its node crashed)
                }
                if (line == null) {
                    break;
                }
                if (terminal != null) {
                    terminal.echoInput(line + "\n");
                }
                line = continued(line, in);
                if (line == null) {
                    break;
                }
                run(line);
            }
            return status;
        } finally {
            Thread.interrupted();
            in.onInterrupt(previous);
        }
    }

    /** One command line with a terminal to read keys from (an exec with the learner's keys); Ctrl-C stops its job. */
    public int runOnTerminal(String line, ConsoleInput in) {
        this.input = in;
        Runnable previous = in.onInterrupt(this::interruptForeground);
        try {
            return run(line);
        } finally {
            in.onInterrupt(previous);
        }
    }

    /**
     * A command cut short (a loop without done, an open quote) read on with the next lines, after sh's
     * "> " prompt; null when this shell was killed meanwhile, "" when Ctrl-C dropped the command.
     */
    private String continued(String line, ConsoleInput in) {
        while (ShellParser.incomplete(line)) {
            String more;
            busyThread = Thread.currentThread(); // so Ctrl-C wakes the wait for the next line; set before the prompt shows
            try {
                Interpreter.write(out, "> ");
                more = in.take();
            } catch (InterruptedException e) {
                if (!alive()) {
                    return null;
                }
                Interpreter.write(out, "\n");
                status = 130;
                return "";
            } finally {
                busyThread = null;
            }
            if (more == null) {
                return line; // end of input: the shell reports what is missing
            }
            if (terminal != null) {
                terminal.echoInput(more + "\n");
            }
            line = line + "\n" + more;
        }
        Thread.interrupted(); // a Ctrl-C that came as the last line did is not meant for the command
        return line;
    }

    String prompt() {
        String dir = cwd.equals("/root") ? "~" : cwd.equals("/") ? "/" : cwd.substring(cwd.lastIndexOf('/') + 1);
        return "[root@node" + node() + " " + dir + "]# ";
    }

    /** Ctrl-C: ends the foreground process, or interrupts what the shell itself is blocked in. */
    void interruptForeground() {
        interruptRequested = true;
        SimProcess f = foreground;
        if (f != null) {
            c.terminate(f, 2);
            return;
        }
        Thread t = busyThread;
        if (t != null) {
            t.interrupt();
        }
    }

    // ---- what commands ask of their shell

    /**
     * Runs expanded words as a command: a builtin in this shell, any other command as a new process on
     * ctx's node (or as {@code given}, a process already made for it, e.g. a background job).
     */
    public int runArgv(List<String> argv, Ctx ctx, SimProcess given) throws InterruptedException {
        return interpreter.runArgv(argv, ctx, given);
    }

    /** Waits for one background job (or all when pid is null); 127 when pid is not a child of this shell. */
    public int waitJobs(Integer pid) throws InterruptedException {
        return jobs.await(pid);
    }

    /** The pid of job N (kill %N), or null. */
    public Integer jobPid(int number) {
        return jobs.pid(number);
    }

    public List<String> jobLines() {
        return jobs.lines();
    }

    // ---- expansion

    List<String> expand(List<ShellSyntax.Word> words) throws InterruptedException {
        return expander.expand(words);
    }

    List<String> expandCommand(List<ShellSyntax.Word> words) throws InterruptedException {
        return expander.expandCommand(words);
    }

    String variable(String name) {
        return switch (name) {
            case "?" -> String.valueOf(status);
            case "$" -> String.valueOf(self.pid);
            case "!" -> lastBackground;
            case "#" -> "0";
            case "PWD" -> cwd;
            case "HOSTNAME" -> "node" + node();
            default -> vars.getOrDefault(name, "");
        };
    }

    String substitute(String source) throws InterruptedException {
        Sink.Buffer b = new Sink.Buffer();
        NodeShell sub = fork(self, b, false);
        sub.interpreter.run(source, b);
        status = sub.status;
        if (!alive()) {
            throw new InterruptedException("shell killed");
        }
        String text = b.text();
        while (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
