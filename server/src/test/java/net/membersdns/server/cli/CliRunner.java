package net.membersdns.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Runs the CLI's store commands in-process, as the lead's top-level command will register them. */
public final class CliRunner {
  @Command(
      name = "membersdns",
      subcommands = {
        MemberCommand.class,
        RecordsCommand.class,
        ImportCommand.class,
        ExportCommand.class,
        KeyCommand.class,
        HostCommand.class,
        ServeCommand.class
      })
  /** Stand-in for the lead's top-level command. */
  @SuppressWarnings("unused")
  static final class Root implements Runnable {
    @Override
    public void run() {}
  }

  /** Exit code and everything printed. */
  public record Result(int exit, String out, String err) {}

  /** Runs {@code args} as the command line would. */
  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CliFailures.install(new CommandLine(new Root()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
