package net.membersdns.server.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.llq.LlqConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The LLQ options of {@code serve} (RFC 8764 §5.2.1, §3.2), each also settable as {@code
 * MEMBERSDNS_*}. {@link #toConfig} validates them all and names the option.
 */
public final class LlqOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--llq-lease-min",
      defaultValue = "${env:MEMBERSDNS_LLQ_LEASE_MIN:-900}",
      description =
          "shortest LLQ lease granted, seconds (env MEMBERSDNS_LLQ_LEASE_MIN; default: ${DEFAULT-VALUE})")
  long leaseMin;

  @Option(
      names = "--llq-lease-max",
      defaultValue = "${env:MEMBERSDNS_LLQ_LEASE_MAX:-7200}",
      description =
          "longest LLQ lease granted, seconds (env MEMBERSDNS_LLQ_LEASE_MAX; default: ${DEFAULT-VALUE})")
  long leaseMax;

  @Option(
      names = "--llq-max-per-key",
      defaultValue = "${env:MEMBERSDNS_LLQ_MAX_PER_KEY:-512}",
      description =
          "live LLQs per TSIG key before SERV-FULL (env MEMBERSDNS_LLQ_MAX_PER_KEY; default: ${DEFAULT-VALUE})")
  int maxPerKey;

  @Option(
      names = "--llq-max-per-address",
      defaultValue = "${env:MEMBERSDNS_LLQ_MAX_PER_ADDRESS:-1024}",
      description =
          "live LLQs per client IP address before SERV-FULL (env MEMBERSDNS_LLQ_MAX_PER_ADDRESS; default: ${DEFAULT-VALUE})")
  int maxPerAddress;

  @Option(
      names = "--llq-max",
      defaultValue = "${env:MEMBERSDNS_LLQ_MAX:-250000}",
      description =
          "live LLQs in this process before SERV-FULL (env MEMBERSDNS_LLQ_MAX; default: ${DEFAULT-VALUE})")
  int maxTotal;

  @Option(
      names = "--llq-ack-timeout",
      defaultValue = "${env:MEMBERSDNS_LLQ_ACK_TIMEOUT:-2000}",
      description =
          "milliseconds to wait for a UDP event acknowledgement before the first retransmission;"
              + " doubled for the second, the LLQ is deleted after a third unanswered wait"
              + " (env MEMBERSDNS_LLQ_ACK_TIMEOUT; default: ${DEFAULT-VALUE})")
  long ackTimeoutMillis;

  /** Validates everything and builds the LLQ policy; complaints name the option. */
  public LlqConfig toConfig() {
    List<String> problems = new ArrayList<>();
    if (leaseMin < 1) {
      problems.add("--llq-lease-min: must be at least 1 second");
    }
    if (leaseMax < leaseMin || leaseMax > 0xFFFF_FFFFL) {
      problems.add("--llq-lease-max: must be between --llq-lease-min and 4294967295");
    }
    if (maxPerKey < 1) {
      problems.add("--llq-max-per-key: must be at least 1");
    }
    if (maxPerAddress < 1) {
      problems.add("--llq-max-per-address: must be at least 1");
    }
    if (maxTotal < 1) {
      problems.add("--llq-max: must be at least 1");
    }
    if (ackTimeoutMillis < 1) {
      problems.add("--llq-ack-timeout: must be at least 1 millisecond");
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    LlqConfig d = LlqConfig.defaults();
    return new LlqConfig(
        leaseMin,
        leaseMax,
        maxPerKey,
        maxPerAddress,
        maxTotal,
        Duration.ofMillis(ackTimeoutMillis),
        d.challengeTimeout(),
        d.sweepInterval());
  }
}
