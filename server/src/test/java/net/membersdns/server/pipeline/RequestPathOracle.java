package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.InMemoryPipeline;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * What must hold for any request, however malformed, at the reply boundary (docs/fuzzing.md,
 * Invariants): used by the request-path fuzz target and the corpus test.
 *
 * <ol>
 *   <li>a reply parses, has QR set, and carries the request's ID and opcode (RFC 1035 §4.1.1);
 *   <li>its RCODE is one that input can earn: never SERVFAIL, which is for our own failures;
 *   <li>runts, responses and unreadable garbage get silence; a request dnsjava parses gets a reply
 *       (but for a query that only acknowledges LLQ events); an unparsable one with a readable
 *       header (opcode QUERY, NOTIFY or UPDATE, at most one question) gets FORMERR
 *       (architecture.md, A query, step 3);
 *   <li>over UDP the reply fits 512 bytes or the client's EDNS payload size (RFC 6891 §6.2.5);
 *   <li>a reply with a TSIG of error NOERROR verifies with that key against the request's TSIG, and
 *       a QUERY or UPDATE we signed correctly gets a signed reply (RFC 8945 §5.3) unless it was
 *       FORMERR or BADVERS, or another opcode (NOTIMP): those are answered before the TSIG is
 *       looked at, as BIND does, so the request was never verified;
 *   <li>LLQ events parse and are responses (RFC 8764 §6.2).
 * </ol>
 */
public final class RequestPathOracle {
  /** RCODEs bad or unwelcome input may earn (RFC 1035, 2136, 6891, 8945). */
  static final Set<Integer> INPUT_RCODES =
      Set.of(
          Rcode.NOERROR,
          Rcode.FORMERR,
          Rcode.NXDOMAIN,
          Rcode.NOTIMP,
          Rcode.REFUSED,
          Rcode.YXDOMAIN,
          Rcode.YXRRSET,
          Rcode.NXRRSET,
          Rcode.NOTAUTH,
          Rcode.NOTZONE,
          Rcode.BADVERS);

  private RequestPathOracle() {}

  /**
   * Checks one exchange.
   *
   * @param signedWith the key the harness signed {@code request} with just now, or {@code null}
   */
  public static void check(
      byte[] request, Transport transport, InMemoryPipeline.Outcome outcome, TsigKey signedWith) {
    Message parsed = parse(request);
    if (parsed != null && !whole(parsed, request)) {
      parsed = null; // counts beyond the data, read with TC set: the server does not take it
    }
    boolean header = request.length >= 12;
    boolean response = header && (request[2] & 0x80) != 0;
    byte[] reply = outcome.reply();
    if (!header || response) {
      assertThat(reply).as("runts and responses are never answered").isNull();
      return;
    }
    if (parsed != null) {
      if (!onlyAcknowledges(parsed)) {
        assertThat(reply).as("a request dnsjava parses is answered").isNotNull();
      }
    } else if (readableHeader(request)) {
      assertThat(reply).as("an unparsable request with a readable header").isNotNull();
      assertThat(reply[3] & 0xF).as("its RCODE").isEqualTo(Rcode.FORMERR);
    }
    if (reply != null) {
      checkReply(request, parsed, transport, reply, signedWith);
    }
    for (byte[] event : outcome.events()) {
      assertThat(parse(event)).as("an LLQ event parses").isNotNull();
      assertThat(event[2] & 0x80).as("an LLQ event is a response").isEqualTo(0x80);
    }
  }

  private static void checkReply(
      byte[] request, Message parsed, Transport transport, byte[] reply, TsigKey signedWith) {
    Message r = parse(reply);
    assertThat(r).as("the reply parses").isNotNull();
    assertThat(r.getHeader().getFlag(Flags.QR)).as("QR").isTrue();
    assertThat(r.getHeader().getID())
        .as("ID")
        .isEqualTo((request[0] & 0xFF) << 8 | request[1] & 0xFF);
    assertThat(r.getHeader().getOpcode()).as("opcode").isEqualTo((request[2] >> 3) & 0xF);
    assertThat(INPUT_RCODES).as("RCODE " + Rcode.string(r.getRcode())).contains(r.getRcode());
    if (transport == Transport.UDP) {
      OPTRecord opt = parsed == null ? null : parsed.getOPT();
      int limit = Math.max(512, opt == null ? 512 : opt.getPayloadSize());
      assertThat(reply.length).as("UDP reply size").isLessThanOrEqualTo(limit);
    }
    TSIGRecord tsig = r.getTSIG();
    if (signedWith != null
        && parsed != null
        && parsed.getTSIG() != null // dnsjava stops early in a message with TC set
        && (r.getHeader().getOpcode() == Opcode.QUERY || r.getHeader().getOpcode() == Opcode.UPDATE)
        && r.getRcode() != Rcode.FORMERR
        && r.getRcode() != Rcode.BADVERS) {
      assertThat(tsig).as("a correctly signed request gets a signed reply").isNotNull();
    }
    if (tsig != null && tsig.getError() == Rcode.NOERROR) {
      assertThat(parsed).as("only a parsed request can have been verified").isNotNull();
      TsigKey key = keyNamed(tsig);
      assertThat(key).as("reply signed with a key we hold").isNotNull();
      int verified = key.toTsig(InMemoryPipeline.CLOCK).verify(r, reply, parsed.getTSIG());
      assertThat(verified).as("the reply's MAC verifies").isEqualTo(Rcode.NOERROR);
    }
  }

  private static TsigKey keyNamed(TSIGRecord tsig) {
    for (TsigKey k : new TsigKey[] {InMemoryPipeline.MEMBER_KEY, InMemoryPipeline.HOST_KEY}) {
      if (k.name().equals(tsig.getName())) {
        return k;
      }
    }
    return null;
  }

  /**
   * A query whose LLQ options are all EVENT opcodes acknowledges events, as the Apple client sends
   * them: it gets no answer (RFC 8764 §6.3; {@code LlqHandler.handle}).
   */
  static boolean onlyAcknowledges(Message m) {
    List<OptionResult<LlqOption>> llq = EdnsOptions.llq(m);
    return !llq.isEmpty()
        && llq.stream()
            .allMatch(o ->
                o instanceof OptionResult.Present<LlqOption> p
                    && p.option().opcode() == LlqOption.EVENT);
  }

  /** Opcode QUERY, NOTIFY or UPDATE, and at most one question: worth a FORMERR. */
  static boolean readableHeader(byte[] wire) {
    int opcode = (wire[2] >> 3) & 0xF;
    int qdcount = (wire[4] & 0xFF) << 8 | wire[5] & 0xFF;
    return qdcount <= 1
        && (opcode == Opcode.QUERY || opcode == Opcode.NOTIFY || opcode == Opcode.UPDATE);
  }

  /** Every record the header of {@code wire} counts was read (not so when TC is set). */
  static boolean whole(Message m, byte[] wire) {
    for (int section = 0; section <= 3; section++) {
      int counted = (wire[4 + 2 * section] & 0xFF) << 8 | wire[5 + 2 * section] & 0xFF;
      if (m.getSection(section).size() != counted) {
        return false;
      }
    }
    return true;
  }

  public static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
