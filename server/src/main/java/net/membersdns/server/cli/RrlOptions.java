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

  @Option(
      names = "--rrl-ipv4-prefix-length",
      defaultValue =
          "${env:MEMBERSDNS_RRL_IPV4_PREFIX_LENGTH:-" + RrlConfig.DEFAULT_IPV4_PREFIX_LENGTH + "}",
      description =
          "leading bits of an IPv4 client address that make one client network for rate limiting,"
              + " 0-32 (env MEMBERSDNS_RRL_IPV4_PREFIX_LENGTH; default: ${DEFAULT-VALUE})")
  int ipv4PrefixLength;

  @Option(
      names = "--rrl-ipv6-prefix-length",
      defaultValue =
          "${env:MEMBERSDNS_RRL_IPV6_PREFIX_LENGTH:-" + RrlConfig.DEFAULT_IPV6_PREFIX_LENGTH + "}",
      description =
          "leading bits of an IPv6 client address that make one client network for rate limiting,"
              + " 0-128 (env MEMBERSDNS_RRL_IPV6_PREFIX_LENGTH; default: ${DEFAULT-VALUE})")
  int ipv6PrefixLength;

  /** Validates and builds the settings; a complaint names the option. */
  public RrlConfig toConfig() {
    if (rate < 0) {
      throw new ParameterException(spec.commandLine(), "--rrl-rate: must be 0 (off) or more");
    }
    if (slip < 0) {
      throw new ParameterException(spec.commandLine(), "--rrl-slip: must be 0 (never) or more");
    }
    if (ipv4PrefixLength < 0 || ipv4PrefixLength > 32) {
      throw new ParameterException(
          spec.commandLine(), "--rrl-ipv4-prefix-length: must be from 0 to 32");
    }
    if (ipv6PrefixLength < 0 || ipv6PrefixLength > 128) {
      throw new ParameterException(
          spec.commandLine(), "--rrl-ipv6-prefix-length: must be from 0 to 128");
    }
    return new RrlConfig(rate, slip, ipv4PrefixLength, ipv6PrefixLength);
  }
}
