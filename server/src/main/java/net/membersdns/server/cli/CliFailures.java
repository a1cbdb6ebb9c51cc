package net.membersdns.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How failures become exit codes and one-line messages (README.md, serve options): bad usage or
 * configuration exits 2 with the reason (which names the option); any other failure exits 1 with
 * its message, and a stack trace only when {@code --verbose} was given. Install once on the
 * top-level command.
 */
public final class CliFailures implements IExecutionExceptionHandler, IParameterExceptionHandler {
  public static final int USAGE = 2;
  public static final int FAILURE = 1;

  /** Sets both handlers on {@code cl} (and so on its subcommands); returns {@code cl}. */
  public static CommandLine install(CommandLine cl) {
    CliFailures handler = new CliFailures();
    return cl.setExecutionExceptionHandler(handler).setParameterExceptionHandler(handler);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + message);
    if (verbose(parseResult)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return FAILURE;
  }

  private static boolean verbose(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
