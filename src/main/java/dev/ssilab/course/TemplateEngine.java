package dev.ssilab.course;

import freemarker.cache.FileTemplateLoader;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Locale;
import java.util.Map;

/**
 * FreeMarker, set up for lessons and screens: errors are rethrown (never printed into the output),
 * numbers print as computers write them (10001, not 10,001), and includes resolve against content/.
 */
public final class TemplateEngine {
    private final Configuration config;

    public TemplateEngine(Path contentDir) {
        config = new Configuration(Configuration.VERSION_2_3_34);
        config.setDefaultEncoding("UTF-8");
        config.setLocale(Locale.ROOT);
        config.setNumberFormat("computer");
        config.setBooleanFormat("c");
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        config.setAPIBuiltinEnabled(false);
        // A course may come from anyone: its templates must never run a program or make a Java object
        // (?new of freemarker.template.utility.Execute would run a command while lint merely reads it).
        config.setNewBuiltinClassResolver(freemarker.core.TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        if (contentDir != null && Files.isDirectory(contentDir)) {
            try {
                config.setTemplateLoader(new FileTemplateLoader(contentDir.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A template failure with the line FreeMarker blamed (0 when it named none). */
    public static final class TemplateFailure extends Exception {
        private final int line;

        TemplateFailure(String message, int line) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** A lesson renders to a few kilobytes; far beyond that it is a loop that prints without end. */
    static final int MAX_OUTPUT_CHARS = 1 << 20;
    /** A lesson renders in milliseconds; far beyond that it is a loop that does not end. */
    static final Duration RENDER_LIMIT = Duration.ofSeconds(10);

    /**
     * Renders template source text; {@code name} is used in FreeMarker's own messages.
     *
     * <p>A course may come from anyone, and a template is a program: it may loop for ever, recurse
     * without end or print gigabytes. So it runs on its own thread with a deadline (FreeMarker checks
     * for interruption in its loops once the template has the checks added), its output is capped,
     * and running out of stack or memory there is a failure of this lesson, not of ssilab.
     */
    public String render(String name, String source, Map<String, ?> model) throws TemplateFailure {
        FutureTask<String> task = new FutureTask<>(() -> renderHere(name, source, model));
        Thread worker = new Thread(task, "render " + name);
        worker.setDaemon(true); // should a template ignore the interruption, it cannot keep the JVM alive
        worker.start();
        try {
            return task.get(RENDER_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new TemplateFailure("template did not finish rendering within " + RENDER_LIMIT.toSeconds()
                    + " s: look for a loop or recursion that does not end", 0);
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new TemplateFailure("template rendering was interrupted", 0);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TemplateFailure f) {
                throw f;
            }
            if (cause instanceof StackOverflowError) {
                throw new TemplateFailure("template recursed too deeply: look for a macro or function that calls itself without end", 0);
            }
            if (cause instanceof OutOfMemoryError) {
                throw new TemplateFailure("template needed more memory than there is: look for a huge string or sequence it builds", 0);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private String renderHere(String name, String source, Map<String, ?> model) throws TemplateFailure {
        try {
            Template t = new Template(name, new StringReader(source), config);
            // Public but internal FreeMarker API (the way its own online template tester bounds run time):
            // puts an interruption check into every loop and macro call of this template.
            freemarker.core._CoreAPI.addThreadInterruptedChecks(t);
            BoundedWriter out = new BoundedWriter(MAX_OUTPUT_CHARS);
            t.process(model, out);
            return out.toString();
        } catch (ParseException e) {
            throw new TemplateFailure("template syntax error: " + firstLine(e.getEditorMessage()), e.getLineNumber());
        } catch (freemarker.core.InvalidReferenceException e) {
            Integer line = e.getLineNumber();
            String what = e.getBlamedExpressionString();
            throw new TemplateFailure("template error: ${" + what + "} is not defined (course variables: " + String.join(", ", names(model))
                    + "; write shell variables as $NAME, without braces, or as ${r\"${NAME}\"})", line == null ? 0 : line);
        } catch (TemplateException e) {
            Integer line = e.getLineNumber();
            throw new TemplateFailure("template error: " + firstLine(e.getMessageWithoutStackTop()), line == null ? 0 : line);
        } catch (BoundedWriter.TooLarge e) {
            throw new TemplateFailure("template output passed " + MAX_OUTPUT_CHARS + " characters (a lesson is a few thousand):"
                    + " look for a loop that prints without end", 0);
        } catch (IOException e) {
            throw new TemplateFailure("template error: " + e.getMessage(), 0);
        }
    }

    /** Renders a template file from content/ (screens such as templates/welcome.md.ftl). */
    public String renderFile(String name, Map<String, ?> model) {
        try {
            StringWriter out = new StringWriter();
            config.getTemplate(name).process(model, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new dev.ssilab.state.UserError("cannot render content/" + name + ": " + firstLine(e.getMessage())
                    + " (check the ssilab installation's content/ folder)");
        }
    }

    /** The variable names a model offers, nested ones dotted (cluster.id). */
    private static java.util.List<String> names(Map<String, ?> model) {
        java.util.List<String> names = new java.util.ArrayList<>();
        model.forEach((k, v) -> {
            if (v instanceof Map<?, ?> inner) {
                inner.keySet().forEach(ik -> names.add(k + "." + ik));
            } else {
                names.add(k);
            }
        });
        return names;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.replaceAll("\\s+", " ");
    }
}
