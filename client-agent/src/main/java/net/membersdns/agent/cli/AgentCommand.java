package net.membersdns.agent.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code membersdns-agent}: the host agent. Exit codes: 0 ok, 2 bad usage or configuration (one
 * line naming the option or file), 1 runtime failure.
 */
@Command(
    name = "membersdns-agent",
    mixinStandardHelpOptions = true,
    version = "membersdns-agent 0.1.0",
    description =
        "Puts this host on its member's map (ULA, port mapping, leased registration over"
            + " DNS-over-TLS) and keeps WireGuard tunnels to the member's other hosts.",
    subcommands = {UpCommand.class, StatusCommand.class})
public final class AgentCommand implements Runnable {
  static final int USAGE = 2;
  static final int FAILURE = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: up, status");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its failure handling, also for tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new AgentCommand());
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": " + ex.getMessage());
      err.flush();
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      PrintWriter err = c.getErr();
      err.println(
          c.getCommandSpec().qualifiedName()
              + ": "
              + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose")) {
        ex.printStackTrace(err);
      }
      err.flush();
      return FAILURE;
    });
    return cl;
  }
}
