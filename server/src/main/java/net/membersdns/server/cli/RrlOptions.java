package net.membersdns.server.cli;

import net.membersdns.server.pipeline.RrlConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The response rate limiting options of {@code serve} (README.md, Response rate limiting), each
 * also settable as {@code MEMBERSDNS_*}. {@link #toConfig} validates them and names the option.
 */
public final class RrlOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--rrl-rate",
      defaultValue = "${env:MEMBERSDNS_RRL_RATE:-" + RrlConfig.DEFAULT_RATE + "}",
      description =
          "identical UDP responses per second to one client network (/24, /56) before response"
              + " rate limiting drops or truncates them; 0 turns it off (env MEMBERSDNS_RRL_RATE;"
              + " default: ${DEFAULT-VALUE})")
  int rate;

  @Option(
      names = "--rrl-slip",
      defaultValue = "${env:MEMBERSDNS_RRL_SLIP:-" + RrlConfig.DEFAULT_SLIP + "}",
      description =
          "every Nth rate-limited response is sent as an empty TC=1 reply so real clients retry"
              + " over TCP, the rest are dropped; 0 drops all, 1 truncates all"
              + " (env MEMBERSDNS_RRL_SLIP; default: ${DEFAULT-VALUE})")
  int slip;

  /** Validates and builds the settings; a complaint names the option. */
  public RrlConfig toConfig() {
    if (rate < 0) {
      throw new ParameterException(spec.commandLine(), "--rrl-rate: must be 0 (off) or more");
    }
    if (slip < 0) {
      throw new ParameterException(spec.commandLine(), "--rrl-slip: must be 0 (never) or more");
    }
    return new RrlConfig(rate, slip);
  }
}
