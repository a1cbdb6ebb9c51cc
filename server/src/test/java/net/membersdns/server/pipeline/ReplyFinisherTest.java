package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Edns;
import net.membersdns.server.request.Exchange;
import net.membersdns.server.request.Reply;
import net.membersdns.server.request.RequestKind;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.ResponseSkeleton;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** The reply boundary renders, sizes, signs, sends and counts every kind of reply, once. */
class ReplyFinisherTest {
  private static final HexFormat HEX = HexFormat.of();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ReplyFinisher finisher =
      new ReplyFinisher(
          new TsigSigner(Clock.systemUTC()), new DnsMetrics(meters), new UpdateMetrics(meters));
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

  private Exchange exchange(Message request, RequestKind kind, Transport transport) {
    byte[] wire = request.toWire();
    return new Exchange(
        new DnsRequest(wire, new InetSocketAddress("127.0.0.1", 5353), transport, 0),
        request,
        Edns.of(request),
        kind,
        responder,
        finisher);
  }

  @Test
  void aRefusedUnsignedUpdateWithoutEdnsIsVectorU4() throws Exception {
    Update u = new Update(Vectors.ZONE);
    u.getHeader().setID(0x2a2c);
    u.add(Record.fromString(Vectors.ZONE, Type.A, DClass.IN, 60, "192.0.2.1", Vectors.ZONE));
    Message request = new Message(u.toWire());
    exchange(request, RequestKind.UPDATE, Transport.UDP).reply(Reply.Failure.of(Rcode.REFUSED));
    assertThat(HEX.formatHex(sent.get(0))).isEqualTo(Vectors.U4);
    assertThat(meters.get("dns.updates").tag("rcode", "refused").tag("tsig", "none").counter())
        .isNotNull();
  }

  @Test
  void aFailureKeepsTheOptWithItsOptionsOnlyAndEchoesTheZone() throws Exception {
    Message u1 = new Message(HEX.parseHex(Vectors.U1));
    exchange(u1, RequestKind.UPDATE, Transport.TCP).reply(Reply.Failure.of(Rcode.REFUSED));
    Message reply = new Message(sent.get(0));
    assertThat(reply.getOPT()).isNotNull();
    assertThat(reply.getOPT().getPayloadSize()).isEqualTo(Edns.OUR_PAYLOAD_SIZE);
    assertThat(reply.getOPT().getOptions()).isEmpty();
    assertThat(reply.getSection(Section.ZONE)).hasSize(1);
    assertThat(reply.getHeader().getID()).isEqualTo(u1.getHeader().getID());
  }

  @Test
  void anAnswersOptionsGoInOurOpt() throws Exception {
    Message u1 = new Message(HEX.parseHex(Vectors.U1));
    List<org.xbill.DNS.EDNSOption> lease = List.of(UpdateLeaseOption.of(3600).toOption());
    exchange(u1, RequestKind.UPDATE, Transport.UDP)
        .reply(new Reply.Answer(ResponseSkeleton.of(u1), Rcode.NOERROR, lease, Reply.UNSIGNED));
    assertThat(new Message(sent.get(0)).getOPT().getOptions()).hasSize(1);
  }

  @Test
  void anExtendedRcodeNeedsEdns() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
    exchange(q, RequestKind.QUERY, Transport.UDP).reply(Reply.Failure.of(Rcode.BADVERS));
    assertThat(new Message(sent.get(0)).getRcode()).isEqualTo(Rcode.SERVFAIL);
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    exchange(q, RequestKind.QUERY, Transport.UDP).reply(Reply.Failure.of(Rcode.BADVERS));
    Message r = new Message(sent.get(1));
    assertThat(r.getHeader().getRcode()).isZero();
    assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
  }

  @Test
  void aReplyIsSentAndCountedOnceAndSilenceOnlyCountsADrop() {
    Message q = Message.newQuery(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
    Exchange e = exchange(q, RequestKind.QUERY, Transport.TCP);
    assertThat(e.reply(Reply.Failure.of(Rcode.REFUSED))).isNotNull();
    assertThat(e.reply(Reply.Failure.of(Rcode.SERVFAIL))).as("a second reply").isNull();
    assertThat(sent).hasSize(1);
    assertThat(meters.get("dns.requests").tag("kind", "query").timer().count()).isOne();
    exchange(q, RequestKind.QUERY, Transport.UDP).reply(new Reply.Silence("garbage"));
    exchange(q, RequestKind.LLQ, Transport.UDP).reply(Reply.Silence.EXPECTED);
    assertThat(drops).isEqualTo(2);
    assertThat(meters.get("dns.requests.dropped").counter().count()).isOne();
    assertThat(meters.get("dns.requests").timer().count()).isOne();
  }

  @Test
  void anUnparsableRequestGetsTheBareHeader() {
    byte[] wire = HEX.parseHex("abcd0100000100000000000003");
    Exchange e =
        new Exchange(
            new DnsRequest(wire, new InetSocketAddress("127.0.0.1", 53), Transport.UDP, 0),
            null,
            Edns.ABSENT,
            RequestKind.QUERY,
            responder,
            finisher);
    e.reply(Reply.Failure.of(Rcode.FORMERR));
    assertThat(HEX.formatHex(sent.get(0))).isEqualTo("abcd8101" + "00".repeat(8));
  }
}
