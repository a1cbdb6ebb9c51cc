package net.membersdns.protocol.llq;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.WireParseException;

/**
 * One change carried by an LLQ event (RFC 8764 §6.2): an answer RR that was added (its TTL is the
 * record's) or removed (TTL 0xFFFFFFFF).
 *
 * <p>dnsjava cannot tell the two apart: it reads a TTL above 2^31-1 as 0 (RFC 2181 §8), so
 * "removed" and "added with TTL 0" look alike in a parsed {@link Message}. {@link #decode} reads
 * the TTLs from the wire itself, and {@link #encode} writes the marker the same way, so both
 * programs agree byte for byte.
 *
 * @param record the RR (its TTL is meaningless when {@code removed})
 * @param removed whether the event removes it
 */
public record LlqChange(Record record, boolean removed) {
  /** The TTL that says "removed" (RFC 8764 §6.2). */
  public static final long REMOVE_TTL = 0xFFFF_FFFFL;

  public LlqChange {
    Objects.requireNonNull(record, "record");
  }

  /**
   * The answer RR of {@code change} in uncompressed wire form, the TTL set to {@link #REMOVE_TTL}
   * for a removal.
   */
  public static byte[] encode(LlqChange change) {
    byte[] rr = change.record.toWire(Section.ANSWER);
    if (change.removed) {
      int ttlAt = change.record.getName().length() + 4; // owner, TYPE, CLASS, then TTL
      rr[ttlAt] = rr[ttlAt + 1] = rr[ttlAt + 2] = rr[ttlAt + 3] = (byte) 0xFF;
    }
    return rr;
  }

  /**
   * The changes of an event message, in answer-section order.
   *
   * @param wire the message as received (dnsjava's parse of it loses the removal marker)
   * @throws WireParseException if {@code wire} is not a well-formed DNS message
   */
  public static List<LlqChange> decode(byte[] wire) throws WireParseException {
    Message message;
    try {
      message = new Message(wire);
    } catch (WireParseException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new WireParseException(e.getMessage());
    }
    List<Record> answers = message.getSection(Section.ANSWER);
    List<Long> ttls = answerTtls(wire);
    if (ttls.size() != answers.size()) {
      throw new WireParseException("answer count mismatch");
    }
    List<LlqChange> out = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      out.add(new LlqChange(answers.get(i), ttls.get(i) == REMOVE_TTL));
    }
    return out;
  }

  /** The raw TTL of every answer RR: header, questions skipped, then each RR's fixed fields. */
  private static List<Long> answerTtls(byte[] wire) throws WireParseException {
    try {
      ByteBuffer in = ByteBuffer.wrap(wire);
      in.position(4);
      int qd = Short.toUnsignedInt(in.getShort());
      int an = Short.toUnsignedInt(in.getShort());
      in.position(12);
      for (int i = 0; i < qd; i++) {
        skipName(in);
        in.position(in.position() + 4);
      }
      List<Long> ttls = new ArrayList<>(an);
      for (int i = 0; i < an; i++) {
        skipName(in);
        in.position(in.position() + 4); // TYPE, CLASS
        ttls.add(Integer.toUnsignedLong(in.getInt()));
        int rdlength = Short.toUnsignedInt(in.getShort());
        in.position(in.position() + rdlength);
      }
      return ttls;
    } catch (RuntimeException e) { // BufferUnderflow, IllegalArgument: past the end
      throw new WireParseException("truncated message");
    }
  }

  /**
   * Skips an owner name: labels up to the root label or a compression pointer (RFC 1035 §4.1.4).
   */
  private static void skipName(ByteBuffer in) {
    while (true) {
      int len = Byte.toUnsignedInt(in.get());
      if (len == 0) {
        return;
      }
      if ((len & 0xC0) == 0xC0) {
        in.get();
        return;
      }
      in.position(in.position() + len);
    }
  }
}
