package dev.ssilab.step;

import dev.ssilab.state.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes course test outcomes as JUnit XML (one testsuite per lesson) for CI servers. */
public final class JUnitReport {
    private JUnitReport() {}

    public static void write(Path file, List<StepOutcome> outcomes) {
        Map<String, List<StepOutcome>> byLesson = new LinkedHashMap<>();
        for (StepOutcome o : outcomes) {
            byLesson.computeIfAbsent(o.lesson(), k -> new java.util.ArrayList<>()).add(o);
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ssilab course\">\n");
        for (var e : byLesson.entrySet()) {
            List<StepOutcome> os = e.getValue();
            long failures = os.stream().filter(o -> o instanceof StepOutcome.Failed).count();
            long skipped = os.stream().filter(o -> o instanceof StepOutcome.Skipped).count();
            xml.append("  <testsuite name=\"").append(esc(e.getKey())).append("\" tests=\"").append(os.size())
                    .append("\" failures=\"").append(failures).append("\" skipped=\"").append(skipped).append("\">\n");
            for (StepOutcome o : os) {
                xml.append("    <testcase classname=\"").append(esc(o.lesson())).append("\" name=\"").append(esc(o.step())).append('"');
                if (o instanceof StepOutcome.Passed p) {
                    xml.append(" time=\"").append(p.millis() / 1000.0).append("\"/>\n");
                } else if (o instanceof StepOutcome.Failed f) {
                    xml.append(" time=\"").append(f.millis() / 1000.0).append("\">\n")
                            .append("      <failure message=\"").append(esc(f.reason())).append("\">")
                            .append(esc(f.output())).append("</failure>\n    </testcase>\n");
                } else if (o instanceof StepOutcome.Skipped s) {
                    xml.append(">\n      <skipped message=\"").append(esc(s.reason()))
                            .append("\"/>\n    </testcase>\n");
                }
            }
            xml.append("  </testsuite>\n");
        }
        xml.append("</testsuites>\n");
        AtomicFiles.writeString(file, xml.toString());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "");
    }
}
