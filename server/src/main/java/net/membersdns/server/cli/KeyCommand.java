package net.membersdns.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code key}: operator TSIG keys with grants wider than a member's (for example every member zone,
 * for admin tooling and benchmarks). Grants are rows in PostgreSQL; every running server reloads
 * its keys when they change.
 */
@Command(
    name = "key",
    description = "Add, list and remove operator TSIG keys and their grants",
    mixinStandardHelpOptions = true,
    subcommands = {KeyAddCommand.class, KeyListCommand.class, KeyRemoveCommand.class})
public final class KeyCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: add, list or remove");
  }

  /** A key name as given, made absolute (relative names are relative to the root, as nsupdate). */
  static String keyName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".") ? n : n + ".";
  }
}
