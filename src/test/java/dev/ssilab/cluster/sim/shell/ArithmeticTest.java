package dev.ssilab.cluster.sim.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
    private static final Map<String, String> VARS = Map.of("x", "5", "neg", "-3", "empty", "", "word", "abc");

    private static long eval(String expression) {
        return Arithmetic.evaluate(expression, name -> VARS.getOrDefault(name, ""));
    }

    private static String error(String expression) {
        return assertThrows(Arithmetic.EvalError.class, () -> eval(expression)).getMessage();
    }

    @Test
    void operatorsBindAsInC() {
        assertEquals(7, eval("1 + 2 * 3"));
        assertEquals(9, eval("(1 + 2) * 3"));
        assertEquals(1, eval("10 - 4 - 5"), "left to right");
        assertEquals(2, eval("12 / 3 / 2"));
        assertEquals(-3, eval("-7 / 2"), "division truncates toward zero");
        assertEquals(-1, eval("-7 % 3"));
        assertEquals(1, eval("1 + 1 == 2"), "arithmetic before comparison");
        assertEquals(1, eval("1 < 2 == 1"), "relations before equality");
        assertEquals(1, eval("0 && 0 || 1"), "&& before ||");
        assertEquals(0, eval("!5"));
        assertEquals(5, eval("- -5"));
        assertEquals(0, eval(""), "an empty expression is 0");
    }

    @Test
    void namesAreVariablesAndNumbersMayBeHexOrOctal() {
        assertEquals(10, eval("x * 2"));
        assertEquals(2, eval("x + neg"));
        assertEquals(1, eval("empty + unset + 1"), "empty and unset are 0");
        assertEquals(255 + 8, eval("0xff + 010"));
        assertEquals(Long.MIN_VALUE, eval("9223372036854775807 + 1"), "64-bit, wrapping as sh's C does");
    }

    @Test
    void theSideThatIsNotEvaluatedRaisesNoError() {
        assertEquals(0, eval("0 && 1 / 0"));
        assertEquals(1, eval("1 || 1 % 0"));
    }

    @Test
    void errorsSayWhatWasWrong() {
        assertEquals("division by zero in '1 / (x - 5)'", error("1 / (x - 5)"));
        assertEquals("arithmetic syntax error in '(1 + 2': missing ')'", error("(1 + 2"));
        assertEquals("arithmetic syntax error in '1 2': unexpected '2'", error("1 2"));
        assertEquals("arithmetic syntax error in '1 & 2': unexpected '& 2'", error("1 & 2"));
        assertEquals("arithmetic syntax error in '09': '09' is not a number", error("09"));
        assertEquals("variable word holds 'abc', not a number, in 'word'", error("word"));
        assertEquals("assignment in $(( )) is not modelled: write x=$((...)) instead", error("x = 1"));
    }
}
