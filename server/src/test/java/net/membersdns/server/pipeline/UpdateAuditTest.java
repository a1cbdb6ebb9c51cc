package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.auth.TsigOutcome;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Every UPDATE the reply boundary answers has its audit line, written before the reply is handed to
 * the socket, naming the key and never its secret; other requests have none.
 */
class UpdateAuditTest {
  private final Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ReplyFinisher finisher =
      new ReplyFinisher(
          new TsigSigner(Clock.systemUTC()), new DnsMetrics(meters), new UpdateMetrics(meters));

  /** How many audit lines had been written when each reply was handed to the socket. */
  private final List<Integer> linesAtSend = new ArrayList<>();

  private final Responder responder =
      new Responder() {
        @Override
        public void respond(byte[] wire) {
          linesAtSend.add(lines.list.size());
        }

        @Override
        public void drop() {}
      };

  @BeforeEach
  void capture() {
    lines.start();
    audit.addAppender(lines);
  }

  @AfterEach
  void release() {
    audit.detachAppender(lines);
  }

  private Exchange exchange(byte[] wire, Message parsed, RequestKind kind) {
    return new Exchange(
        new DnsRequest(wire, new InetSocketAddress("192.0.2.7", 5353), Transport.UDP, 0),
        parsed,
        parsed == null ? Edns.ABSENT : Edns.of(parsed),
        kind,
        responder,
        finisher);
  }

  @Test
  void anAcknowledgedSignedUpdateIsAuditedBeforeItsReplyLeavesWithoutTheSecret() throws Exception {
    Update u = new Update(Vectors.ZONE);
    u.add(Name.fromString("mbp", Vectors.ZONE), Type.AAAA, 120, "fd12::1");
    u.addRecord(
        new OPTRecord(1232, 0, 0, 0, UpdateLeaseOption.of(7200).toOption()), Section.ADDITIONAL);
    u.setTSIG(new TSIG(TSIG.HMAC_SHA256, Vectors.KEY_NAME, Vectors.SHA256_KEY.secret()));
    byte[] wire = u.toWire(65535); // signs: toWire() without a limit leaves the TSIG out
    Message request = new Message(wire);
    TsigOutcome tsig = new TsigOutcome.Verified(Vectors.SHA256_KEY, request.getTSIG());

    exchange(wire, request, RequestKind.UPDATE)
        .reply(
            new Reply.Answer(
                ResponseSkeleton.of(request),
                Rcode.NOERROR,
                List.of(UpdateLeaseOption.of(3600).toOption()),
                tsig));

    assertThat(linesAtSend).as("audit lines written when the reply was sent").containsExactly(1);
    String line = lines.list.get(0).getFormattedMessage();
    assertThat(line)
        .isEqualTo(
            "update key=alice-key.members.example. zone=alice.members.example. records=1"
                + " rcode=NOERROR tsig=ok lease=3600 transport=udp peer=192.0.2.7");
    String secret = Base64.getEncoder().encodeToString(Vectors.SHA256_KEY.secret());
    assertThat(lines.list.get(0).getKeyValuePairs())
        .allSatisfy(p -> assertThat(String.valueOf(p.value)).doesNotContain(secret));
  }

  @Test
  void updatesAnsweredBeforeAnyCommitAreAuditedToo() throws Exception {
    byte[] u1 = HexFormat.of().parseHex(Vectors.U1);
    exchange(u1, new Message(u1), RequestKind.UPDATE).reply(Reply.Failure.of(Rcode.REFUSED));
    byte[] unparsable = HexFormat.of().parseHex("abcd2800000100000000000003");
    exchange(unparsable, null, RequestKind.UPDATE).reply(Reply.Failure.of(Rcode.FORMERR));

    assertThat(linesAtSend).containsExactly(1, 2);
    assertThat(lines.list.get(0).getFormattedMessage())
        .startsWith("update zone=alice.members.example.")
        .contains(" rcode=REFUSED tsig=none ");
    assertThat(lines.list.get(1).getFormattedMessage())
        .isEqualTo("update rcode=FORMERR tsig=none transport=udp peer=192.0.2.7");
  }

  @Test
  void queriesAndSilenceAreNotAudited() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
    exchange(q.toWire(), q, RequestKind.QUERY).reply(Reply.Failure.of(Rcode.REFUSED));
    Update u = new Update(Vectors.ZONE);
    exchange(u.toWire(), u, RequestKind.UPDATE).reply(new Reply.Silence("test"));
    assertThat(lines.list).isEmpty();
  }
}
