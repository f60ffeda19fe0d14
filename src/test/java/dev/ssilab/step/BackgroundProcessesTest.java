package dev.ssilab.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ssilab.cli.SsilabProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a step's host blocks leave running in the background ends with them; a cluster ssi-start detaches does not. */
class BackgroundProcessesTest {
    /** Odd durations, so the test finds its own sleeps and nobody else's. */
    private static final String RUN_SLEEP = "1000.4242";
    private static final String CHECK_SLEEP = "1000.4243";

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        sleeps().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void sleepsStartedInTheBackgroundDoNotOutliveSsilabTestButTheClusterLivesOnToTheNextStep() throws Exception {
        Path course = Files.createDirectories(tmp.resolve("course"));
        Files.writeString(course.resolve("01-bg.md"), """
                ---
                id: bg
                title: Background
                ---
                ## Step: Leave a sleeper behind

                ```sh run
                sleep %s &
                echo "test root image" >root_fs
                ssi-start 2
                ```
                ```sh check
                sleep %s &
                ssi-ls | grep -q '^10001 ' || { echo "FAIL: no cluster 10001"; exit 1; }
                ```

                ## Step: The cluster is still there

                ```sh run
                ssi-ls >ls.txt
                ```
                ```sh check
                grep '^10001 ' ls.txt | grep -q '1 2' || { echo "FAIL: cluster 10001 is gone"; cat ls.txt; exit 1; }
                ```
                """.formatted(RUN_SLEEP, CHECK_SLEEP));
        SsilabProcess.Result r = new SsilabProcess(tmp).run("", "test", "--backend", "sim", "--course", course.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASS bg / The cluster is still there"), r.out());
        assertEquals(List.of(), sleeps().stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList(),
                "background sleeps of the blocks are left after ssilab test");
    }

    private static List<ProcessHandle> sleeps() {
        return ProcessHandle.allProcesses().filter(h -> {
            String cmdline = cmdline(h.pid());
            return cmdline.equals("sleep\0" + RUN_SLEEP + "\0") || cmdline.equals("sleep\0" + CHECK_SLEEP + "\0");
        }).toList();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
