package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.model.SimCluster;
import dev.ssilab.cluster.sim.model.SimCluster.Placement;
import dev.ssilab.cluster.sim.model.SimProcess;
import dev.ssilab.cluster.sim.shell.Command;
import dev.ssilab.cluster.sim.shell.Invocation;
import dev.ssilab.cluster.sim.shell.NodeShell;
import dev.ssilab.cluster.sim.shell.OnNode;
import java.util.List;
import java.util.Map;

/**
 * Commands that run other commands: onnode [-p] N, onall, and the child shells bash/sh -c and bash-ll
 * (whose processes the load leveler may move).
 */
final class RunCommands {
    private RunCommands() {}

    static void register(Map<String, Command> m) {
        m.put("onnode", RunCommands::onnode);
        m.put("onall", RunCommands::onall);
        m.put("bash", inv -> subshell(inv, false));
        m.put("sh", inv -> subshell(inv, false));
        m.put("bash-ll", inv -> subshell(inv, true));
    }

    private static int onnode(Invocation inv) throws InterruptedException {
        OnNode on = OnNode.parse(inv.argv());
        if (on == null || on.command().isEmpty()) {
            return inv.fail(1, "usage: onnode [-p] NODE COMMAND [ARGS...]");
        }
        SimCluster c = inv.cluster();
        Placement placed = c.place(inv.proc(), on.node(), on.pinned());
        if (placed == Placement.NOT_UP) {
            return inv.fail(1, "node " + on.node() + " is " + c.state(on.node()) + "; onnode runs commands on a node that is UP");
        }
        if (placed == Placement.PINNED) {
            return inv.fail(1, "process " + inv.proc().pid + " is pinned; it cannot move to node " + on.node());
        }
        return inv.shell().runArgv(on.command(), new NodeShell.Ctx(on.node(), inv.pinned() || on.pinned(), inv.out(),
                inv.err(), inv.in()), inv.proc());
    }

    private static int onall(Invocation inv) throws InterruptedException {
        if (inv.args().isEmpty()) {
            return inv.fail(1, "usage: onall COMMAND [ARGS...]");
        }
        int status = 0;
        for (int n : inv.cluster().upNodesSnapshot()) {
            int st = inv.shell().runArgv(OnNode.commandWords(inv.args()), new NodeShell.Ctx(n, inv.pinned(), inv.out(), inv.err(), inv.in()),
                    null);
            status = status == 0 ? st : status;
        }
        return status;
    }

    /** bash/sh -c CMD, or bash-ll [-c CMD]: a child shell; bash-ll's processes may be load leveled. */
    private static int subshell(Invocation inv, boolean loadLeveled) throws InterruptedException {
        List<String> args = inv.args();
        SimProcess p = inv.proc();
        if (loadLeveled) {
            p.makeLoadLevelEligible();
        }
        if (args.size() >= 2 && args.get(0).equals("-c")) {
            NodeShell child = inv.shell().fork(p, inv.out(), false);
            return child.runScript(args.get(1), inv.out());
        }
        if (!args.isEmpty()) {
            return inv.notModelled(inv.name() + " " + String.join(" ", args) + " (only " + inv.name() + " -c COMMAND"
                    + (loadLeveled ? " and an interactive bash-ll" : "") + " are)");
        }
        if (inv.terminalInput() == null) {
            return 0; // no terminal: a shell reading an empty standard input ends at once
        }
        NodeShell child = inv.shell().fork(p, inv.out(), true);
        int st = child.interactive(inv.terminalInput());
        return child.exitRequested() ? st : 0;
    }
}
