package net.membersdns.server.auth;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Verifies the TSIG of a request in the order of RFC 8945 §5.2: key → MAC → time → truncation (RFC
 * 8945 §5.2). Thread-safe and non-blocking if the keyring is.
 *
 * <p>The MAC is checked by dnsjava's {@link org.xbill.DNS.TSIG#verify(Message, byte[], TSIGRecord)}
 * over the request's original wire bytes; it digests key and algorithm names in canonical (lower)
 * case, so dnspython's upper-case {@code HMAC-MD5.SIG-ALG.REG.INT.} verifies.
 *
 * <p>No per-key monotonic check: RFC 8945 §5.2.3 lets a server remember the last Time Signed per
 * key and answer BADTIME for older ones, but here every host of a member signs with the member's
 * one key, each with its own clock, and a UDP refresh may overtake another; such a check would
 * refuse honest updates. Replays within the fudge are refused instead by signature: the update
 * writers record each update's key, Time Signed and MAC in its commit (V7, {@code
 * update_signatures}) and refuse a second use, on every process sharing the database ({@code
 * pipeline.UpdateRequests}).
 */
public final class TsigVerifier {
  private final TsigKeyring keyring;
  private final Clock clock;

  public TsigVerifier(TsigKeyring keyring, Clock clock) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param request the parsed request (dnsjava records where the TSIG started while parsing)
   * @param wire the exact bytes {@code request} was parsed from, without a TCP length prefix
   */
  public TsigOutcome verify(Message request, byte[] wire) {
    Optional<String> placement = misplacedTsig(request);
    if (placement.isPresent()) {
      return new TsigOutcome.Malformed(placement.get());
    }
    TSIGRecord tsig = request.getTSIG();
    if (tsig == null) {
      return new TsigOutcome.Unsigned();
    }
    // 1. Key: unknown name, or an algorithm other than the key's → BADKEY (RFC 8945 §5.2.1).
    Optional<TsigKey> found = keyring.lookup(tsig.getName());
    if (found.isEmpty() || !found.get().algorithm().wireName().equals(tsig.getAlgorithm())) {
      return new TsigOutcome.Failed(Rcode.BADKEY, tsig, Optional.empty());
    }
    TsigKey key = found.get();
    // MAC size outside [max(10, L/2), L] is a format error (RFC 8945 §5.2.2.1).
    int macSize = tsig.getSignature().length;
    TsigAlgorithm algorithm = key.algorithm();
    if (macSize > algorithm.macLength() || macSize < algorithm.shortestMac()) {
      return new TsigOutcome.Malformed("MAC size " + macSize + " for " + algorithm);
    }
    // 2. MAC, then 3. time: dnsjava checks them in this order (RFC 8945 §5.2.2, §5.2.3).
    int result = key.toTsig(clock).verify(request, wire, null);
    switch (result) {
      case Rcode.NOERROR -> {}
      case Rcode.BADSIG, Rcode.BADTIME, Rcode.BADKEY -> {
        Optional<TsigKey> known = result == Rcode.BADKEY ? Optional.empty() : Optional.of(key);
        return new TsigOutcome.Failed(result, tsig, known);
      }
      default -> {
        return new TsigOutcome.Malformed("dnsjava TSIG verification: " + Rcode.TSIGstring(result));
      }
    }
    // 4. Truncation below local policy → BADTRUNC, signed (RFC 8945 §5.2.3).
    if (macSize < key.minimumMac()) {
      return new TsigOutcome.Failed(Rcode.BADTRUNC, tsig, Optional.of(key));
    }
    return new TsigOutcome.Verified(key, tsig);
  }

  /**
   * A TSIG anywhere but as the last RR of the additional section, or more than one, is FORMERR (RFC
   * 8945 §5.1). dnsjava already refuses a non-final TSIG in the additional section while parsing;
   * this also catches one in the answer or authority (prerequisite/update) sections.
   */
  private static Optional<String> misplacedTsig(Message request) {
    int count = 0;
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      List<Record> records = request.getSection(section);
      for (int i = 0; i < records.size(); i++) {
        if (records.get(i).getType() != Type.TSIG) {
          continue;
        }
        count++;
        if (section != Section.ADDITIONAL || i != records.size() - 1) {
          return Optional.of("TSIG is not the last record");
        }
      }
    }
    return count > 1 ? Optional.of(count + " TSIG records") : Optional.empty();
  }
}
