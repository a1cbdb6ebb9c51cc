package net.membersdns.server.llq;

import java.util.Objects;
import java.util.Optional;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.Message;

/**
 * Who may hold an LLQ on what (RFC 6281 §7.2; docs/architecture.md, Keys and access). LLQs on
 * member zones need a TSIG (RFC 8945) from a key that may read the zone ({@link
 * UpdatePolicy#mayRead}; RFC 6281 §7.2: private LLQs are authenticated); the members domain zone
 * itself is public, so unsigned LLQs on it are allowed. A failed TSIG is answered with the TSIG
 * error rules (NOTAUTH + BADKEY/BADSIG/BADTIME, RFC 8945 §5.2); a missing TSIG or a key without a
 * read grant is REFUSED (RFC 1035 §4.1.1: refused "for policy reasons"), as an unsigned UPDATE is.
 * No LLQ state is created either way.
 *
 * <p>Thread-safe and in-memory if the keyring and the grants are.
 */
public final class LlqAccess {
  private final TsigVerifier verifier;
  private final UpdatePolicy policy;

  public LlqAccess(TsigVerifier verifier, UpdatePolicy policy) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** RFC 8945 §5.2 verification of {@code message} over its original bytes. */
  TsigOutcome verify(Message message, byte[] wire) {
    return verifier.verify(message, wire);
  }

  /** Whether the request (verified as {@code tsig}) may hold an LLQ on a name in {@code zone}. */
  boolean mayRead(TsigOutcome tsig, ZoneData zone) {
    if (zone.member() == null) {
      return true; // the members domain zone is public data
    }
    TsigKey key = keyOf(tsig);
    return key != null && policy.mayRead(Optional.of(key.name()), zone.apex());
  }

  /** The verified key, or {@code null}. */
  static TsigKey keyOf(TsigOutcome tsig) {
    return tsig instanceof TsigOutcome.Verified v ? v.key() : null;
  }
}
