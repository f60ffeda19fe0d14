package dev.ssilab.tutor;

import dev.ssilab.course.Block;
import dev.ssilab.course.Lesson;
import dev.ssilab.course.TemplateEngine;
import dev.ssilab.course.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The markdown the tutor and auto-play wrap around a lesson's own text (a lesson's heading, a step's
 * heading and notes, a hint, a shown solution), written as templates in content/templates/ so that the
 * words a learner reads are in one place and Java holds none of them.
 */
final class Headings {
    private final TemplateEngine templates;

    Headings(TemplateEngine templates) {
        this.templates = templates;
    }

    String lesson(Lesson lesson, boolean runsHere, String backend) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", lesson.title());
        m.put("intro", lesson.intro().strip());
        m.put("runsHere", runsHere);
        m.put("backends", lesson.backends());
        m.put("backend", backend);
        return render("lesson.md.ftl", m);
    }

    /** @param index the step's index in its lesson (shown from 1) */
    String step(int index, int count, String title, String prose, boolean done, boolean runsHere, List<String> backends, String backend) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", index + 1);
        m.put("count", count);
        m.put("title", title);
        m.put("prose", prose);
        m.put("done", done);
        m.put("runsHere", runsHere);
        m.put("backends", backends);
        m.put("backend", backend);
        return render("step.md.ftl", m);
    }

    String hint(int number, int count, String text) {
        return render("hint.md.ftl", Map.of("number", number, "count", count, "text", text));
    }

    String solution(List<Block> blocks) {
        List<Map<String, Object>> shown = blocks.stream().map(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", b.code());
            if (b.target() instanceof Target.Node n) {
                m.put("node", n.number());
            }
            return m;
        }).toList();
        return render("shown-solution.md.ftl", Map.of("blocks", shown));
    }

    String answer(String answer) {
        return render("shown-solution.md.ftl", Map.of("answer", answer));
    }

    private String render(String name, Map<String, ?> model) {
        return templates.renderFile("templates/" + name, model);
    }
}
