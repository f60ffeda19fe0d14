package dev.ssilab.cluster.sim.shell;

import java.util.function.Function;

/**
 * Evaluates the expression of {@code $(( ))} as POSIX sh does, in 64-bit integers: numbers (decimal,
 * 0x hex, 0 octal), variable names (unset or empty is 0), parentheses, unary {@code - + !}, then
 * {@code * / %}, {@code + -}, {@code < <= > >=}, {@code == !=}, {@code &&}, {@code ||} in C's order.
 */
final class Arithmetic {

    /** An expression that cannot be evaluated; the message says why, for the shell's one error line. */
    static final class EvalError extends RuntimeException {
        EvalError(String message) {
            super(message);
        }
    }

    private final String src;
    private final Function<String, String> variables;
    private int pos;

    private Arithmetic(String src, Function<String, String> variables) {
        this.src = src;
        this.variables = variables;
    }

    /** The value of an already expanded expression; an empty one is 0, as in sh. */
    static long evaluate(String expression, Function<String, String> variables) {
        Arithmetic a = new Arithmetic(expression, variables);
        if (a.atEnd()) {
            return 0;
        }
        long v = a.or(true);
        if (!a.atEnd()) {
            throw a.syntax("unexpected '" + a.src.substring(a.pos).strip() + "'");
        }
        return v;
    }

    // each level takes "live": false on the side && or || does not evaluate, where 1/0 is no error

    private long or(boolean live) {
        long v = and(live);
        while (eat("||")) {
            boolean rhsLive = live && v == 0;
            long r = and(rhsLive);
            v = (v != 0 || (rhsLive && r != 0)) ? 1 : 0;
        }
        return v;
    }

    private long and(boolean live) {
        long v = equality(live);
        while (eat("&&")) {
            boolean rhsLive = live && v != 0;
            long r = equality(rhsLive);
            v = (v != 0 && rhsLive && r != 0) ? 1 : 0;
        }
        return v;
    }

    private long equality(boolean live) {
        long v = relation(live);
        while (true) {
            if (eat("==")) {
                v = v == relation(live) ? 1 : 0;
            } else if (eat("!=")) {
                v = v != relation(live) ? 1 : 0;
            } else {
                return v;
            }
        }
    }

    private long relation(boolean live) {
        long v = sum(live);
        while (true) {
            if (eat("<=")) {
                v = v <= sum(live) ? 1 : 0;
            } else if (eat(">=")) {
                v = v >= sum(live) ? 1 : 0;
            } else if (eatSingle('<')) {
                v = v < sum(live) ? 1 : 0;
            } else if (eatSingle('>')) {
                v = v > sum(live) ? 1 : 0;
            } else {
                return v;
            }
        }
    }

    private long sum(boolean live) {
        long v = product(live);
        while (true) {
            if (eatSingle('+')) {
                v += product(live);
            } else if (eatSingle('-')) {
                v -= product(live);
            } else {
                return v;
            }
        }
    }

    private long product(boolean live) {
        long v = unary(live);
        while (true) {
            char op = peek();
            if ((op != '*' && op != '/' && op != '%') || src.startsWith(op + "=", pos)) {
                return v;
            }
            pos++;
            long r = unary(live);
            if (op == '*') {
                v *= r;
            } else if (r == 0) {
                if (live) {
                    throw new EvalError("division by zero in '" + src.strip() + "'");
                }
                v = 0;
            } else {
                v = op == '/' ? v / r : v % r;
            }
        }
    }

    private long unary(boolean live) {
        if (eatSingle('-')) {
            return -unary(live);
        }
        if (eatSingle('+')) {
            return unary(live);
        }
        if (eatSingle('!')) {
            return unary(live) == 0 ? 1 : 0;
        }
        return primary(live);
    }

    private long primary(boolean live) {
        char ch = peek();
        if (ch == '(') {
            pos++;
            long v = or(live);
            if (!eatSingle(')')) {
                throw syntax("missing ')'");
            }
            return v;
        }
        if (Character.isDigit(ch)) {
            int start = pos;
            while (pos < src.length() && Character.isLetterOrDigit(src.charAt(pos))) {
                pos++;
            }
            return number(src.substring(start, pos));
        }
        if (Character.isLetter(ch) || ch == '_') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            String name = src.substring(start, pos);
            if (peek() == '=' && !src.startsWith("==", pos)) {
                throw new EvalError("assignment in $(( )) is not modelled: write " + name + "=$((...)) instead");
            }
            String value = variables.apply(name).strip();
            if (value.isEmpty()) {
                return 0;
            }
            try {
                return number(value);
            } catch (EvalError e) {
                throw new EvalError("variable " + name + " holds '" + value + "', not a number, in '" + src.strip() + "'");
            }
        }
        throw syntax(ch == 0 ? "a number or a variable is missing at the end" : "unexpected '" + ch + "'");
    }

    private long number(String text) {
        String digits = text;
        boolean negative = digits.startsWith("-");
        if (negative) {
            digits = digits.substring(1);
        }
        try {
            long v;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                v = Long.parseUnsignedLong(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                v = Long.parseUnsignedLong(digits.substring(1), 8);
            } else {
                v = Long.parseUnsignedLong(digits);
            }
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw syntax("'" + text + "' is not a number");
        }
    }

    private EvalError syntax(String what) {
        return new EvalError("arithmetic syntax error in '" + src.strip() + "': " + what);
    }

    private char peek() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
        return pos < src.length() ? src.charAt(pos) : 0;
    }

    private boolean atEnd() {
        return peek() == 0;
    }

    private boolean eat(String op) {
        peek();
        if (src.startsWith(op, pos)) {
            pos += op.length();
            return true;
        }
        return false;
    }

    /** Takes a one-character operator only when it is not the start of a longer one (< is not <=, - is not -=). */
    private boolean eatSingle(char op) {
        if (peek() != op) {
            return false;
        }
        char next = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        boolean longer = next == '=' && op != '!' && op != '(' && op != ')'
                || (op == '<' && next == '<') || (op == '>' && next == '>')
                || (op == '+' && next == '+') || (op == '-' && next == '-');
        if (longer) {
            return false;
        }
        pos++;
        return true;
    }
}
