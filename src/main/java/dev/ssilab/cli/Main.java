package dev.ssilab.cli;

import dev.ssilab.state.UserError;
import dev.ssilab.tutor.TutorLauncher;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: parses the command line, runs one command, turns failures into one line and an exit status. */
@Command(
        name = "ssilab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An executable tutorial: Creating SSI clusters using UML (User-Mode Linux).%n"
                + "With no command, starts (or resumes) the course in an interactive tutor.")
public final class Main implements Callable<Integer> {

    /** The subcommands, in the order --help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            LintCommand.class,
            PlayCommand.class,
            TestCommand.class,
            ClusterCommand.class,
            ExecCommand.class,
            ConsoleCommand.class,
            ClusterdCommand.class,
            KernelCommand.class,
            CriuCommand.class,
            RootfsCommand.class,
            DoctorCommand.class,
            FetchCommand.class,
            ExtractCommand.class,
            MirrorCommand.class,
            ArtifactsCommand.class);

    @CommandLine.Mixin
    GlobalOptions global = new GlobalOptions();

    @CommandLine.Mixin
    CourseOptions course = new CourseOptions();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit status (tests call this in-process). */
    public static int run(String... args) {
        // The two command lines a learner runs most, the tutor and --version, skip picocli's model of all
        // the commands: it is built by reflection from classes the JVM cannot keep in its class-data
        // archive (picocli's bytecode is too old for it), about a third of a cold start. Same behaviour.
        if (args.length == 0) {
            return runTutor();
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            for (String line : new VersionProvider().getVersion()) {
                System.out.println(line);
            }
            System.out.flush();
            return 0;
        }
        CommandLine cmd = commandLine(args[0]);
        String prog = System.getenv("SSILAB_PROG");
        // bin/ssi-add runs "ssilab cluster add ...": run that subcommand under the launcher's own name,
        // so its usage and error lines say "ssi-add", as the HOWTO's commands did.
        if (prog != null && !prog.isBlank() && args.length >= 2 && args[0].equals("cluster")) {
            CommandLine sub = cmd.getSubcommands().get("cluster").getSubcommands().get(args[1]);
            if (sub != null) {
                CommandLine alone = new CommandLine(sub.getCommand());
                alone.setCommandName(prog);
                alone.setExecutionExceptionHandler(Main::handleFailure);
                alone.setParameterExceptionHandler(Main::handleBadArguments);
                return alone.execute(java.util.Arrays.copyOfRange(args, 2, args.length));
            }
        }
        return cmd.execute(args);
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** {@code ssilab} alone, as picocli would run it with no options given; failures as for any command. */
    private static int runTutor() {
        try {
            return new Main().call();
        } catch (Exception e) {
            CommandLine cmd = commandLine();
            return handleFailure(e, cmd, cmd.parseArgs());
        }
    }

    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with every subcommand, or with only {@code first}'s when that word names one:
     * picocli builds the model of each subcommand it is given, by reflection, and all of them cost about
     * as much as the JVM's own start; a command needs only its own. Anything else ({@code --help}, a
     * leading option, a mistyped name) gets them all, so help and suggestions see every command.
     */
    static CommandLine commandLine(String first) {
        CommandLine cmd = new CommandLine(new Main());
        boolean named = first != null && SUBCOMMANDS.stream().anyMatch(c -> first.equals(name(c)));
        for (Class<?> c : SUBCOMMANDS) {
            if (!named || first.equals(name(c))) {
                cmd.addSubcommand(c);
            }
        }
        cmd.setExecutionExceptionHandler(Main::handleFailure);
        cmd.setParameterExceptionHandler(Main::handleBadArguments);
        cmd.setExecutionStrategy(parsed -> {
            LeadingCourseOptions.handOn(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        return cmd;
    }

    @Override
    public Integer call() throws Exception {
        var paths = Workspaces.paths();
        try (var workspace = Workspaces.open(course, course.workdir(paths), TutorLauncher.interactiveStdin())) {
            return TutorLauncher.start(workspace, paths, System.getenv());
        }
    }

    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = parsed.hasMatchedOption("--debug") || GlobalOptions.debugFromEnv();
        if (debug) {
            e.printStackTrace(err);
        }
        if (e instanceof UserError u) {
            err.println(prefix(cmd) + u.getMessage());
            err.flush();
            return u.exitCode();
        }
        var fileFailure = FileFailure.describe(e, System.getenv());
        if (fileFailure.isPresent()) {
            err.println(prefix(cmd) + fileFailure.get());
            err.flush();
            return 1;
        }
        // ssilab's own I/O failures carry a message written for the learner (file and reason); one made
        // from a bare cause (its message is the cause's toString) is not, and stays an internal error.
        if (e instanceof java.io.UncheckedIOException io && io.getMessage() != null && io.getCause() != null
                && !io.getMessage().equals(io.getCause().toString())) {
            err.println(prefix(cmd) + io.getMessage());
            err.flush();
            return 1;
        }
        err.println(prefix(cmd) + "internal error: " + e + (debug ? "" : " (run again with --debug for details)"));
        err.flush();
        return 70;
    }

    /** Bad arguments get one line, not a usage screen: the line names the value and points to --help. */
    private static int handleBadArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String help = cmd.getCommandSpec().qualifiedName();
        err.println(prefix(cmd) + e.getMessage() + " (see '" + help + " --help')");
        err.flush();
        return 1;
    }

    private static String prefix(CommandLine cmd) {
        String prog = System.getenv("SSILAB_PROG");
        return (prog != null && !prog.isBlank() ? prog : cmd.getCommandSpec().root().name()) + ": ";
    }
}
