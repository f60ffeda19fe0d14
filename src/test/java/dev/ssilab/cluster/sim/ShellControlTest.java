package dev.ssilab.cluster.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cluster.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node shell's loops, conditionals, groups, subshells and $(( )), driven through exec and a console. */
class ShellControlTest {

    private static ExecResult result(int status, String output) {
        return new ExecResult(status, output);
    }

    @Test
    void forRunsItsBodyOncePerWord(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals(result(0, "a\nb\nc\n"), h.exec(1, "for i in a b c; do echo $i; done"));
            assertEquals(result(0, "[x] [y] \n"), h.exec(1, "for w in $(echo x y); do echo -n \"[$w] \"; done; echo"));
            assertEquals(result(0, "1\n2\nlast 2\n"), h.exec(1, "for i in 1 2\ndo\n  echo $i\ndone\necho last $i"),
                    "over several lines, and the variable keeps its last value");
            assertEquals(result(0, "0\n"), h.exec(1, "false; for i in; do echo never; done; echo $?"), "no words, no turn: status 0");
            assertEquals(result(0, "done\n"), h.exec(1, "for i; do echo never; done; echo done"), "no positional parameters to walk");
            assertEquals(result(1, ""), h.exec(1, "for i in 1 2; do false; done"), "the status is the last turn's");
        }
    }

    @Test
    void anAssignmentTakesALoopsWholeOutput(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals(result(0, "1 2 3\n3\n"), h.exec(1, "x=$(for i in 1 2 3; do echo $i; done); echo $x; echo \"$x\" | wc -l"),
                    "an assignment's value is not split into words (the 2 would run as a command)");
            assertEquals(result(0, "a b *\n"), h.exec(1, "cd /; y=\"a b\" z=$(echo '*'); echo $y \"$z\""));
        }
    }

    @Test
    void whileAndUntilTestTheirConditionBeforeEachTurn(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals(result(0, "0\n1\n2\n"), h.exec(1, "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done"));
            assertEquals(result(0, "3\n2\n1\nat 0\n"), h.exec(1, "i=3; until [ $i -eq 0 ]; do echo $i; i=$((i - 1)); done; echo at $i"));
            assertEquals(result(0, "0\n"), h.exec(1, "while false; do echo never; done; echo $?"));
            assertEquals(result(0, "0\n"), h.exec(1, "until true; do echo never; done; echo $?"));
        }
    }

    @Test
    void breakAndContinueLeaveTheLoopsTheyCount(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals("1\n3\n", h.ok(1, "for i in 1 2 3 4; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done"));
            assertEquals("1a\n2a\n", h.ok(1, "for i in 1 2; do for j in a b c; do if [ $j = b ]; then continue 2; fi; echo $i$j; done; done"));
            assertEquals("out\n", h.ok(1, "for i in 1 2; do for j in a b; do break 2; echo no; done; echo no; done; echo out"));
            assertEquals("1\n2\nout\n", h.ok(1, "i=0; while true; do i=$((i+1)); while true; do echo $i; break; done; [ $i = 2 ] && break; done; echo out"));
            assertEquals("out\n", h.ok(1, "while true; do until false; do break 9; done; done; echo out"), "a count beyond the loops leaves them all");
            assertEquals(result(0, "after\n"), h.exec(1, "break; continue; echo after"), "outside a loop they do nothing, as in ash");
            assertEquals(result(2, "bash: break: Illegal number: 0\n"), h.exec(1, "for i in 1; do break 0; done"));
            assertEquals("1\n2\n", h.ok(1, "for i in 1 2; do (break); echo $i; done"), "a break in a subshell leaves no loop of the shell");
        }
    }

    @Test
    void ifRunsTheFirstBranchWhoseConditionSucceeds(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            h.ok(1, "echo xyz >/tmp/f");
            assertEquals("y\n", h.ok(1, "if grep -q x /tmp/f; then echo y; fi"));
            assertEquals("b\n", h.ok(1, "if false; then echo a; elif true; then echo b; else echo c; fi"));
            assertEquals("c\n", h.ok(1, "if false; then echo a; elif grep -q q /tmp/f; then echo b; else echo c; fi"));
            assertEquals(result(0, "0\n"), h.exec(1, "if false; then echo a; fi; echo $?"), "no branch taken: status 0");
            assertEquals(result(1, ""), h.exec(1, "if true; then false; fi"), "the status is its branch's");
            assertEquals("1\n", h.ok(1, "if false; then :; else echo $?; fi"));
            assertEquals("no\n", h.ok(1, "if\n  ! true\nthen\n  echo yes\nelse\n  echo no\nfi"));
        }
    }

    @Test
    void compoundCommandsNest(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals("1x\n1y\n", h.ok(1,
                    "i=0; while [ $i -lt 2 ]; do if [ $i -eq 1 ]; then for w in x y; do echo $i$w; done; fi; i=$((i + 1)); done"));
            assertEquals("a1\nb1\nb2\n", h.ok(1, "for a in a b; do { if [ $a = b ]; then for n in 1 2; do echo $a$n; done; else echo ${a}1; fi; }; done"));
        }
    }

    @Test
    void groupsRunInTheShellAndSubshellsInACopyOfIt(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals("1 /tmp\n", h.ok(1, "{ x=1; cd /tmp; }; echo $x $(pwd)"));
            assertEquals("in 2 /tmp\nout 1 /root\n", h.ok(1, "x=1; (x=2; cd /tmp; echo in $x $(pwd)); echo out $x $(pwd)"));
            assertEquals("3\n", h.ok(1, "(exit 3); echo $?"), "exit ends only the subshell; its status is the subshell's");
            assertEquals(result(1, ""), h.exec(1, "(true; false)"));
            assertEquals(result(0, "a\nb\n"), h.exec(1, "(echo a\necho b)"));
        }
    }

    @Test
    void compoundCommandsTakePipesRedirectionsAndChains(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals("3\n", h.ok(1, "for i in 1 2 3; do echo $i; done | wc -l"));
            assertEquals("2\n", h.ok(1, "{ echo a; echo b; } | wc -l"));
            assertEquals("b\n", h.ok(1, "(echo a; echo b) | grep b"));
            assertEquals("1\n2\n", h.ok(1, "for i in 1 2; do echo $i; done >/tmp/out; cat /tmp/out"));
            assertEquals("x\ny\n", h.ok(1, "if true; then echo x; fi >/tmp/o; while false; do :; done >>/tmp/o; echo y >>/tmp/o; cat /tmp/o"));
            assertEquals("yes\nand\n", h.ok(1, "if true; then echo yes; fi && echo and"));
            assertEquals("z\n", h.ok(1, "false || for i in z; do echo $i; done"));
            assertEquals("1\n", h.ok(1, "x=1; for i in 1; do x=2; done | wc -l >/dev/null; echo $x"), "a pipeline stage is a subshell");
            assertEquals("1\n", h.ok(1, "{ cat /no-such; } 2>&1 | wc -l"), "2>&1 after a group sends its errors down the pipe");
        }
    }

    @Test
    void loopsStartBackgroundJobsAndRunInTheBackground(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            String ps = h.ok(1, "for i in 1 2 3; do sleep 100 & done; ps");
            assertEquals(3, ps.lines().filter(l -> l.endsWith(" sleep 100")).count(), ps);
            assertEquals("1\n2\n", h.ok(1, "for i in 1 2; do echo $i >>/tmp/bg; sleep 0.1; done & wait; cat /tmp/bg"));
            String pid = h.ok(1, "while true; do sleep 1; done >/dev/null & echo $!").strip();
            assertTrue(h.ok(1, "ps -ef").lines().anyMatch(l -> l.matches("root +" + pid + " .*")), "the job is listed");
            h.ok(1, "kill " + pid);
            SimHarness.await("the background loop to end", () -> h.backend.model().process(Integer.parseInt(pid)) == null);
        }
    }

    @Test
    void shAndBashDashCRunCompoundCommands(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 2)) {
            assertEquals("1\n2\n", h.ok(1, "sh -c 'for i in 1 2; do echo $i; done'"));
            assertEquals("y\n", h.ok(1, "bash -c 'if true; then echo y; fi'"));
            assertEquals("node2\n", h.ok(1, "onnode 2 'for i in 1; do hostname; done'"));
        }
    }

    @Test
    void arithmeticFollowsCsPrecedenceIn64Bits(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals("7 9 3 1 -3 -5 -1\n", h.ok(1, "echo $((1 + 2 * 3)) $(( (1+2)*3 )) $((7/2)) $((7%3)) $((-7/2)) $((-(2+3))) $((-7%3))"));
            assertEquals("1 1 0 0 1 0\n", h.ok(1, "echo $((2<3)) $((2<=2)) $((3>4)) $((3>=4)) $((1==1)) $((1!=1))"));
            assertEquals("0 1 1 0\n", h.ok(1, "echo $((1 && 0)) $((0 || 2)) $((1 + 2 == 3 && 4 > 3)) $((0 && 1/0))"));
            assertEquals("10 6 1 11\n", h.ok(1, "x=5; echo $((x * 2)) $(($x + 1)) $((unset + 1)) $(( $(echo 10) + 1 ))"));
            assertEquals("-9223372036854775808 9000000000 16 8\n",
                    h.ok(1, "echo $((9223372036854775807 + 1)) $((3000000000 * 3)) $((0x10)) \"$((010))\""));
        }
    }

    @Test
    void arithmeticErrorsSayWhatWasWrongInOneLine(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals(result(1, "bash: division by zero in '1/0'\n"), h.exec(1, "echo $((1/0)); echo after"));
            assertEquals(result(1, "bash: division by zero in 'x % 0'\n"), h.exec(1, "x=4; echo $(( x % 0 ))"));
            assertEquals(result(1, "bash: arithmetic syntax error in '1 +': a number or a variable is missing at the end\n"),
                    h.exec(1, "echo $((1 +))"));
            assertEquals(result(1, "bash: variable x holds 'abc', not a number, in 'x + 1'\n"), h.exec(1, "x=abc; echo $((x + 1))"));
            assertEquals(result(0, "bash: division by zero in '1/0'\n1 after\n"), h.exec(1, "(echo $((1/0))); echo $? after"),
                    "an error in a subshell ends only the subshell");
        }
    }

    @Test
    void syntaxErrorsAreOneLineAndRunNothing(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals(result(2, "bash: syntax error: unexpected end of input (expecting \"done\")\n"),
                    h.exec(1, "echo before; for i in 1 2; do echo $i"));
            assertEquals(result(2, "bash: syntax error: unexpected end of input (expecting \"fi\")\n"), h.exec(1, "if true; then"));
            assertEquals(result(2, "bash: syntax error: unexpected end of input (expecting \"then\")\n"), h.exec(1, "if true"));
            assertEquals(result(2, "bash: syntax error: unexpected \"done\"\n"), h.exec(1, "while true; do done"));
            assertEquals(result(2, "bash: syntax error: unexpected \"fi\"\n"), h.exec(1, "echo a; fi"));
            assertEquals(result(2, "bash: syntax error: unexpected end of input (expecting \"}\")\n"), h.exec(1, "{ echo a }"));
            assertEquals(result(2, "bash: syntax error: unexpected end of input (expecting \")\")\n"), h.exec(1, "(echo a"));
            assertEquals(result(2, "bash: syntax error: unexpected \"x\"\n"), h.exec(1, "for i in 1; do :; done x"));
            assertEquals(result(2, "bash: syntax error: bad for loop variable\n"), h.exec(1, "for 1x in a; do :; done"));
            assertEquals(result(2, "bash: syntax error: unexpected \"fi\" (expecting \"done\")\n"), h.exec(1, "while true; do :; fi"));
        }
    }

    @Test
    void reservedWordsArePlainWordsWhereNoCommandStarts(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals("for done if then fi { } while do\n", h.ok(1, "echo for done if then fi { } while do"));
            assertEquals("done\n", h.ok(1, "x=done; echo $x"));
            assertEquals("in\n", h.ok(1, "for in in in; do echo $in; done"));
            assertEquals(result(127, "ssilab sim: for is not modelled by the simulator\n"), h.exec(1, "'for' i in 1"),
                    "a quoted reserved word is a command name");
        }
    }

    @Test
    void whatIsStillUnmodelledIsRefusedInOneLine(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals(result(127, "ssilab sim: a shell function is not modelled by the simulator\n"), h.exec(1, "echo x; f() { echo x; }"));
            assertEquals(result(127, "ssilab sim: case is not modelled by the simulator\n"), h.exec(1, "case a in a) echo a;; esac"));
            assertEquals(result(127, "ssilab sim: a here-document (<<) is not modelled by the simulator\n"), h.exec(1, "cat <<EOF\nx\nEOF"));
            assertEquals(result(127, "ssilab sim: (( )) (use $(( ))) is not modelled by the simulator\n"), h.exec(1, "i=1; ((i++))"));
            assertEquals(result(127, "ssilab sim: function is not modelled by the simulator\n"),
                    h.exec(1, "if true; then function f { :; }; fi"));
        }
    }

    @Test
    void aBusyLoopStopsWhenItsExecTimesOut(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 1)) {
            for (String loop : new String[] {"while true; do :; done", "while :; do date >/dev/null; done",
                "bash -c 'while true; do date >/dev/null; done'", "for i in 1 2; do while true; do :; done; done | wc -l",
                "(until false; do :; done)"}) {
                // an exec returns only when its session's thread is done, so a loop that ignored the kill would hang it
                ExecResult r;
                try {
                    r = CompletableFuture.supplyAsync(() -> h.exec(1, loop, Duration.ofMillis(300))).get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("'" + loop + "' went on after its exec timed out", e);
                }
                assertEquals(124, r.exitCode(), loop + ": " + r.output());
            }
            SimHarness.await("no process left of those lines", () -> h.backend.model().processes().stream()
                    .noneMatch(p -> p.command.startsWith("bash") || p.command.equals("date")));
        }
    }

    /**
     * A loop can write without end, and the simulator keeps files and pipes in ssilab's memory: the root
     * fills up as a disk does, and a pipe or $( ) that would hold more than the root ends its line.
     */
    @Test
    void aLoopThatWritesWithoutEndFillsTheRootNotTheMemory(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            ExecResult full = h.exec(1, "echo 0123456789 >/f; while :; do cat /f >>/f || break; done; echo done");
            assertEquals(result(0, "bash: /f: No space left on device\ndone\n"), full, "the file doubled each turn until the root was full");
            assertEquals("1\n", h.ok(1, "rm /f; echo x >/g; wc -l </g"), "space comes back when the file goes");

            h.ok(1, "echo 0123456789 >/b; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do cat /b >>/b; done");
            String says = "ssilab sim: a pipe or $( ) holds 64 MB at most here";
            ExecResult piped = h.exec(1, "while :; do cat /b; done | head -1; echo never");
            assertEquals(1, piped.exitCode(), piped.output());
            assertTrue(piped.output().startsWith(says) && !piped.output().contains("never"), piped.output());
            ExecResult substituted = h.exec(1, "x=$(while :; do cat /b; done); echo never");
            assertEquals(1, substituted.exitCode(), substituted.output());
            assertTrue(substituted.output().startsWith(says) && !substituted.output().contains("never"), substituted.output());
            assertEquals("0123456789\n", h.ok(1, "head -1 /b"), "the shell goes on");
        }
    }

    @Test
    void aLoopStopsWhenItsNodeCrashes(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 2)) {
            h.ok(1, "onnode 2 'while true; do echo x >>/tmp/ticks; done' &");
            SimHarness.await("the loop on node 2 to run", () -> h.exec(1, "test -s /tmp/ticks").exitCode() == 0);
            String running = h.ok(1, "wc -l </tmp/ticks");
            SimHarness.await("the loop to go on after the line that started it", () -> !h.ok(1, "wc -l </tmp/ticks").equals(running));
            h.backend.crash(2);
            Thread.sleep(100); // a turn under way when the node went down may still write once
            String before = h.ok(1, "wc -l </tmp/ticks");
            Thread.sleep(300);
            assertEquals(before, h.ok(1, "wc -l </tmp/ticks"), "the loop went on writing after its node crashed");
        }
    }

    @Test
    void ctrlCStopsALoopOnAConsole(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 1); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("while true; do date >>/tmp/ticks; done; echo not reached");
            SimHarness.await("the loop to run", () -> h.exec(1, "test -s /tmp/ticks").exitCode() == 0);
            c.type("\u0003");
            c.type("echo after $?");
            c.waitFor("after 130\n");
            c.type("while true; do sleep 1; done");
            SimHarness.await("the sleep", () -> h.backend.model().processes().stream().anyMatch(p -> p.command.equals("sleep 1")));
            c.type("\u0003");
            c.type("echo again $?");
            c.waitFor("again 130\n");
            assertTrue(!c.screen().contains("not reached"), c.screen());
        }
    }

    @Test
    void aConsoleReadsOnWhileACompoundCommandIsOpen(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 1); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("for i in 1 2");
            c.waitFor("]# > ");
            c.type("do echo turn $i");
            c.type("done; echo 'two");
            c.type("lines'");
            c.waitFor("turn 1\nturn 2\ntwo\nlines\n");
            c.type("while true; do");
            SimHarness.await("the continuation prompt", () -> c.screen().endsWith("> "));
            c.type("\u0003");
            c.type("echo dropped $?");
            c.waitFor("dropped 130\n");
        }
    }

    @Test
    void readTakesALineATurnFromALoopsInput(@TempDir Path dir) {
        try (SimHarness h = new SimHarness(dir, 1)) {
            assertEquals("[a] [b c]\n[d] [e]\n", h.ok(1, "echo -e 'a b c\\nd e' | while read x y; do echo \"[$x] [$y]\"; done"),
                    "the last name takes the rest of the line");
            h.ok(1, "echo -e '1\\n2\\n3' >/tmp/lines");
            assertEquals("got 1\n2\n3\n", h.ok(1, "while read n; do echo got $n; cat; done </tmp/lines"),
                    "read and cat read on from one position, as from one open file");
            assertEquals("3 lines\n", h.ok(1, "c=0; while read n; do c=$((c+1)); done </tmp/lines; echo $c lines"));
            assertEquals("1 last\n", h.ok(1, "echo -n last | { read x; echo \"$? $x\"; }"), "a last line without newline: read, and status 1");
            assertEquals("hi\n", h.ok(1, "echo hi | { read; echo $REPLY; }"));
            assertEquals("ab a\\b\n", h.ok(1, "echo -e 'a\\\\b\\na\\\\b' | { read a; read -r b; echo \"$a $b\"; }"),
                    "-r keeps backslashes");
            assertEquals(result(1, ""), h.exec(1, "read x </dev/null"), "/dev/null is empty, not the terminal");
            assertEquals(result(1, ""), h.exec(1, "read x"), "an exec has no terminal: end of input");
            assertEquals(result(2, "bash: read: '1x': not a valid identifier\n"), h.exec(1, "echo a | { read 1x; }"));
        }
    }

    @Test
    void readOnAConsoleTakesTheNextLineTyped(@TempDir Path dir) throws Exception {
        try (SimHarness h = new SimHarness(dir, 1); SimHarness.Console c = h.new Console(1)) {
            c.waitFor("]# ");
            c.type("read -p 'Name? ' name; echo hello $name");
            c.waitFor("Name? ");
            c.type("Bob");
            c.waitFor("hello Bob\n");
        }
    }
}
