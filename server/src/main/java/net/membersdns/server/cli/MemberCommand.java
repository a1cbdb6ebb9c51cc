package net.membersdns.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code member}: the enrolment commands. Register on the top-level command with {@code
 * addSubcommand(new MemberCommand())}.
 */
@Command(
    name = "member",
    description = "Add, list and remove members",
    mixinStandardHelpOptions = true,
    subcommands = {MemberAddCommand.class, MemberListCommand.class, MemberRemoveCommand.class})
public final class MemberCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: add, list or remove");
  }
}
