package dev.ssilab.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code ssilab --course DIR lint}: the course options are also the bare tutor's, so picocli accepts
 * them before a subcommand and, left alone, gives them to {@link Main}, where nothing reads them; the
 * subcommand would then quietly use the default course. They are handed on to a subcommand that has
 * an option of that name (what was typed after the subcommand wins), and refused for one that has not.
 */
final class LeadingCourseOptions {
    private static final List<String> NAMES = List.of("--course", "--backend", "--workdir");

    private LeadingCourseOptions() {}

    static void handOn(ParseResult parsed) {
        if (!parsed.hasSubcommand()) {
            return;
        }
        ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        CommandSpec sub = last.commandSpec();
        for (String name : NAMES) {
            OptionSpec given = parsed.matchedOption(name);
            if (given == null) {
                continue;
            }
            OptionSpec target = sub.findOption(name);
            if (target == null) {
                throw new CommandLine.ParameterException(sub.commandLine(), "'" + sub.qualifiedName() + "' takes no " + name
                        + " option (put options after the command's name, e.g. 'ssilab lint " + name + " ...')");
            }
            if (!last.hasMatchedOption(name)) {
                target.setValue(given.getValue());
            }
        }
    }
}
