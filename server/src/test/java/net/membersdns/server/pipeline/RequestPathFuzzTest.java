package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.InMemoryPipeline;
import net.membersdns.server.testing.QuietLogs;
import net.membersdns.server.testing.RequestSigner;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fuzzes the whole request path in process: bytes → {@link RequestDispatcher} → queries, signed
 * UPDATEs, LLQ setup and events → {@link ReplyFinisher} → reply bytes, on a fresh {@link
 * InMemoryPipeline} per input. The invariants are {@link RequestPathOracle}'s, plus: nothing
 * escapes, no bug was answered SERVFAIL ({@code dns.internal.errors} stays 0), and the server still
 * answers alice's SOA afterwards.
 *
 * <p>An input is up to three requests, so that a UDP LLQ challenge can be answered and an update
 * can be followed by an event: each is {@code control(1) length(2) message(length, or the rest)}.
 * Control bit 0 chooses TCP over UDP; bits 1-2 sign the message as it is with alice's member key
 * (1), mbp's host key (2), or the member key 1000 s in the past (3, BADTIME) — a fuzzer cannot
 * forge a MAC, so without this no signed UPDATE or LLQ would get past TSIG (RFC 8945 §5.2).
 * Regression inputs: {@code RequestPathFuzzTestInputs/}; see docs/fuzzing.md.
 */
class RequestPathFuzzTest {
  static final int MAX_STEPS = 3;

  static {
    QuietLogs.errorsOnlyWhileFuzzing();
  }

  @FuzzTest(maxDuration = "45s")
  void anyRequests(byte[] input) {
    InMemoryPipeline server = new InMemoryPipeline();
    ByteBuffer in = ByteBuffer.wrap(input);
    for (int step = 0; step < MAX_STEPS && in.remaining() >= 3; step++) {
      int control = in.get() & 0xFF;
      int length = Math.min(in.getShort() & 0xFFFF, in.remaining());
      byte[] body = new byte[length];
      in.get(body);
      Transport transport = (control & 1) != 0 ? Transport.TCP : Transport.UDP;
      TsigKey key = signingKey(control);
      byte[] wire =
          key == null || body.length < 12 ? body : sign(body, key, (control >> 1 & 3) == 3);
      InMemoryPipeline.Outcome outcome = server.send(wire, transport);
      boolean fresh = key != null && body.length >= 12 && (control >> 1 & 3) != 3;
      RequestPathOracle.check(wire, transport, outcome, fresh ? key : null);
    }
    assertThat(server.internalErrors()).as("bugs answered SERVFAIL").isZero();
    stillServes(server);
  }

  static TsigKey signingKey(int control) {
    return switch (control >> 1 & 3) {
      case 1, 3 -> InMemoryPipeline.MEMBER_KEY;
      case 2 -> InMemoryPipeline.HOST_KEY;
      default -> null;
    };
  }

  /** {@code body} with a TSIG RR appended, MAC over the bytes as they are (RFC 8945 §4.3). */
  static byte[] sign(byte[] body, TsigKey key, boolean stale) {
    long time = InMemoryPipeline.NOW - (stale ? 1000 : 0);
    return RequestSigner.sign(
        body,
        key.name(),
        key.algorithm().wireName(),
        key.algorithm().jcaName(),
        key.secret(),
        time,
        key.algorithm().macLength());
  }

  /** After whatever came before, alice's apex SOA is still answered, once. */
  static void stillServes(InMemoryPipeline server) {
    Message q = Message.newQuery(Record.newRecord(InMemoryPipeline.ALICE, Type.SOA, DClass.IN));
    q.getHeader().setID(0x5eed);
    byte[] reply = server.send(q.toWire(), Transport.TCP).reply();
    Message r = RequestPathOracle.parse(reply);
    assertThat(r).isNotNull();
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
  }
}
