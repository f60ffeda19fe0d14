package dev.ssilab.cluster.sim.shell;

import dev.ssilab.cluster.sim.shell.NodeShell.Ctx;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Body;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Branch;
import dev.ssilab.cluster.sim.shell.ShellSyntax.For;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Group;
import dev.ssilab.cluster.sim.shell.ShellSyntax.If;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Loop;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Script;
import dev.ssilab.cluster.sim.shell.ShellSyntax.Subshell;
import java.util.List;

/**
 * Runs a shell's compound commands (for, while, until, if, groups, subshells) and its break and
 * continue, as ash does: a break or continue is a pending jump that ends the lists it crosses and is
 * used up by the loop it names. Every loop turn first asks whether the line was cancelled (Ctrl-C, the
 * shell killed by an exec's timeout or a crash), so no loop outlives its invocation; no loop holds the
 * model's lock between turns (its commands take it themselves).
 */
final class CompoundCommands {
    /** A break or continue on its way out; levels counts the loops it has yet to leave. */
    private record Jump(boolean isBreak, int levels) {}

    private final NodeShell sh;
    private final Interpreter interpreter;
    private int loopDepth;
    private Jump jump;

    CompoundCommands(NodeShell sh, Interpreter interpreter) {
        this.sh = sh;
        this.interpreter = interpreter;
    }

    /** Whether a break or continue is on its way out, so the lists it crosses stop. */
    boolean jumping() {
        return jump != null;
    }

    /** Drops a break or continue that ran where it cannot reach a loop (a stage of a pipeline, a subshell in sh). */
    void forgetJump() {
        jump = null;
    }

    int run(Body body, Ctx ctx) throws InterruptedException {
        if (body instanceof Group g) {
            return interpreter.runList(g.body(), ctx);
        }
        if (body instanceof Subshell s) {
            return sh.subshell().interpreter.runIsolated(s.body(), ctx);
        }
        if (body instanceof If f) {
            return runIf(f, ctx);
        }
        if (body instanceof Loop l) {
            return runLoop(l, ctx);
        }
        return runFor((For) body, ctx);
    }

    private int runIf(If f, Ctx ctx) throws InterruptedException {
        for (Branch b : f.branches()) {
            int st = interpreter.runList(b.condition(), ctx);
            if (jump != null || sh.exitRequested) {
                return st;
            }
            if (st == 0) {
                return interpreter.runList(b.body(), ctx);
            }
        }
        return f.otherwise() == null ? 0 : interpreter.runList(f.otherwise(), ctx);
    }

    private int runLoop(Loop l, Ctx ctx) throws InterruptedException {
        int st = 0;
        loopDepth++;
        try {
            while (true) {
                checkCancelled();
                int cond = interpreter.runList(l.condition(), ctx);
                if (jump != null) {
                    if (leaves()) {
                        break;
                    }
                    continue;
                }
                if (sh.exitRequested || (cond == 0) == l.until()) {
                    break;
                }
                st = interpreter.runList(l.body(), ctx);
                if (leaves() || sh.exitRequested) {
                    break;
                }
            }
        } finally {
            loopDepth--;
        }
        return st;
    }

    private int runFor(For f, Ctx ctx) throws InterruptedException {
        // without "in", for walks "$@": this shell has no positional parameters, so it walks nothing
        List<String> values = f.words() == null ? List.of() : sh.expand(f.words());
        int st = 0;
        loopDepth++;
        try {
            for (String v : values) {
                checkCancelled();
                sh.vars.put(f.name(), v);
                st = interpreter.runList(f.body(), ctx);
                if (leaves() || sh.exitRequested) {
                    break;
                }
            }
        } finally {
            loopDepth--;
        }
        return st;
    }

    /** After a turn: whether the loop ends (a break, or a jump meant for an outer loop); uses up one level of it. */
    private boolean leaves() {
        if (jump == null) {
            return false;
        }
        if (jump.levels() > 1) {
            jump = new Jump(jump.isBreak(), jump.levels() - 1);
            return true;
        }
        boolean isBreak = jump.isBreak();
        jump = null;
        return isBreak;
    }

    private void checkCancelled() throws InterruptedException {
        if (sh.cancelled()) {
            throw new InterruptedException("the loop's line was cancelled");
        }
    }

    /** break [N] / continue [N]: outside a loop they do nothing, as in ash; N beyond the loops there means all of them. */
    int loopControl(List<String> argv, Ctx ctx) throws InterruptedException {
        int levels = 1;
        if (argv.size() > 1) {
            Integer n = Invocation.number(argv.get(1));
            if (n == null || n < 1) {
                ctx.err().write("bash: " + argv.get(0) + ": Illegal number: " + argv.get(1) + "\n");
                return 2;
            }
            levels = n;
        }
        if (loopDepth > 0) {
            jump = new Jump(argv.get(0).equals("break"), Math.min(levels, loopDepth));
        }
        return 0;
    }
}
