package dev.ssilab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code ssilab --course DIR lint}: the course options are also the bare tutor's, so picocli accepts
 * them before a subcommand and, left alone, gives them to {@link Main}, where nothing reads them; the
 * subcommand would then quietly use the default course. They are handed on to a subcommand that takes
 * them (what was typed after the subcommand wins), and refused for one that does not.
 */
final class LeadingCourseOptions {
    private LeadingCourseOptions() {}

    static void handOn(ParseResult parsed) {
        if (!parsed.hasSubcommand() || !(parsed.commandSpec().userObject() instanceof Main main)) {
            return;
        }
        CourseOptions given = main.course;
        if (given.course == null && given.backend == null && given.workdir == null) {
            return;
        }
        ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        CommandSpec sub = last.commandSpec();
        CourseOptions target = sub.mixins().values().stream()
                .map(CommandSpec::userObject)
                .filter(CourseOptions.class::isInstance)
                .map(CourseOptions.class::cast)
                .findFirst().orElse(null);
        if (target == null) {
            String typed = given.course != null ? "--course" : given.backend != null ? "--backend" : "--workdir";
            throw new CommandLine.ParameterException(sub.commandLine(), "'" + sub.qualifiedName() + "' takes no " + typed
                    + " option (it is for the tutor, lint, play and test; put it after their name, e.g. 'ssilab lint "
                    + typed + " ...')");
        }
        if (target.course == null) {
            target.course = given.course;
        }
        if (target.backend == null) {
            target.backend = given.backend;
        }
        if (target.workdir == null) {
            target.workdir = given.workdir;
        }
    }
}
