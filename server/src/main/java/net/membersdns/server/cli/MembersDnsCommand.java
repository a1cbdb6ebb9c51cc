package net.membersdns.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code membersdns}: the server and its administration commands (README.md, serve options). Exit
 * codes: 0 ok, 2 bad usage or configuration (one line naming the option), 1 runtime failure.
 */
@Command(
    name = "membersdns",
    mixinStandardHelpOptions = true,
    version = "membersdns 0.1.0",
    description = "Members DNS service: a self-hostable Back to My Mac (RFC 6281).",
    subcommands = {
      ServeCommand.class,
      MemberCommand.class,
      RecordsCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      KeyCommand.class,
      HostCommand.class
    })
public final class MembersDnsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: serve, member, host, key, records, import, export");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (error handlers installed), also for tests. */
  public static CommandLine commandLine() {
    return CliFailures.install(new CommandLine(new MembersDnsCommand()));
  }
}
