package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.model.Input;
import dev.ssilab.cluster.sim.model.Signals;
import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.model.Sink;
import dev.ssilab.cluster.sim.model.TimedProcesses;
import dev.ssilab.cluster.sim.shell.NodeShell.Ctx;
import dev.ssilab.cluster.sim.shell.ShellSyntax.AndOr;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Cmd;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Compound;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Simple;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * A node shell's background jobs ({@code &}): starts each as a process of its own (the command's, so
 * $! is its pid; a sleep or a busy yes as a timer, without a thread), numbers them, waits for them,
 * and tells an interactive learner when they end, as bash does.
 */
final class Jobs {
    private record Job(int number, int pid, String text) {}

    private final NodeShell sh;
    private final SimCluster c;
    private final List<Job> jobs = new ArrayList<>();

    Jobs(NodeShell sh) {
        this.sh = sh;
        this.c = sh.c;
    }

    /** Tells an interactive learner about background jobs that ended, as bash does before a prompt. */
    void report() {
        for (Iterator<Job> it = jobs.iterator(); it.hasNext(); ) {
            Job j = it.next();
            Integer st = c.reap(sh.self.pid, j.pid());
            if (st == null) {
                continue;
            }
            it.remove();
            if (st >= 0 && sh.interactive) {
                String how = st == 0 ? "Done" : st > 128 ? Signals.describe(st - 128) : "Exit " + st;
                Interpreter.write(sh.out, String.format("[%d]+  %-24s%s%n", j.number(), how, j.text()));
            }
        }
    }

    /** Starts a chain as a background job of this shell. */
    void start(AndOr chain, Ctx ctx) throws InterruptedException {
        String text = describe(chain);
        SimProcess job;
        NodeShell sub;
        Simple single = chain.ops().isEmpty() && chain.pipelines().get(0).commands().size() == 1
                && chain.pipelines().get(0).commands().get(0) instanceof Simple s ? s : null;
        List<String> argv = single == null ? null : sh.expandCommand(single.words());
        if (single != null && !argv.isEmpty() && !argv.get(0).contains("=")) {
            // the job is the command itself (its pid is $!), on the node onnode names if it starts with onnode
            int node = ctx.node();
            boolean pinned = false;
            List<String> rest = argv;
            while (!rest.isEmpty() && rest.get(0).equals("onnode")) {
                OnNode on = OnNode.parse(rest);
                if (on == null) {
                    break;
                }
                node = on.node();
                pinned |= on.pinned();
                rest = on.command();
            }
            // null when its node is not UP or the command is not modelled: the foreground path reports it, in the job
            job = rest.isEmpty() || sh.commands.find(sh.interpreter.programName(rest.get(0))) == null ? null
                    : c.spawnIfUp(node, sh.self, String.join(" ", rest), sh.self.tty, pinned, null);
            if (job != null) {
                boolean quiet = single.redirects().stream()
                        .allMatch(r -> r.target() == null || r.target().text().equals("/dev/null"));
                boolean stdoutNull = single.redirects().stream().anyMatch(r -> r.target() != null
                        && (r.op().equals(">") || r.op().equals(">>")) && r.target().text().equals("/dev/null"));
                if (quiet && TimedProcesses.start(c, job, rest, stdoutNull)) {
                    addJob(job, text);
                    return; // a sleep or busy loop: a timer, no thread
                }
                SimProcess j = job;
                Ctx jobCtx = new Ctx(node, pinned, ctx.out(), ctx.err(), Input.EMPTY);
                List<String> cmd = rest;
                NodeShell shell = sh.carrier(job);
                launch(job, () -> shell.interpreter.runExpanded(cmd, single.redirects(), jobCtx, j));
                addJob(job, text);
                return;
            }
        }
        job = c.spawn(ctx.node(), sh.self, "bash", sh.self.tty);
        sub = sh.forkJob(job, sh.out, false);
        launch(job, () -> sub.interpreter.runAndOr(chain, new Ctx(ctx.node(), false, ctx.out(), ctx.err(), Input.EMPTY)));
        addJob(job, text);
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
                    Interpreter.write(sh.out, "bash: " + e.getMessage() + "\n");
                    st = 254;
                } catch (Arithmetic.EvalError e) {
                    Interpreter.write(sh.out, "bash: " + e.getMessage() + "\n");
                    st = 1;
                } catch (Sink.Overflow e) {
                    Interpreter.write(sh.out, "ssilab sim: " + e.getMessage() + "\n");
                    st = 1;
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
        sh.lastBackground = String.valueOf(job.pid);
        int number = jobs.isEmpty() ? 1 : jobs.get(jobs.size() - 1).number() + 1;
        jobs.add(new Job(number, job.pid, text));
        if (sh.interactive) {
            sh.out.write("[" + number + "] " + job.pid + "\n");
        }
    }

    /** Waits for one background job (or all when pid is null); 127 when pid is not a child of this shell. */
    int await(Integer pid) throws InterruptedException {
        if (pid != null) {
            Integer st = c.waitChild(sh.self.pid, pid);
            jobs.removeIf(j -> j.pid() == pid);
            return st == null ? 127 : st;
        }
        int st = 0;
        for (Job j : new ArrayList<>(jobs)) {
            Integer s = c.waitChild(sh.self.pid, j.pid());
            st = s == null ? st : s;
        }
        jobs.clear();
        return st;
    }

    /** The pid of job N (kill %N), or null. */
    Integer pid(int number) {
        for (Job j : jobs) {
            if (j.number() == number) {
                return j.pid();
            }
        }
        return null;
    }

    List<String> lines() {
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
            List<Cmd> cmds = chain.pipelines().get(i).commands();
            for (int j = 0; j < cmds.size(); j++) {
                if (j > 0) {
                    b.append(" | ");
                }
                List<String> words = new ArrayList<>();
                if (cmds.get(j) instanceof Simple s) {
                    s.words().forEach(w -> words.add(w.text()));
                } else {
                    words.add(((Compound) cmds.get(j)).text());
                }
                cmds.get(j).redirects().forEach(r -> words.add(r.op() + (r.target() == null ? "" : r.target().text())));
                b.append(String.join(" ", words));
            }
        }
        return b.toString();
    }
}
