package dev.ssilab.cluster.sim.commands;

import dev.ssilab.cluster.sim.model.Namespace;
import dev.ssilab.cluster.sim.model.SharedFs;
import dev.ssilab.cluster.sim.shell.Invocation;
import java.util.List;

/**
 * {@code test EXPR} and {@code [ EXPR ]} for check blocks: file tests (-e -f -d -p -s) on the shared
 * root, string tests (-n -z = !=), integer comparisons (-eq -ne -lt -le -gt -ge), and a leading !.
 * Exit 0 when true, 1 when false, 2 on a malformed expression.
 */
final class TestCommand {
    private TestCommand() {}

    static int run(Invocation inv) throws InterruptedException {
        List<String> a = inv.args();
        if (inv.name().equals("[")) {
            if (a.isEmpty() || !a.get(a.size() - 1).equals("]")) {
                return inv.fail(2, "missing `]'");
            }
            a = a.subList(0, a.size() - 1);
        }
        boolean negate = false;
        if (!a.isEmpty() && a.get(0).equals("!")) {
            negate = true;
            a = a.subList(1, a.size());
        }
        Boolean result = evaluate(inv, a);
        if (result == null) {
            return 2;
        }
        return result != negate ? 0 : 1;
    }

    private static Boolean evaluate(Invocation inv, List<String> a) throws InterruptedException {
        switch (a.size()) {
            case 0:
                return false;
            case 1:
                return !a.get(0).isEmpty();
            case 2:
                return unary(inv, a.get(0), a.get(1));
            case 3:
                return binary(inv, a.get(0), a.get(1), a.get(2));
            default:
                inv.notModelled(inv.name() + " with -a, -o or parentheses");
                return null;
        }
    }

    private static Boolean unary(Invocation inv, String op, String arg) throws InterruptedException {
        if (op.equals("-n")) {
            return !arg.isEmpty();
        }
        if (op.equals("-z")) {
            return arg.isEmpty();
        }
        String abs = inv.shell().path(arg);
        Namespace ns = inv.shell().namespace();
        SharedFs fs = inv.cluster().fs;
        return switch (op) {
            case "-e" -> ns.exists(abs);
            case "-d" -> ns.isDirectory(abs);
            case "-f" -> fs.isFile(abs);
            case "-p" -> fs.isFifo(abs);
            case "-s" -> fs.hasText(abs);
            default -> {
                inv.notModelled(inv.name() + " " + op);
                yield null;
            }
        };
    }

    private static Boolean binary(Invocation inv, String left, String op, String right) throws InterruptedException {
        switch (op) {
            case "=", "==":
                return left.equals(right);
            case "!=":
                return !left.equals(right);
            case "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
                Long l = number(left);
                Long r = number(right);
                if (l == null || r == null) {
                    inv.fail(2, (l == null ? left : right) + ": integer expression expected");
                    return null;
                }
                return switch (op) {
                    case "-eq" -> l.equals(r);
                    case "-ne" -> !l.equals(r);
                    case "-lt" -> l < r;
                    case "-le" -> l <= r;
                    case "-gt" -> l > r;
                    default -> l >= r;
                };
            default:
                inv.notModelled(inv.name() + " " + op);
                return null;
        }
    }

    private static Long number(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
