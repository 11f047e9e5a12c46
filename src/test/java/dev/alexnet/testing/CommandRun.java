package dev.alexnet.testing;

import dev.alexnet.cli.AlexNetCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A command line run in-process, as {@code bin/alexnet} would run it.
 *
 * @param code its exit code
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
public record CommandRun(int code, String out, String err) {

    /** Runs {@code args} (the subcommand first) and returns what happened. */
    public static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AlexNetCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new CommandRun(code, out.toString(), err.toString());
    }
}
