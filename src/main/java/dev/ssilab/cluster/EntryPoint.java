package dev.ssilab.cluster;

/**
 * Names the class whose {@code main} runs ssilab's commands, so that a manager ({@code clusterd ID})
 * or a console window ({@code console ID N}) can be started in a new JVM. The front end provides it,
 * found with {@link java.util.ServiceLoader} (META-INF/services/dev.ssilab.cluster.EntryPoint): the
 * cluster layer does not know the front end, not even its name, and a test that starts a manager
 * in-process finds the same front end on its class path.
 */
public interface EntryPoint {

    /** The class with {@code public static void main(String[])} that takes ssilab's command lines. */
    Class<?> mainClass();
}
