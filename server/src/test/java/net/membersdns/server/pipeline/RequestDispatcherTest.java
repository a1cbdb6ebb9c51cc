package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Edns;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class RequestDispatcherTest {
  private static final HexFormat HEX = HexFormat.of();

  private final StringBuilder txt = new StringBuilder();
  private final ServedZones zones;
  private final RequestDispatcher dispatcher;
  private final AnswerCache cache;

  RequestDispatcherTest() {
    for (int i = 0; i < 40; i++) {
      txt.append("big TXT \"").append("x".repeat(60)).append(i).append("\"\n");
    }
    zones =
        Zones.served(
            Zones.member("alice", 7, "mbp AAAA fd12:3456:789a:1::1\n" + txt), Zones.domain(3, ""));
    cache = new AnswerCache(zones, 1 << 20);
    dispatcher =
        new RequestDispatcher(
            new QueryHandler(new Lookup(zones)),
            cache,
            new DnsMetrics(new SimpleMeterRegistry()),
            Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));
  }

  @Test
  void badVersionGetsBadversWithVersionZero() throws Exception {
    // Vector E2 (RFC 6891 §6.1.3): EDNS version 1 query → header RCODE 0, OPT extended RCODE 1 (=
    // 16).
    byte[] e2 =
        HEX.parseHex(
            "51510000000100000000000105616c696365076d656d62657273076578616d706c65000006000100002904d0000100000000");
    Message r = new Message(send(e2, Transport.UDP));
    assertThat(r.getHeader().getID()).isEqualTo(0x5151);
    assertThat(r.getHeader().getRcode()).isZero();
    assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(r.getOPT().getVersion()).isZero();
    assertThat(r.getOPT().getExtendedRcode()).isEqualTo(1);
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void ednsIsEchoedAndDoBitCopied() throws Exception {
    Message q = query("mbp.alice.members.example.", Type.AAAA);
    q.addRecord(new OPTRecord(4096, 0, 0, Flags.DO), Section.ADDITIONAL);
    Message r = new Message(send(q.toWire(), Transport.UDP));
    assertThat(r.getOPT()).isNotNull();
    assertThat(r.getOPT().getPayloadSize()).isEqualTo(Edns.OUR_PAYLOAD_SIZE);
    assertThat(r.getOPT().getFlags() & Flags.DO).isEqualTo(Flags.DO);
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void unknownEdnsOptionsAreIgnored() throws Exception {
    Message q = query("mbp.alice.members.example.", Type.AAAA);
    q.addRecord(
        new OPTRecord(
            1232, 0, 0, 0, List.of(new org.xbill.DNS.GenericEDNSOption(65001, new byte[] {1, 2}))),
        Section.ADDITIONAL);
    Message r = new Message(send(q.toWire(), Transport.UDP));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getOPT().getOptions()).isEmpty();
  }

  @Test
  void largeAnswerIsTruncatedOverUdpButNotOverTcp() throws Exception {
    Message q = query("big.alice.members.example.", Type.TXT);
    byte[] udp = send(q.toWire(), Transport.UDP);
    Message r = new Message(udp);
    assertThat(udp.length).isLessThanOrEqualTo(512);
    assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();

    Message withEdns = query("big.alice.members.example.", Type.TXT);
    withEdns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] udpEdns = send(withEdns.toWire(), Transport.UDP);
    assertThat(udpEdns.length).isLessThanOrEqualTo(1232);
    assertThat(new Message(udpEdns).getHeader().getFlag(Flags.TC)).isTrue();

    Message tcp = new Message(send(q.toWire(), Transport.TCP));
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(40);
  }

  @Test
  void truncatedAnswerIsNotReplayedToTcp() throws Exception {
    Message q = query("big.alice.members.example.", Type.TXT);
    send(q.toWire(), Transport.UDP);
    Message tcp = new Message(send(q.toWire(), Transport.TCP));
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(40);
    // and a later UDP query still gets TC from the full path
    assertThat(new Message(send(q.toWire(), Transport.UDP)).getHeader().getFlag(Flags.TC)).isTrue();
  }

  @Test
  void malformedWithReadableHeaderGetsFormerr() throws Exception {
    // Header says one question, but the name runs off the end of the message.
    byte[] bad = HEX.parseHex("abcd01000001000000000000056d62");
    byte[] out = send(bad, Transport.UDP);
    assertThat(out).hasSize(12);
    assertThat(out[0]).isEqualTo((byte) 0xab);
    assertThat(out[1]).isEqualTo((byte) 0xcd);
    assertThat(out[2] & 0x80).isEqualTo(0x80);
    assertThat(out[3] & 0xF).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void countsBeyondTheDataAreFormerrEvenWithTcSet() throws Exception {
    // A query for alice SOA with TC set and ANCOUNT 3 but no answer records: dnsjava reads it
    // leniently (as a truncated response), the dispatcher does not (found by the TSIG fuzz target).
    Message q = query("alice.members.example.", Type.SOA);
    byte[] wire = q.toWire();
    wire[2] |= 0x02; // TC
    wire[7] = 3; // ANCOUNT
    byte[] out = send(wire, Transport.UDP);
    assertThat(out).as("the header alone").hasSize(12);
    Message r = new Message(out);
    assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
  }

  @Test
  void garbageGetsSilence() {
    assertThat(send(HEX.parseHex("0102"), Transport.UDP)).isNull();
    // opcode 15, 300 questions
    assertThat(send(HEX.parseHex("ffff7800012c0000000000000000"), Transport.UDP)).isNull();
    // a response (QR=1) is never answered
    assertThat(send(HEX.parseHex("12348000000000000000000000"), Transport.UDP)).isNull();
  }

  @Test
  void queryWithTwoQuestionsIsFormerr() throws Exception {
    Message q = query("mbp.alice.members.example.", Type.AAAA);
    q.addRecord(
        Record.newRecord(Names.absolute("x.alice.members.example."), Type.A, DClass.IN),
        Section.QUESTION);
    assertThat(new Message(send(q.toWire(), Transport.UDP)).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void unservedOpcodesGetNotimp() throws Exception {
    Message q = query("alice.members.example.", Type.SOA);
    q.getHeader().setOpcode(Opcode.NOTIFY);
    Message r = new Message(send(q.toWire(), Transport.UDP));
    assertThat(r.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
  }

  @Test
  void replayedAnswerMatchesTheFullPathAndKeepsTheQueryCase() throws Exception {
    Message q1 = query("mbp.alice.members.example.", Type.AAAA);
    q1.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] first = send(q1.toWire(), Transport.UDP);
    assertThat(cache.size()).isEqualTo(1);

    Message q2 = query("MbP.ALICE.members.example.", Type.AAAA);
    q2.getHeader().setID(4242);
    q2.getHeader().unsetFlag(Flags.RD);
    q2.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] second = send(q2.toWire(), Transport.UDP);
    Message r = new Message(second);
    assertThat(r.getHeader().getID()).isEqualTo(4242);
    assertThat(r.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(r.getQuestion().getName().toString()).isEqualTo("MbP.ALICE.members.example.");
    assertThat(second.length).isEqualTo(first.length);
    assertThat(r.getSection(Section.ANSWER))
        .isEqualTo(new Message(first).getSection(Section.ANSWER));
  }

  @Test
  void aCachedAnswerNeverStandsInForFormerr() throws Exception {
    // Found by the request-path fuzz target: the same question as a cached one, its OPT option
    // claiming more octets than the RDATA holds, was answered from the cache instead of FORMERR.
    Message q = query("x.alice.members.example.", Type.AAAA);
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] good = q.toWire();
    assertThat(new Message(send(good, Transport.UDP)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(cache.size()).isEqualTo(1);
    for (String options :
        new String[] {
          "000a0004" + "01020304", // a well-formed list, but a COOKIE of 4 octets
          "00030100", // NSID claiming 256 octets in an RDATA of 4
          "000a00", // three octets: no room for an option's code and length
          "000a0007" + "01020304050607", // a COOKIE of 7 octets (RFC 7873 §4: 8, or 16-40)
        }) {
      byte[] rdata = HEX.parseHex(options);
      byte[] bad = java.util.Arrays.copyOf(good, good.length + rdata.length);
      System.arraycopy(rdata, 0, bad, good.length, rdata.length);
      bad[good.length - 2] = (byte) (rdata.length >> 8); // the OPT's RDLEN
      bad[good.length - 1] = (byte) rdata.length;
      byte[] out = send(bad, Transport.UDP);
      assertThat(out).as(options).isNotNull();
      assertThat(new Message(java.util.Arrays.copyOf(out, 12)).getRcode())
          .as("OPT options %s", options)
          .isEqualTo(Rcode.FORMERR);
    }
  }

  @Test
  void replacedZoneInvalidatesReplayedAnswers() throws Exception {
    byte[] q = query("mbp.alice.members.example.", Type.AAAA).toWire();
    send(q, Transport.UDP);
    zones.put(Zones.member("alice", 8, "mbp AAAA fd00::9"));
    Message r = new Message(send(q, Transport.UDP));
    assertThat(r.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("fd00:0:0:0:0:0:0:9");
  }

  @Test
  void newZoneInvalidatesCachedNxdomainOfTheParent() throws Exception {
    byte[] q = query("bob.members.example.", Type.SOA).toWire();
    assertThat(new Message(send(q, Transport.UDP)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    zones.put(Zones.member("bob", 1, ""));
    assertThat(new Message(send(q, Transport.UDP)).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  private byte[] send(byte[] wire, Transport transport) {
    AtomicReference<byte[]> out = new AtomicReference<>();
    dispatcher.handle(
        new DnsRequest(
            wire, new InetSocketAddress("127.0.0.1", 5353), transport, System.nanoTime()),
        new Responder() {
          @Override
          public void respond(byte[] w) {
            out.set(w);
          }

          @Override
          public void drop() {}
        });
    return out.get();
  }

  private static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(Names.absolute(name), type, DClass.IN));
  }
}
