package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.model.Input;
import dev.ssilab.cluster.sim.model.SharedFs.FsError;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.LineInput;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.model.Sink;
import dev.ssilab.cluster.sim.shell.NodeShell.Ctx;
import dev.ssilab.cluster.sim.shell.ShellSyntax.AndOr;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Cmd;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Compound;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Item;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Pipeline;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Redirect;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Script;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Simple;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a node shell's lines: parses them ({@link ShellParser}), runs lists, and-or chains and pipelines,
 * expands words, opens redirections, hands compound commands to {@link CompoundCommands}, and runs each
 * simple command from the shell's {@link CommandTable}: a builtin inside the shell, any other as a
 * process of the clusterwide table; {@code &} goes to {@link Jobs}.
 */
final class Interpreter {
    private final NodeShell sh;
    private final SimCluster c;
    private final CompoundCommands compounds;
    /** A pipeline stage's process, made with its pipeline, for runArgv to take up; set only while that stage runs. */
    private SimProcess prepared;

    Interpreter(NodeShell sh) {
        this.sh = sh;
        this.c = sh.c;
        this.compounds = new CompoundCommands(sh, this);
    }

    /** Runs one line to its end with output to {@code to}; returns its status (the last command's). */
    int run(String line, Sink to) {
        Script script;
        try {
            script = ShellParser.parse(line);
        } catch (ShellParser.SyntaxError e) {
            write(to, "bash: " + e.getMessage() + "\n");
            return sh.status = 2;
        } catch (ShellParser.Unmodelled e) {
            write(to, "ssilab sim: " + e.getMessage() + " is not modelled by the simulator\n");
            return sh.status = 127;
        }
        sh.busyThread = Thread.currentThread();
        try {
            runList(script, new Ctx(sh.node(), false, to, to, Input.EMPTY));
        } catch (Arithmetic.EvalError e) {
            write(to, "bash: " + e.getMessage() + "\n"); // an expansion error abandons the rest of the line, as in sh
            sh.status = 1;
        } catch (Sink.Overflow e) {
            if (to instanceof Sink.Buffer) {
                throw e; // a $( )'s line: the line around it says so, to where it can be read
            }
            write(to, "ssilab sim: " + e.getMessage() + "\n");
            sh.status = 1;
        } catch (InterruptedException e) {
            if (sh.alive()) {
                sh.status = 130; // Ctrl-C ended the line
                write(to, "\n");
            }
        } catch (SimCluster.ForkError e) {
            write(to, "bash: " + e.getMessage() + "\n");
            sh.status = 254;
        } finally {
            sh.busyThread = null;
            Thread.interrupted();
        }
        return sh.status;
    }

    /** Writes what the shell itself says (an error, a prompt); a write that fails has nowhere left to go. */
    static void write(Sink s, String text) {
        try {
            s.write(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Sink.WriteError e) {
            // nowhere left to report it
        }
    }


    /** Runs a list in this shell; returns the status of its last item. */
    int runList(Script script, Ctx ctx) throws InterruptedException {
        for (Item item : script.items()) {
            if (sh.exitRequested || !sh.alive() || compounds.jumping()) {
                break;
            }
            // the node is the shell's own each time: the shell may have moved itself (echo N >/proc/self/goto)
            Ctx here = new Ctx(sh.node(), ctx.pinned(), ctx.out(), ctx.err(), ctx.in());
            if (item.background()) {
                sh.jobs.start(item.chain(), here);
                sh.status = 0;
            } else {
                sh.status = runAndOr(item.chain(), here);
            }
        }
        return sh.status;
    }

    /**
     * Runs a list, or a compound command as a pipeline stage, as a subshell of its own (this interpreter's
     * shell being the copy): an arithmetic error ends only the subshell, as it would end only the child
     * process in sh.
     */
    int runIsolated(Script script, Ctx ctx) throws InterruptedException {
        return isolated(ctx, c -> runList(script, c));
    }

    private int runIsolated(Compound cc, Ctx ctx) throws InterruptedException {
        return isolated(ctx, c -> runCompound(cc, c));
    }

    private int isolated(Ctx ctx, Redirected body) throws InterruptedException {
        try {
            return body.run(ctx);
        } catch (Arithmetic.EvalError e) {
            ctx.err().write("bash: " + e.getMessage() + "\n");
            return sh.status = 1;
        }
    }

    int runAndOr(AndOr chain, Ctx ctx) throws InterruptedException {
        int st = runPipeline(chain.pipelines().get(0), ctx);
        for (int i = 0; i < chain.ops().size(); i++) {
            if (sh.exitRequested || !sh.alive() || compounds.jumping()) {
                break;
            }
            boolean and = chain.ops().get(i).equals("&&");
            if ((and && st == 0) || (!and && st != 0)) {
                sh.status = st;
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
        List<Cmd> cmds = p.commands();
        if (cmds.size() == 1) {
            return cmds.get(0) instanceof Simple s ? runSimple(s, ctx, null) : runCompound((Compound) cmds.get(0), ctx);
        }
        // stages run one after the other, each reading everything the previous one wrote; but as a
        // real shell starts them together, every stage's process exists from the start (ps | grep x
        // lists the grep), each taken up by its stage when it runs
        List<List<String>> argvs = new ArrayList<>();
        List<SimProcess> started = new ArrayList<>();
        try {
            for (Cmd cmd : cmds) {
                List<String> argv = cmd instanceof Simple s ? sh.expandCommand(s.words()) : null;
                argvs.add(argv);
                started.add(argv == null ? null : startStage(argv, ctx));
            }
            Input in = ctx.in();
            int st = 0;
            for (int i = 0; i < cmds.size(); i++) {
                boolean last = i == cmds.size() - 1;
                Sink.Buffer pipe = last ? null : new Sink.Buffer();
                Ctx stage = ctx.withIo(last ? ctx.out() : pipe, ctx.err(), in);
                prepared = started.get(i);
                try {
                    if (cmds.get(i) instanceof Compound cc) { // a stage runs in a subshell, as in sh
                        st = sh.subshell().interpreter.runIsolated(cc, stage);
                    } else {
                        st = runExpanded(argvs.get(i), cmds.get(i).redirects(), stage, null);
                        compounds.forgetJump(); // break in a stage is in a subshell in sh: it leaves no loop
                    }
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
                    c.reap(sh.self.pid, stage.pid);
                }
            }
        }
    }

    /** The process of a pipeline stage that will run as a process of its own (not a builtin), or null. */
    private SimProcess startStage(List<String> argv, Ctx ctx) {
        if (argv.isEmpty() || sh.commands.runsInShell(argv.get(0)) || argv.get(0).contains("=")
                || sh.commands.find(programName(argv.get(0))) == null) {
            return null;
        }
        try {
            return c.spawnIfUp(ctx.node(), sh.self, String.join(" ", argv), sh.self.tty, ctx.pinned(), null);
        } catch (SimCluster.ForkError e) {
            return null; // the stage makes its own when it runs, and reports the failure then
        }
    }

    private int runSimple(Simple s, Ctx ctx, SimProcess given) throws InterruptedException {
        return runExpanded(sh.expandCommand(s.words()), s.redirects(), ctx, given);
    }

    private int runCompound(Compound cc, Ctx ctx) throws InterruptedException {
        // the commands inside share its input, each reading on from where the last stopped (read in a loop)
        return withRedirects(cc.redirects(), ctx, io -> compounds.run(cc.body(), io.withIo(io.out(), io.err(), LineInput.of(io.in()))));
    }

    /** What runs with a context made for it: a command under its redirections, a subshell's body. */
    private interface Redirected {
        int run(Ctx ctx) throws InterruptedException;
    }

    int runExpanded(List<String> argv, List<Redirect> redirects, Ctx ctx, SimProcess given)
            throws InterruptedException {
        int k = 0;
        while (k < argv.size() && argv.get(k).matches("(?s)[A-Za-z_][A-Za-z0-9_]*=.*")) { // a value may hold newlines
            k++;
        }
        for (String a : argv.subList(0, k)) {
            int eq = a.indexOf('=');
            sh.vars.put(a.substring(0, eq), a.substring(eq + 1));
        }
        List<String> words = argv.subList(k, argv.size());
        return withRedirects(redirects, ctx, io -> words.isEmpty() ? 0 : runArgv(words, io, given));
    }

    /** Opens a command's redirections, runs it with them, and closes what it opened; 1 (or 127) when one fails. */
    private int withRedirects(List<Redirect> redirects, Ctx ctx, Redirected body) throws InterruptedException {
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
                List<String> t = sh.expand(List.of(r.target()));
                if (t.size() != 1) {
                    ctx.err().write("bash: " + r.target().text() + ": ambiguous redirect\n");
                    return 1;
                }
                String abs = sh.path(t.get(0));
                try {
                    if (r.op().equals("<")) {
                        in = sh.namespace().openRead(abs, ctx.node());
                    } else {
                        Sink sink = sh.namespace().openWrite(abs, r.op().endsWith(">>"), ctx.node());
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
            return body.run(ctx.withIo(o, e, in));
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
        if (name.equals("break") || name.equals("continue")) { // they steer this interpreter, so no table can hold them
            return compounds.loopControl(argv, ctx);
        }
        if (name.contains("/")) {
            // a program named by its path: a file on the shared root, run as the command it models
            if (!c.fs.isFile(sh.path(name))) {
                ctx.err().write("bash: " + name + ": No such file or directory\n");
                return 127;
            }
            name = name.substring(name.lastIndexOf('/') + 1);
        }
        Command cmd = sh.commands.find(name);
        if (cmd == null) {
            ctx.err().write("ssilab sim: " + name + " is not modelled by the simulator\n");
            return 127;
        }
        if (given != null || sh.commands.runsInShell(name)) {
            return cmd.run(new Invocation(sh, argv, ctx.node(), ctx.pinned(), ctx.out(), ctx.err(), ctx.in(), given, sh.input));
        }
        SimProcess p = prepared; // a pipeline stage's, made with its pipeline
        prepared = null;
        if (p != null) {
            if (!c.runBy(p, Thread.currentThread())) {
                return p.exitStatus(); // killed before its stage ran
            }
        } else {
            p = c.spawnIfUp(ctx.node(), sh.self, String.join(" ", argv), sh.self.tty, ctx.pinned(), Thread.currentThread());
            if (p == null) {
                return new Invocation(sh, argv, ctx.node(), false, ctx.out(), ctx.err(), ctx.in(), null, sh.input)
                        .fail(1, "node " + ctx.node() + " is " + c.state(ctx.node()) + ", not UP");
            }
        }
        sh.foreground = p;
        int st = 1;
        try {
            st = cmd.run(new Invocation(sh, argv, ctx.node(), ctx.pinned(), ctx.out(), ctx.err(), ctx.in(), p, sh.input));
        } catch (InterruptedException e) {
            boolean shellAlive = sh.alive();
            c.terminate(p, shellAlive ? 2 : 1); // Ctrl-C, or the hangup of a dying session (no-op if it already ended)
            st = p.exitStatus();
            if (!shellAlive || st == 130) {
                throw e;
            }
        } finally {
            sh.foreground = null;
            c.exit(p, st, false);
            c.release(p);
            c.reap(sh.self.pid, p.pid);
        }
        return p.exitStatus();
    }

    /** The command a word names: itself, or for a path to an existing file on the shared root, its base name. */
    String programName(String word) {
        if (!word.contains("/")) {
            return word;
        }
        return c.fs.isFile(sh.path(word)) ? word.substring(word.lastIndexOf('/') + 1) : word;
    }
}
