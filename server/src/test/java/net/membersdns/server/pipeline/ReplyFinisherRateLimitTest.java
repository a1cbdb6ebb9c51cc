package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.auth.TsigKeyring;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.RrlMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Edns;
import net.membersdns.server.request.Exchange;
import net.membersdns.server.request.Reply;
import net.membersdns.server.request.RequestKind;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.ResponseSkeleton;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.RequestSigner;
import net.membersdns.server.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Response rate limiting at the reply boundary: unsigned UDP responses are limited (dropped or
 * slipped, and counted), on the full path and on the answer cache's replays; TCP and TLS, signed
 * responses, UPDATE replies and LLQ traffic never are. A rate of 1 makes the second response over.
 */
class ReplyFinisherRateLimitTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final long[] now = {0};
  private final List<byte[]> sent = new ArrayList<>();
  private int drops;
  private final Responder responder =
      new Responder() {
        @Override
        public void respond(byte[] wire) {
          sent.add(wire);
        }

        @Override
        public void drop() {
          drops++;
        }
      };

  private ReplyFinisher finisher(int slip) {
    DnsMetrics metrics = new DnsMetrics(meters);
    return new ReplyFinisher(
        new TsigSigner(Clock.systemUTC()),
        metrics,
        new UpdateMetrics(meters),
        new ResponseRateLimiter(1, slip, () -> now[0]),
        new RrlMetrics(meters));
  }

  private void answer(ReplyFinisher f, Transport t, RequestKind kind, TsigOutcome tsig)
      throws Exception {
    Message q = Message.newQuery(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
    Exchange e =
        new Exchange(
            new DnsRequest(q.toWire(), new InetSocketAddress("192.0.2.1", 5353), t, 0),
            q,
            Edns.of(q),
            kind,
            responder,
            f);
    e.reply(new Reply.Answer(ResponseSkeleton.of(q), Rcode.NOERROR, List.of(), tsig));
  }

  @Test
  void unsignedUdpAnswersOverTheRateAreSlippedOrDroppedAndCounted() throws Exception {
    ReplyFinisher slipping = finisher(1);
    answer(slipping, Transport.UDP, RequestKind.QUERY, Reply.UNSIGNED);
    answer(slipping, Transport.UDP, RequestKind.QUERY, Reply.UNSIGNED);
    assertThat(sent).hasSize(2);
    assertThat(new Message(sent.get(0)).getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(new Message(sent.get(1)).getHeader().getFlag(Flags.TC)).as("slipped").isTrue();
    assertThat(meters.get("dns.rrl.slipped").counter().count()).isEqualTo(1);

    sent.clear();
    ReplyFinisher dropping = finisher(0);
    answer(dropping, Transport.UDP, RequestKind.QUERY, Reply.UNSIGNED);
    answer(dropping, Transport.UDP, RequestKind.OTHER, Reply.UNSIGNED);
    answer(dropping, Transport.UDP, RequestKind.QUERY, Reply.UNSIGNED);
    assertThat(sent).as("the first only").hasSize(1);
    assertThat(drops).as("OTHER: the same response, the same bucket").isEqualTo(2);
    assertThat(meters.get("dns.requests.dropped").tag("reason", "rrl").counter().count())
        .isEqualTo(2);
    assertThat(meters.get("dns.rrl.limited").counter().count()).as("1 slipped + 2").isEqualTo(3);
  }

  @Test
  void replayedAnswersAreLimitedToo() throws Exception {
    ReplyFinisher f = finisher(0);
    Message q = Message.newQuery(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
    byte[] rendered = q.toWire();
    rendered[2] |= (byte) 0x80; // QR
    DnsRequest request =
        new DnsRequest(q.toWire(), new InetSocketAddress("192.0.2.1", 5353), Transport.UDP, 0);
    f.replayed(request, responder, rendered);
    f.replayed(request, responder, rendered);
    assertThat(sent).hasSize(1);
    assertThat(drops).isEqualTo(1);
  }

  @Test
  void streamsSignedResponsesUpdatesAndLlqAreNeverLimited() throws Exception {
    ReplyFinisher f = finisher(0);
    for (int i = 0; i < 5; i++) {
      answer(f, Transport.TCP, RequestKind.QUERY, Reply.UNSIGNED);
      answer(f, Transport.TLS, RequestKind.QUERY, Reply.UNSIGNED);
      answer(f, Transport.UDP, RequestKind.QUERY, verified());
      answer(f, Transport.UDP, RequestKind.LLQ, Reply.UNSIGNED);
      answer(f, Transport.UDP, RequestKind.UPDATE, Reply.UNSIGNED);
    }
    assertThat(sent).hasSize(25);
    assertThat(drops).isZero();
    assertThat(meters.get("dns.rrl.limited").counter().count()).isZero();
  }

  /** The outcome of a query signed with the vectors' key, as the verifier reports it. */
  private static TsigOutcome verified() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
    byte[] wire =
        RequestSigner.sign(
            q,
            Vectors.KEY_NAME,
            Name.fromConstantString("hmac-sha256."),
            "HmacSHA256",
            Vectors.SHA256_KEY.secret(),
            System.currentTimeMillis() / 1000,
            32);
    TsigOutcome outcome =
        new TsigVerifier(TsigKeyring.of(Vectors.SHA256_KEY), Clock.systemUTC())
            .verify(new Message(wire), wire);
    assertThat(outcome).isInstanceOf(TsigOutcome.Verified.class);
    return outcome;
  }
}
