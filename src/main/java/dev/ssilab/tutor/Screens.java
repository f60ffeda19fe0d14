package dev.ssilab.tutor;

import dev.ssilab.course.TemplateEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tutor's fixed screens, written as FreeMarker templates in content/templates/ and rendered as markdown. */
final class Screens {
    private final TemplateEngine templates;
    private final MarkdownRenderer md;

    Screens(TemplateEngine templates, MarkdownRenderer md) {
        this.templates = templates;
        this.md = md;
    }

    String welcome(Map<String, Object> model, boolean resuming) {
        Map<String, Object> m = new LinkedHashMap<>(model);
        m.put("resuming", resuming);
        return render("welcome.md.ftl", m);
    }

    String help(Map<String, Object> model) {
        Map<String, Object> m = new LinkedHashMap<>(model);
        m.put("commands", TutorCommand.helpRows());
        return render("help.md.ftl", m);
    }

    String status(Map<String, Object> model) {
        return render("status.md.ftl", model);
    }

    String lessons(List<Map<String, Object>> lessons) {
        return render("lessons.md.ftl", Map.of("lessons", lessons));
    }

    String stepResult(Map<String, Object> model, String step, boolean passed, List<String> reasons) {
        Map<String, Object> m = new LinkedHashMap<>(model);
        m.put("step", step);
        m.put("passed", passed);
        m.put("reasons", reasons);
        return render("step-result.md.ftl", m);
    }

    String finish(Map<String, Object> model) {
        return render("finish.md.ftl", model);
    }

    private String render(String name, Map<String, ?> model) {
        return md.render(templates.renderFile("templates/" + name, model));
    }
}
