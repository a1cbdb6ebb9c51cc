package net.membersdns.server.update;

import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Type;

/**
 * The lease granted to the records an update adds (RFC 9664 §4): {@code lease} seconds for every
 * RR, except KEY RRs which get {@code keyLease}.
 */
public record LeaseGrant(long lease, long keyLease) {
  public LeaseGrant {
    if (lease < 0 || keyLease < 0) {
      throw new IllegalArgumentException("negative lease");
    }
  }

  /** The lease of an RR of {@code type}, in seconds. */
  public long leaseFor(int type) {
    return type == Type.KEY ? keyLease : lease;
  }

  /** Expiry in epoch ms of an RR of {@code type} added at {@code nowMillis}. */
  public long expiryFor(int type, long nowMillis) {
    long expiry = nowMillis + leaseFor(type) * 1000;
    return Math.min(expiry, ZoneRecord.PERMANENT - 1);
  }
}
