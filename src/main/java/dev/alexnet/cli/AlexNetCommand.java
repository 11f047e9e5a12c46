package dev.alexnet.cli;

import ai.djl.engine.EngineException;
import dev.alexnet.data.DataException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import dev.alexnet.io.Messages;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code alexnet} command: one subcommand per task. */
@Command(
        name = "alexnet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"The d2l AlexNet chapter on the JVM: inspect, train, evaluate, serve and use AlexNet on Fashion-MNIST.",
            "Without --weights, evaluate, predict, filters, export, serve and batch-predict use the shipped model "
                + "models/alexnet28-quick.safetensors (alexnet28 trained by --preset quick)."},
        footerHeading = "%nExamples:%n",
        footer = {"  alexnet predict docs/examples/sandal.png",
            "      classify a picture with the shipped model",
            "  alexnet serve",
            "      a page and the HTTP APIs at http://127.0.0.1:8080/",
            "  alexnet summary",
            "      the book's layer_summary of AlexNet at 224x224",
            "  alexnet train --epochs 1 --out runs/taste",
            "      one epoch of the book's training",
            "  alexnet evaluate --weights runs/taste",
            "      score a run's model on the validation images",
            "  alexnet train --data folder:PATH",
            "      train on your own pictures, a sub-folder per class",
            "%nalexnet COMMAND --help shows a command's flags; docs/ explains each command."},
        subcommands = {SummaryCommand.class, TrainCommand.class, EvaluateCommand.class, PlotCommand.class,
            FiltersCommand.class, PredictCommand.class, AnalyzeCommand.class, BenchCommand.class, ExportCommand.class,
            ServeCommand.class, LoadCommand.class, BatchPredictCommand.class, MakeFolderCommand.class,
            CommandLine.HelpCommand.class})
public final class AlexNetCommand implements Runnable {

    /** Exit code for bad flags or arguments. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    /** Exit code for a failure while running: bad data, a bad model directory, an engine error. */
    public static final int FAILURE = CommandLine.ExitCode.SOFTWARE;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    // Set only when run as a program: in-process callers pass their own streams, never a terminal.
    private static volatile boolean stderrTerminal;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        stderrTerminal = Terminal.stderrIsTerminal();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Returns whether this program's standard error is a terminal (false when run in-process). */
    static boolean stderrTerminal() {
        return stderrTerminal;
    }

    /** Runs the command line with the given streams and returns its exit code; used in-process by tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new AlexNetCommand())
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(AlexNetCommand::usageError)
                .setExecutionExceptionHandler(AlexNetCommand::failure);
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Says on standard error that an old spelling of a flag was used, and its new one; the old keeps working. */
    static void renamed(CommandLine.Model.CommandSpec spec, String old, String now) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": note: " + old + " is now " + now + "; the old spelling keeps working for now");
        err.flush();
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + Messages.firstLine(e.getMessage()));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        return USAGE;
    }

    private static int failure(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (System.getenv("ALEXNET_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return FAILURE;
    }

    /** Says what went wrong in one line: the message of errors we expect, the type of those we do not. */
    static String describe(Throwable e) {
        if (e instanceof DataException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException) {
            return Messages.firstLine(e.getMessage());
        }
        if (e instanceof EngineException) {
            return "engine error: " + Messages.firstLine(e.getMessage());
        }
        return "unexpected " + e.getClass().getSimpleName() + ": " + Messages.firstLine(e.getMessage())
                + " (set ALEXNET_DEBUG=1 for the stack trace)";
    }
}
