package net.membersdns.agent.portmap;

import java.time.Instant;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs one gateway sent, each checked by the rule of the protocol that carried it ({@link
 * EpochCheck}): PCP and NAT-PMP epochs of one box need not agree (miniupnpd with {@code
 * system_uptime=yes}), so a switch of protocol starts a new baseline. A lost state is logged; the
 * mapper re-checks its mapping on every announcement anyway. Mapper thread only.
 */
final class GatewayEpochs {
  private static final Logger log = LoggerFactory.getLogger(GatewayEpochs.class);
  private EpochCheck check;
  private OptionalLong last = OptionalLong.empty();

  /** Feeds an epoch received at {@code now}; true when the gateway lost its state. */
  boolean observe(MappingProtocol protocol, long epoch, Instant now) {
    last = OptionalLong.of(epoch);
    EpochCheck.Rule rule =
        protocol == MappingProtocol.NAT_PMP ? EpochCheck.Rule.NAT_PMP : EpochCheck.Rule.PCP;
    if (check == null || check.rule() != rule) {
      check = new EpochCheck(rule);
    }
    boolean lost = check.observe(epoch, now) == EpochCheck.Verdict.LOST_STATE;
    if (lost) {
      log.info("portmap: the gateway lost its mappings (epoch {}): mapping again", epoch);
    }
    return lost;
  }

  /** The last epoch received. */
  OptionalLong last() {
    return last;
  }

  /** Another gateway: nothing to compare with. */
  void reset() {
    check = null;
    last = OptionalLong.empty();
  }
}
