package net.membersdns.server.cli;

import net.membersdns.server.logging.LogSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --log-format} and {@code --log-level} of {@code serve}. The environment variables they
 * default to already shaped the log before the command line was read (every command logs from its
 * first line); {@code serve} validates them here, exiting 2 on a bad value, and applies them.
 */
public final class LogOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--log-format",
      defaultValue = "${env:MEMBERSDNS_LOG_FORMAT:-text}",
      description =
          "text or json: one JSON object per line (env MEMBERSDNS_LOG_FORMAT; default: ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = "--log-level",
      defaultValue = "${env:MEMBERSDNS_LOG_LEVEL:-info}",
      description =
          "default level, then COMPONENT=LEVEL per component, e.g. info,llq=debug,audit=warn (env MEMBERSDNS_LOG_LEVEL; default: ${DEFAULT-VALUE})")
  String level;

  /** The settings, or a usage error naming the option. */
  public LogSettings settings() {
    try {
      LogSettings.parse(format, "info");
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--log-format: " + e.getMessage());
    }
    try {
      return LogSettings.parse(format, level);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--log-level: " + e.getMessage());
    }
  }
}
