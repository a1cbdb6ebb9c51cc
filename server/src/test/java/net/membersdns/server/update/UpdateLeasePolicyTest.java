package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.rrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Rcode;

/** RFC 9664 server rules with this server's bounds (RFC 9664 §4). */
class UpdateLeasePolicyTest {
  static final UpdateLeasePolicy DEFAULTS = UpdateLeasePolicy.defaults();
  static final UpdateLeasePolicy STRICT = new UpdateLeasePolicy(1800, 7200, 3600, true);
  static final String ADD = "mbp 120 IN AAAA fd12::1";
  static final String DELETE = "mbp 0 ANY AAAA";

  static Stream<Arguments> cases() {
    return Stream.of(
        g("requested within bounds", DEFAULTS, ul(3600), ADD, 3600, 3600, ul(3600)),
        g("Apple's 7200", DEFAULTS, ul(7200), ADD, 7200, 7200, ul(7200)),
        g("too short is raised to the minimum", DEFAULTS, ul(60), ADD, 1800, 1800, ul(1800)),
        g("zero is raised to the minimum", DEFAULTS, ul(0), ADD, 1800, 1800, ul(1800)),
        g("too long is cut to the maximum", DEFAULTS, ul(1_000_000), ADD, 7200, 7200, ul(7200)),
        g(
            "8-byte form: both clamped, answered in 8 bytes",
            DEFAULTS,
            present(UpdateLeaseOption.of(7200, 1_209_600)),
            ADD,
            7200,
            7200,
            Optional.of(UpdateLeaseOption.of(7200, 7200))),
        g(
            "no lease: the default, nothing to echo",
            DEFAULTS,
            absent(),
            ADD,
            7200,
            7200,
            Optional.empty()),
        g(
            "no lease, strict, but nothing added",
            STRICT,
            absent(),
            DELETE,
            3600,
            3600,
            Optional.empty()),
        g("strict with a lease", STRICT, ul(7200), ADD, 7200, 7200, ul(7200)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void grants(
      String label,
      UpdateLeasePolicy policy,
      OptionResult<UpdateLeaseOption> requested,
      String update,
      long lease,
      long keyLease,
      Optional<UpdateLeaseOption> reply) {
    assertThat(policy.decide(requested, rrs(update)))
        .isEqualTo(new LeaseDecision.Granted(new LeaseGrant(lease, keyLease), reply));
  }

  @Test
  void strictPolicyRefusesAddsWithoutALease() {
    assertThat(STRICT.decide(absent(), rrs(DELETE, ADD)))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.rcode()).isEqualTo(Rcode.REFUSED));
  }

  @Test
  void malformedOptionIsFormerr() {
    assertThat(DEFAULTS.decide(OptionResult.malformed("length 5"), rrs(ADD)))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.rcode()).isEqualTo(Rcode.FORMERR));
  }

  @Test
  void inconsistentBoundsAreRejectedAtConfiguration() {
    assertThatThrownBy(() -> new UpdateLeasePolicy(7200, 1800, 3600, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UpdateLeasePolicy(1800, 7200, 60, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Arguments g(
      String label,
      UpdateLeasePolicy policy,
      Object requested,
      String update,
      long lease,
      long keyLease,
      Optional<UpdateLeaseOption> reply) {
    OptionResult<?> r =
        requested instanceof Optional<?> o
            ? present((UpdateLeaseOption) o.orElseThrow())
            : (OptionResult<?>) requested;
    return Arguments.of(label, policy, r, update, lease, keyLease, reply);
  }

  private static Optional<UpdateLeaseOption> ul(long lease) {
    return Optional.of(UpdateLeaseOption.of(lease));
  }

  private static OptionResult<UpdateLeaseOption> present(UpdateLeaseOption o) {
    return new OptionResult.Present<>(o);
  }

  private static OptionResult<UpdateLeaseOption> absent() {
    return new OptionResult.Absent<>();
  }
}
