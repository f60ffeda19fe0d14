package dev.ssilab.cluster.sim;

import dev.ssilab.cluster.sim.SharedFs.FsError;
import dev.ssilab.cluster.sim.ShellSyntax.AndOr;
import dev.ssilab.cluster.sim.ShellSyntax.Item;
import dev.ssilab.cluster.sim.ShellSyntax.Pipeline;
import dev.ssilab.cluster.sim.ShellSyntax.Redirect;
import dev.ssilab.cluster.sim.ShellSyntax.Script;
import dev.ssilab.cluster.sim.ShellSyntax.Simple;
import dev.ssilab.cluster.sim.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A shell on one simulated node: parses a line ({@link ShellParser}), expands words, opens
 * redirections, runs builtins in itself and other commands as processes of the clusterwide table, and
 * keeps background jobs. Commands it does not model get the simulator's "not modelled" line and 127.
 */
final class NodeShell {
    /** Commands that run inside the shell, without a process of their own (as in bash). */
    private static final Set<String> BUILTINS = Set.of("echo", "true", "false", ":", "exit", "cd", "pwd", "kill",
            "wait", "export", "onnode", "onall", "jobs", "test", "[", "help", "logout");
    static final Map<String, Command> COMMANDS = commands();

    private static Map<String, Command> commands() {
        Map<String, Command> m = new HashMap<>();
        FileCommands.register(m);
        ProcessCommands.register(m);
        ClusterCommands.register(m);
        m.put("dbdemo", DbDemo::run);
        m.put("test", TestCommand::run);
        m.put("[", TestCommand::run);
        return Map.copyOf(m);
    }

    /** How one command runs: on which node, pinned or not, with which output, errors and input. */
    record Ctx(int node, boolean pinned, Sink out, Sink err, Input in) {
        Ctx withIo(Sink o, Sink e, Input i) {
            return new Ctx(node, pinned, o, e, i);
        }
    }

    private record Job(int number, int pid, String text) {}

    private final SimCluster c;
    final SimProcess self;
    private final Sink out;
    private final Sink.Terminal terminal;
    private final boolean interactive;
    private final Namespace ns;
    private final WordExpander expander = new WordExpander(this);
    private String cwd;
    private final Map<String, String> vars;
    private int status;
    private String lastBackground = "";
    private boolean exitRequested;
    private final List<Job> jobs = new ArrayList<>();
    private volatile SimProcess foreground;
    private volatile Thread busyThread;
    private ConsoleInput input;

    /**
     * @param out where its commands print by default (a terminal, or a pipe for bash -c in a pipeline)
     * @param terminal the session's terminal when it has one (a console logs typed input there), else null
     */
    NodeShell(SimCluster c, SimProcess self, Sink out, Sink.Terminal terminal, boolean interactive) {
        this.c = c;
        this.self = self;
        this.out = out;
        this.terminal = terminal;
        this.interactive = interactive;
        this.ns = new Namespace(c);
        this.cwd = "/root";
        this.vars = new HashMap<>(Map.of("HOME", "/root", "USER", "root", "SHELL", "/bin/bash",
                "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"));
    }

    /** A subshell (a background job, bash -c): same variables and directory, its own process. */
    NodeShell fork(SimProcess newSelf, Sink newOut, boolean newInteractive) {
        NodeShell s = new NodeShell(c, newSelf, newOut, terminal, newInteractive);
        s.cwd = cwd;
        s.vars.putAll(vars);
        s.status = status;
        s.lastBackground = lastBackground;
        return s;
    }

    SimCluster cluster() {
        return c;
    }

    Namespace namespace() {
        return ns;
    }

    String cwd() {
        return cwd;
    }

    void setVariable(String name, String value) {
        vars.put(name, value);
    }

    void cd(String dir) {
        cwd = dir;
    }

    /** The absolute path a word names; /proc/self is this shell (it opens redirections itself, as bash does). */
    String path(String p) {
        String abs = SharedFs.normalize(cwd, p);
        if (abs.equals("/proc/self") || abs.startsWith("/proc/self/")) {
            abs = "/proc/" + self.pid + abs.substring("/proc/self".length());
        }
        return abs;
    }

    int node() {
        synchronized (c) {
            return self.node;
        }
    }

    boolean alive() {
        synchronized (c) {
            return self.alive;
        }
    }

    boolean exitRequested() {
        return exitRequested;
    }

    void requestExit() {
        exitRequested = true;
    }

    int status() {
        return status;
    }

    // ---- running lines

    /** Runs one line to its end; returns its status (the last command's). */
    int run(String line) {
        return run(line, out);
    }

    private int run(String line, Sink to) {
        Script script;
        try {
            script = ShellParser.parse(line);
        } catch (ShellParser.SyntaxError e) {
            write(to, "bash: " + e.getMessage() + "\n");
            return status = 2;
        }
        String refused = ShellParser.unmodelled(script);
        if (refused != null) {
            write(to, "ssilab sim: " + refused + " is not modelled by the simulator\n");
            return status = 127;
        }
        busyThread = Thread.currentThread();
        try {
            for (Item item : script.items()) {
                if (exitRequested || !alive()) {
                    break;
                }
                Ctx ctx = new Ctx(node(), false, to, to, Input.EMPTY);
                if (item.background()) {
                    startBackground(item.chain(), ctx);
                    status = 0;
                } else {
                    status = runAndOr(item.chain(), ctx);
                }
            }
        } catch (InterruptedException e) {
            if (alive()) {
                status = 130; // Ctrl-C ended the line
                write(to, "\n");
            }
        } catch (SimCluster.ForkError e) {
            write(to, "bash: " + e.getMessage() + "\n");
            status = 254;
        } finally {
            busyThread = null;
            Thread.interrupted();
        }
        return status;
    }

    private static void write(Sink s, String text) {
        try {
            s.write(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Sink.WriteError e) {
            // nowhere left to report it
        }
    }

    /** An interactive session on a console: prompt, read, run, until end of input, exit, or death. */
    int interactive(ConsoleInput in) {
        this.input = in;
        Runnable previous = in.onInterrupt(this::interruptForeground);
        try {
            while (alive() && !exitRequested) {
                reportJobs();
                write(out, prompt());
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
                run(line);
            }
            return status;
        } finally {
            Thread.interrupted();
            in.onInterrupt(previous);
        }
    }

    /** One command line with a terminal to read keys from (an exec with the learner's keys); Ctrl-C stops its job. */
    int runOnTerminal(String line, ConsoleInput in) {
        this.input = in;
        Runnable previous = in.onInterrupt(this::interruptForeground);
        try {
            return run(line);
        } finally {
            in.onInterrupt(previous);
        }
    }

    String prompt() {
        String dir = cwd.equals("/root") ? "~" : cwd.equals("/") ? "/" : cwd.substring(cwd.lastIndexOf('/') + 1);
        return "[root@node" + node() + " " + dir + "]# ";
    }

    /** Ctrl-C: ends the foreground process, or interrupts what the shell itself is blocked in. */
    void interruptForeground() {
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

    /** Tells an interactive learner about background jobs that ended, as bash does before a prompt. */
    private void reportJobs() {
        for (Iterator<Job> it = jobs.iterator(); it.hasNext(); ) {
            Job j = it.next();
            Integer st = c.reap(self.pid, j.pid());
            if (st == null) {
                continue;
            }
            it.remove();
            if (st >= 0 && interactive) {
                String how = st == 0 ? "Done" : st > 128 ? Signals.describe(st - 128) : "Exit " + st;
                write(out, String.format("[%d]+  %-24s%s%n", j.number(), how, j.text()));
            }
        }
    }

    int runAndOr(AndOr chain, Ctx ctx) throws InterruptedException {
        int st = runPipeline(chain.pipelines().get(0), ctx);
        for (int i = 0; i < chain.ops().size(); i++) {
            if (exitRequested || !alive()) {
                break;
            }
            boolean and = chain.ops().get(i).equals("&&");
            if ((and && st == 0) || (!and && st != 0)) {
                status = st;
                st = runPipeline(chain.pipelines().get(i + 1), ctx);
            }
        }
        return st;
    }

    private int runPipeline(Pipeline p, Ctx ctx) throws InterruptedException {
        int st = runStages(p, ctx);
        return p.negated() ? (st == 0 ? 1 : 0) : st;
    }

    private int runStages(Pipeline p, Ctx ctx) throws InterruptedException {
        List<Simple> cmds = p.commands();
        if (cmds.size() == 1) {
            return runSimple(cmds.get(0), ctx, null);
        }
        // stages run one after the other, each reading everything the previous one wrote; but as a
        // real shell starts them together, every stage's process exists from the start (ps | grep x
        // lists the grep), each taken up by its stage when it runs
        List<List<String>> argvs = new ArrayList<>();
        List<SimProcess> started = new ArrayList<>();
        try {
            for (Simple s : cmds) {
                List<String> argv = expand(s.words());
                argvs.add(argv);
                started.add(startStage(argv, ctx));
            }
            Input in = ctx.in();
            int st = 0;
            for (int i = 0; i < cmds.size(); i++) {
                boolean last = i == cmds.size() - 1;
                Sink.Buffer pipe = last ? null : new Sink.Buffer();
                prepared = started.get(i);
                try {
                    st = runExpanded(argvs.get(i), cmds.get(i).redirects(), ctx.withIo(last ? ctx.out() : pipe, ctx.err(), in), null);
                } finally {
                    prepared = null;
                }
                if (!last) {
                    String text = pipe.text();
                    in = () -> text;
                }
            }
            return st;
        } finally {
            for (SimProcess stage : started) {
                if (stage != null) { // ended by its stage, or (a redirection failed) never taken up: ends now
                    c.exit(stage, 0, false);
                    c.release(stage);
                    c.reap(self.pid, stage.pid);
                }
            }
        }
    }

    /** A pipeline stage's process, made with its pipeline, for runArgv to take up; set only while that stage runs. */
    private SimProcess prepared;

    /** The process of a pipeline stage that will run as a process of its own (not a builtin), or null. */
    private SimProcess startStage(List<String> argv, Ctx ctx) {
        if (argv.isEmpty() || BUILTINS.contains(argv.get(0)) || argv.get(0).contains("=")
                || !COMMANDS.containsKey(programName(argv.get(0)))) {
            return null;
        }
        synchronized (c) {
            if (!c.membership.isUp(ctx.node())) {
                return null;
            }
            try {
                SimProcess p = c.spawn(ctx.node(), self, String.join(" ", argv), self.tty);
                p.pinned = ctx.pinned();
                return p;
            } catch (SimCluster.ForkError e) {
                return null; // the stage makes its own when it runs, and reports the failure then
            }
        }
    }

    int runSimple(Simple s, Ctx ctx, SimProcess given) throws InterruptedException {
        return runExpanded(expand(s.words()), s.redirects(), ctx, given);
    }

    private int runExpanded(List<String> argv, List<Redirect> redirects, Ctx ctx, SimProcess given)
            throws InterruptedException {
        int k = 0;
        while (k < argv.size() && argv.get(k).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            k++;
        }
        for (String a : argv.subList(0, k)) {
            int eq = a.indexOf('=');
            vars.put(a.substring(0, eq), a.substring(eq + 1));
        }
        argv = argv.subList(k, argv.size());
        Sink o = ctx.out();
        Sink e = ctx.err();
        Input in = ctx.in();
        List<Sink> opened = new ArrayList<>();
        try {
            for (Redirect r : redirects) {
                if (r.op().equals("2>&1")) {
                    e = o;
                    continue;
                }
                List<String> t = expand(List.of(r.target()));
                if (t.size() != 1) {
                    ctx.err().write("bash: " + r.target().text() + ": ambiguous redirect\n");
                    return 1;
                }
                String abs = path(t.get(0));
                try {
                    if (r.op().equals("<")) {
                        in = ns.openRead(abs, ctx.node());
                    } else {
                        Sink sink = ns.openWrite(abs, r.op().endsWith(">>"), ctx.node());
                        opened.add(sink);
                        if (r.op().startsWith("2")) {
                            e = sink;
                        } else {
                            o = sink;
                        }
                    }
                } catch (FsError err) {
                    if (err.notModelled) {
                        ctx.err().write("ssilab sim: " + err.getMessage() + " is not modelled by the simulator\n");
                        return 127;
                    }
                    ctx.err().write("bash: " + t.get(0) + ": " + err.getMessage() + "\n");
                    return 1;
                }
            }
            if (argv.isEmpty()) {
                return 0;
            }
            return runArgv(argv, ctx.withIo(o, e, in), given);
        } catch (Sink.WriteError err) {
            ctx.err().write("bash: " + err.getMessage() + "\n");
            return 1;
        } finally {
            for (Sink sink : opened) {
                sink.close();
            }
        }
    }

    /**
     * Runs expanded words: a builtin in this shell, any other command as a new process on ctx's node
     * (or as {@code given}, a process already made for it, e.g. a background job).
     */
    int runArgv(List<String> argv, Ctx ctx, SimProcess given) throws InterruptedException {
        String name = argv.get(0);
        if (name.contains("/")) {
            // a program named by its path: a file on the shared root, run as the command it models
            synchronized (c) {
                if (!(c.fs.lookup(path(name)) instanceof SharedFs.RegularFile)) {
                    ctx.err().write("bash: " + name + ": No such file or directory\n");
                    return 127;
                }
            }
            name = name.substring(name.lastIndexOf('/') + 1);
        }
        Command cmd = COMMANDS.get(name);
        if (cmd == null) {
            ctx.err().write("ssilab sim: " + name + " is not modelled by the simulator\n");
            return 127;
        }
        if (given != null || BUILTINS.contains(name)) {
            return cmd.run(new Invocation(this, argv, ctx.node(), ctx.pinned(), ctx.out(), ctx.err(), ctx.in(), given, input));
        }
        SimProcess p = prepared; // a pipeline stage's, made with its pipeline
        prepared = null;
        synchronized (c) {
            if (p != null) {
                if (!c.runBy(p, Thread.currentThread())) {
                    return p.exitStatus; // killed before its stage ran
                }
            } else {
                if (!c.membership.isUp(ctx.node())) {
                    return new Invocation(this, argv, ctx.node(), false, ctx.out(), ctx.err(), ctx.in(), null, input)
                            .fail(1, "node " + ctx.node() + " is " + c.membership.state(ctx.node()) + ", not UP");
                }
                p = c.spawn(ctx.node(), self, String.join(" ", argv), self.tty);
                p.pinned = ctx.pinned();
                c.runBy(p, Thread.currentThread());
            }
        }
        foreground = p;
        int st = 1;
        try {
            st = cmd.run(new Invocation(this, argv, ctx.node(), ctx.pinned(), ctx.out(), ctx.err(), ctx.in(), p, input));
        } catch (InterruptedException e) {
            boolean shellAlive = alive();
            synchronized (c) {
                if (p.alive) {
                    c.terminate(p, shellAlive ? 2 : 1); // Ctrl-C, or the hangup of a dying session
                }
                st = p.exitStatus;
            }
            if (!shellAlive || st == 130) {
                throw e;
            }
        } finally {
            foreground = null;
            c.exit(p, st, false);
            c.release(p);
            c.reap(self.pid, p.pid);
        }
        synchronized (c) {
            return p.exitStatus;
        }
    }

    /** Runs a script (bash -c, onall) in this shell with the given output; returns its status. */
    int runScript(String script, Sink to) {
        return run(script, to);
    }

    // ---- background jobs

    private void startBackground(AndOr chain, Ctx ctx) throws InterruptedException {
        String text = describe(chain);
        SimProcess job;
        NodeShell sub;
        Simple single = chain.ops().isEmpty() && chain.pipelines().get(0).commands().size() == 1
                ? chain.pipelines().get(0).commands().get(0) : null;
        List<String> argv = single == null ? null : expand(single.words());
        if (single != null && !argv.isEmpty() && !argv.get(0).contains("=")) {
            // the job is the command itself (its pid is $!), on the node onnode names if it starts with onnode
            int node = ctx.node();
            boolean pinned = false;
            List<String> rest = argv;
            while (!rest.isEmpty() && rest.get(0).equals("onnode")) {
                ProcessCommands.OnNode on = ProcessCommands.OnNode.parse(rest);
                if (on == null) {
                    break;
                }
                node = on.node();
                pinned |= on.pinned();
                rest = on.command();
            }
            synchronized (c) {
                if (!c.membership.isUp(node) || rest.isEmpty() || !COMMANDS.containsKey(programName(rest.get(0)))) {
                    job = null; // let the foreground path report it, in the job
                } else {
                    job = c.spawn(node, self, String.join(" ", rest), self.tty);
                    job.pinned = pinned;
                    boolean quiet = single.redirects().stream()
                            .allMatch(r -> r.target() == null || r.target().text().equals("/dev/null"));
                    boolean stdoutNull = single.redirects().stream().anyMatch(r -> r.target() != null
                            && (r.op().equals(">") || r.op().equals(">>")) && r.target().text().equals("/dev/null"));
                    if (quiet && TimedProcesses.start(c, job, rest, stdoutNull)) {
                        addJob(job, text);
                        return; // a sleep or busy loop: a timer, no thread
                    }
                }
            }
            if (job != null) {
                SimProcess j = job;
                Ctx jobCtx = new Ctx(node, pinned, ctx.out(), ctx.err(), Input.EMPTY);
                List<String> cmd = rest;
                NodeShell shell = fork(self, out, false);
                launch(job, () -> shell.runExpanded(cmd, single.redirects(), jobCtx, j));
                addJob(job, text);
                return;
            }
        }
        synchronized (c) {
            job = c.spawn(ctx.node(), self, "bash", self.tty);
        }
        sub = fork(job, out, false);
        launch(job, () -> sub.runAndOr(chain, new Ctx(ctx.node(), false, ctx.out(), ctx.err(), Input.EMPTY)));
        addJob(job, text);
    }

    /** The command a word names: itself, or for a path to an existing file on the shared root, its base name. */
    private String programName(String word) {
        if (!word.contains("/")) {
            return word;
        }
        synchronized (c) {
            return c.fs.lookup(path(word)) instanceof SharedFs.RegularFile ? word.substring(word.lastIndexOf('/') + 1) : word;
        }
    }

    private interface JobBody {
        int run() throws InterruptedException;
    }

    private void launch(SimProcess job, JobBody body) {
        try {
            c.jobs.execute(() -> {
                if (!c.runBy(job, Thread.currentThread())) {
                    return;
                }
                int st = 1;
                try {
                    st = body.run();
                } catch (InterruptedException e) {
                    st = 130;
                } catch (SimCluster.ForkError e) {
                    write(out, "bash: " + e.getMessage() + "\n");
                    st = 254;
                } finally {
                    c.exit(job, st, true);
                    c.release(job);
                }
            });
        } catch (RejectedExecutionException e) {
            c.terminate(job, 9); // the cluster is stopping
        }
    }

    private void addJob(SimProcess job, String text) throws InterruptedException {
        lastBackground = String.valueOf(job.pid);
        int number = jobs.isEmpty() ? 1 : jobs.get(jobs.size() - 1).number() + 1;
        jobs.add(new Job(number, job.pid, text));
        if (interactive) {
            out.write("[" + number + "] " + job.pid + "\n");
        }
    }

    /** Waits for one background job (or all when pid is null); 127 when pid is not a child of this shell. */
    int waitJobs(Integer pid) throws InterruptedException {
        if (pid != null) {
            Integer st = c.waitChild(self.pid, pid);
            jobs.removeIf(j -> j.pid() == pid);
            return st == null ? 127 : st;
        }
        int st = 0;
        for (Job j : new ArrayList<>(jobs)) {
            Integer s = c.waitChild(self.pid, j.pid());
            st = s == null ? st : s;
        }
        jobs.clear();
        return st;
    }

    /** The pid of job N (kill %N), or null. */
    Integer jobPid(int number) {
        for (Job j : jobs) {
            if (j.number() == number) {
                return j.pid();
            }
        }
        return null;
    }

    List<String> jobLines() {
        List<String> lines = new ArrayList<>();
        for (Job j : jobs) {
            lines.add("[" + j.number() + "]  " + (c.process(j.pid()) != null ? "Running" : "Done") + "  " + j.text());
        }
        return lines;
    }

    private static String describe(AndOr chain) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < chain.pipelines().size(); i++) {
            if (i > 0) {
                b.append(' ').append(chain.ops().get(i - 1)).append(' ');
            }
            List<Simple> cmds = chain.pipelines().get(i).commands();
            for (int j = 0; j < cmds.size(); j++) {
                if (j > 0) {
                    b.append(" | ");
                }
                List<String> words = new ArrayList<>();
                cmds.get(j).words().forEach(w -> words.add(w.text()));
                cmds.get(j).redirects().forEach(r -> words.add(r.op() + (r.target() == null ? "" : r.target().text())));
                b.append(String.join(" ", words));
            }
        }
        return b.toString();
    }

    // ---- expansion

    List<String> expand(List<Word> words) throws InterruptedException {
        return expander.expand(words);
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
        sub.run(source, b);
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

    // ---- small helpers for commands

    /** Waits until p has ended or the wait is interrupted (a kill of the waiter). */
    void awaitEnd(SimProcess p) throws InterruptedException {
        synchronized (c) {
            while (p.alive) {
                c.wait();
            }
        }
    }

    static void sleepMillis(long ms) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(ms);
    }
}
