package net.membersdns.server.llq;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.llq.LlqChange;
import net.membersdns.server.request.Edns;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Renders LLQ event messages (RFC 8764 §6.2, vector L5): a response (flags 0x8400, QR and AA) with
 * a new DNS ID, the LLQ's question, the changed records in the answer section — adds with their
 * TTL, removes with TTL 0xFFFFFFFF — and an OPT with the EVENT option carrying the remaining lease.
 * Events of a signed LLQ are TSIG-signed with its key (no request MAC, RFC 8945 §5.3), which Apple
 * ignores and careful clients can check.
 *
 * <p>Written by hand, uncompressed, because dnsjava cannot hold a TTL above 2^31-1 (RFC 2181 §8
 * reads such TTLs as 0), and 0xFFFFFFFF is the protocol's "removed" marker: each answer RR comes
 * from {@link LlqChange#encode}, the encoder the host agent's decoder mirrors. Pure; any thread.
 */
final class LlqEvents {
  private static final int HEADER = 12;

  private LlqEvents() {}

  /** An event message and how many of the offered changes it carries. */
  record Rendered(byte[] wire, int count) {}

  /**
   * Renders as many of {@code changes} (at least one) as fit in {@code maxLength} bytes.
   *
   * @param remainingLease LLQ-LEASE of the EVENT option, seconds
   */
  static Rendered render(
      LlqSession s,
      List<PendingChanges.Change> changes,
      int dnsId,
      long remainingLease,
      int maxLength,
      Clock clock) {
    byte[] question = s.question().toWire(Section.QUESTION);
    LlqOption event =
        new LlqOption(
            LlqOption.VERSION,
            LlqOption.EVENT,
            LlqOption.NO_ERROR,
            s.id(),
            Math.min(remainingLease, 0xFFFF_FFFFL));
    byte[] opt =
        new OPTRecord(Edns.OUR_PAYLOAD_SIZE, 0, 0, 0, List.of(event.toOption()))
            .toWire(Section.ADDITIONAL);
    TSIG signer = s.key() == null ? null : s.key().toTsig(clock);
    int budget =
        maxLength
            - HEADER
            - question.length
            - opt.length
            - (signer == null ? 0 : signer.recordLength());
    ByteArrayOutputStream answers = new ByteArrayOutputStream(256);
    int count = 0;
    for (PendingChanges.Change c : changes) {
      byte[] rr = LlqChange.encode(new LlqChange(c.record(), !c.added()));
      if (count > 0 && answers.size() + rr.length > budget) {
        break;
      }
      answers.writeBytes(rr);
      count++;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER + question.length + 256);
    out.write(dnsId >>> 8);
    out.write(dnsId);
    out.write(0x84); // QR, opcode QUERY, AA
    out.write(0x00); // RCODE NOERROR
    writeU16(out, 1);
    writeU16(out, count);
    writeU16(out, 0);
    writeU16(out, 1);
    out.writeBytes(question);
    out.writeBytes(answers.toByteArray());
    out.writeBytes(opt);
    byte[] wire = out.toByteArray();
    if (signer != null) {
      wire = sign(signer, dnsId, wire);
    }
    return new Rendered(wire, count);
  }

  /** Appends a TSIG over {@code wire} (no request MAC: an unsolicited message) and counts it. */
  private static byte[] sign(TSIG signer, int dnsId, byte[] wire) {
    TSIGRecord tsig = signer.generate(new Message(dnsId), wire, Rcode.NOERROR, null);
    byte[] rr = tsig.toWire(Section.ADDITIONAL);
    byte[] out = new byte[wire.length + rr.length];
    System.arraycopy(wire, 0, out, 0, wire.length);
    System.arraycopy(rr, 0, out, wire.length, rr.length);
    int arcount = ((out[10] & 0xFF) << 8 | (out[11] & 0xFF)) + 1;
    out[10] = (byte) (arcount >>> 8);
    out[11] = (byte) arcount;
    return out;
  }

  private static void writeU16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}
