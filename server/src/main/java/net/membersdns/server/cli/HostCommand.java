package net.membersdns.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code host}: per-host TSIG keys of a member. A host key writes only its host's names in the
 * member zone and reads the whole zone; removing it revokes it in every server at once and
 * withdraws the host's records.
 */
@Command(
    name = "host",
    description = "Add, list and remove a member's hosts and their own TSIG keys",
    mixinStandardHelpOptions = true,
    subcommands = {HostAddCommand.class, HostListCommand.class, HostRemoveCommand.class})
public final class HostCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: add, list or remove");
  }
}
