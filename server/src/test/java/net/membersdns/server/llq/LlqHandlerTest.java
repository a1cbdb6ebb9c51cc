package net.membersdns.server.llq;

import static net.membersdns.server.llq.LlqHarness.ALICE;
import static net.membersdns.server.llq.LlqHarness.BOB;
import static net.membersdns.server.llq.LlqHarness.first;
import static net.membersdns.server.llq.LlqHarness.query;
import static net.membersdns.server.llq.LlqHarness.refresh;
import static net.membersdns.server.llq.LlqHarness.setup;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Zones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The LLQ state machine (RFC 8764 §5) with a fixed clock. */
class LlqHandlerTest {
  private static final String PTR_NAME = "_rfb._tcp.alice.members.example.";

  private final LlqHarness h =
      new LlqHarness(
          Zones.served(
              LlqHarness.alice(
                  "_rfb._tcp PTR mbp._rfb._tcp\n_rfb._tcp PTR imac._rfb._tcp\n"
                      + "mbp AAAA fd12:3456:789a:1::1\n"),
              Zones.domain(1, "")));
  private final LlqHarness.UdpPeer udp = h.new UdpPeer("192.0.2.10", 5353);

  private Message send(LlqHarness.UdpPeer peer, int id, LlqOption o) {
    return peer.send(h.wire(query(id, PTR_NAME, Type.PTR, o), ALICE));
  }

  /** Runs the UDP four-way handshake; returns the LLQ-ID. */
  private long establish(LlqHarness.UdpPeer peer) {
    LlqOption challenge = first(send(peer, 1, setup(0, 7200))).orElseThrow();
    Message ack = send(peer, 1, setup(challenge.id(), challenge.lease()));
    assertThat(first(ack).orElseThrow().error()).isZero();
    return challenge.id();
  }

  @Test
  void udpSetupIsChallengedThenAcknowledgedWithEveryAnswer() {
    Message challenge = send(udp, 0x4c51, setup(0, 7200));
    assertThat(challenge.getHeader().getID()).isEqualTo(0x4c51);
    assertThat(challenge.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(challenge.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(challenge.getSection(Section.ANSWER)).isEmpty();
    LlqOption c = first(challenge).orElseThrow();
    assertThat(c.opcode()).isEqualTo(LlqOption.SETUP);
    assertThat(c.error()).isZero();
    assertThat(c.id()).isNotZero();
    assertThat(c.lease()).isEqualTo(7200);
    assertThat(h.registry.find(c.id()).state()).isEqualTo(LlqState.CHALLENGE_SENT);
    assertThat(challenge.getTSIG()).isNotNull(); // signed request, signed reply

    Message ack = send(udp, 0x4c51, setup(c.id(), c.lease()));
    assertThat(first(ack).orElseThrow()).isEqualTo(setup(c.id(), 7200));
    assertThat(ack.getSection(Section.ANSWER)).hasSize(2);
    assertThat(h.registry.find(c.id()).state()).isEqualTo(LlqState.ESTABLISHED);
    assertThat(h.registry.established()).isEqualTo(1);
  }

  @Test
  void repeatedRequestWhileChallengedGetsTheSameChallenge() {
    LlqOption first = first(send(udp, 1, setup(0, 3000))).orElseThrow();
    LlqOption again = first(send(udp, 1, setup(0, 3000))).orElseThrow();
    assertThat(again).isEqualTo(first);
    assertThat(h.registry.size()).isEqualTo(1);
  }

  @Test
  void twoHostsBehindOneAddressGetAnLlqEach() {
    // Same IP, another port: another host behind the same NAT asking the same question.
    LlqOption a = first(send(udp, 1, setup(0, 3000))).orElseThrow();
    LlqOption b = first(send(h.new UdpPeer("192.0.2.10", 40000), 1, setup(0, 3000))).orElseThrow();
    assertThat(b.id()).isNotEqualTo(a.id());
    assertThat(h.registry.size()).isEqualTo(2);
  }

  @Test
  void repeatedChallengeResponseGetsTheAckAgain() {
    long id = establish(udp);
    h.clock.advance(Duration.ofSeconds(100));
    Message again = send(udp, 1, setup(id, 7200));
    assertThat(first(again).orElseThrow()).isEqualTo(setup(id, 7100)); // remaining lease
    assertThat(again.getSection(Section.ANSWER)).hasSize(2);
    assertThat(h.registry.size()).isEqualTo(1);
  }

  @Test
  void challengeResponseFromAnotherPortOfTheSameAddressIsAccepted() {
    LlqOption c = first(send(udp, 1, setup(0, 7200))).orElseThrow();
    LlqHarness.UdpPeer other = h.new UdpPeer("192.0.2.10", 41000);
    assertThat(first(send(other, 1, setup(c.id(), c.lease()))).orElseThrow().error()).isZero();
  }

  @Test
  void messagesFromAnotherAddressOrForAnotherQuestionGetNoSuchLlq() {
    long id = establish(udp);
    LlqHarness.UdpPeer stranger = h.new UdpPeer("198.51.100.7", 5353);
    assertThat(first(send(stranger, 1, refresh(id, 7200))).orElseThrow())
        .isEqualTo(new LlqOption(1, LlqOption.REFRESH, LlqOption.NO_SUCH_LLQ, id, 0));
    Message otherQuestion =
        udp.send(
            h.wire(query(2, "mbp.alice.members.example.", Type.AAAA, refresh(id, 7200)), ALICE));
    assertThat(first(otherQuestion).orElseThrow().error()).isEqualTo(LlqOption.NO_SUCH_LLQ);
  }

  @Test
  void idZeroRequestForAnEstablishedLlqReplacesIt() {
    long old = establish(udp);
    LlqOption c = first(send(udp, 3, setup(0, 7200))).orElseThrow();
    assertThat(c.id()).isNotEqualTo(old);
    assertThat(h.registry.find(old)).isNull();
    assertThat(h.registry.size()).isEqualTo(1);
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "replaced").count()).isEqualTo(1);
  }

  @Test
  void leasesAreClampedToTheConfiguredBounds() {
    assertThat(first(send(udp, 1, setup(0, 60))).orElseThrow().lease()).isEqualTo(900);
    LlqHarness.UdpPeer other = h.new UdpPeer("192.0.2.11", 5353);
    assertThat(first(send(other, 1, setup(0, 999_999))).orElseThrow().lease()).isEqualTo(7200);
  }

  @Test
  void refreshRenewsTheLeaseAndAnswersWithoutRecords() {
    long id = establish(udp);
    h.clock.advance(Duration.ofSeconds(3600));
    Message ack = send(udp, 9, refresh(id, 5000));
    assertThat(first(ack).orElseThrow()).isEqualTo(refresh(id, 5000));
    assertThat(ack.getSection(Section.ANSWER)).isEmpty();
    assertThat(h.registry.find(id).expiresAtMillis()).isEqualTo(h.clock.millis() + 5_000_000);
  }

  @Test
  void cancelDeletesTheLlqAndAnswersLeaseZero() {
    long id = establish(udp);
    assertThat(first(send(udp, 9, refresh(id, 0))).orElseThrow()).isEqualTo(refresh(id, 0));
    assertThat(h.registry.find(id)).isNull();
    assertThat(h.registry.size()).isZero();
    assertThat(first(send(udp, 9, refresh(id, 7200))).orElseThrow().error())
        .isEqualTo(LlqOption.NO_SUCH_LLQ);
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "cancel").count()).isEqualTo(1);
  }

  @Test
  void expiredLlqsAreSwept() {
    long id = establish(udp);
    h.notifier.startSweeping();
    h.scheduler.advance(Duration.ofSeconds(7199));
    assertThat(h.registry.find(id)).isNotNull();
    h.scheduler.advance(Duration.ofSeconds(20));
    assertThat(h.registry.find(id)).isNull();
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "expired").count()).isEqualTo(1);
    assertThat(first(send(udp, 9, refresh(id, 7200))).orElseThrow().error())
        .isEqualTo(LlqOption.NO_SUCH_LLQ);
  }

  @Test
  void expiredLlqsAreSweptInSlicesThatEachLookAtAFewOnly() {
    long a = establish(udp);
    long b = establish(h.new UdpPeer("192.0.2.11", 5353));
    long c = establish(h.new UdpPeer("192.0.2.12", 5353));
    long later = h.clock.millis() + 7201_000L;
    var cursor = h.registry.all();
    assertThat(h.registry.sweep(cursor, later, 2)).isEqualTo(2);
    assertThat(h.registry.size()).isEqualTo(1);
    assertThat(h.registry.sweep(cursor, later, 2)).isEqualTo(1);
    assertThat(cursor.hasNext()).isFalse();
    for (long id : new long[] {a, b, c}) {
      assertThat(h.registry.find(id)).isNull();
    }
  }

  @Test
  void aSweepGoesOnPastOneSlice() {
    Record q = Record.newRecord(Name.fromConstantString(PTR_NAME), Type.PTR, DClass.IN);
    int n = LlqNotifier.SWEEP_SLICE * 2 + 1;
    for (int i = 0; i < n; i++) {
      InetSocketAddress from = new InetSocketAddress("192.0.2." + (i % 200), 1024 + i);
      h.registry.create(
          q, from, null, Transport.UDP, LlqState.ESTABLISHED, 900, h.clock.millis() + 900_000);
    }
    h.notifier.startSweeping();
    h.scheduler.advance(Duration.ofSeconds(920));
    assertThat(h.registry.size()).isZero();
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "expired").count()).isEqualTo(n);
  }

  @Test
  void eventsGoToTheSetupAddressObjectWhenTheClientDidNotMove() {
    // The challenge response comes from the same address and port in another object, as each
    // datagram's source address is: the LLQ keeps one copy (docs/benchmarks.md, 1 M LLQs).
    LlqOption c = first(send(udp, 1, setup(0, 7200))).orElseThrow();
    LlqHarness.UdpPeer same = h.new UdpPeer("192.0.2.10", 5353);
    assertThat(first(send(same, 1, setup(c.id(), c.lease()))).orElseThrow().error()).isZero();
    LlqSession s = h.registry.find(c.id());
    assertThat(s.eventAddress()).isEqualTo(same.address).isSameAs(s.setupFrom());
  }

  @Test
  void subscribersOfOneNameShareTheQuestionUnlessTheyWroteItInAnotherCase() {
    long a = establish(udp);
    long b = establish(h.new UdpPeer("192.0.2.11", 5353));
    LlqHarness.UdpPeer upper = h.new UdpPeer("192.0.2.12", 5353);
    String upperName = PTR_NAME.toUpperCase(java.util.Locale.ROOT);
    LlqOption c =
        first(upper.send(h.wire(query(1, upperName, Type.PTR, setup(0, 7200)), ALICE)))
            .orElseThrow();
    assertThat(h.registry.find(b).question()).isSameAs(h.registry.find(a).question());
    LlqSession third = h.registry.find(c.id());
    assertThat(third.question()).isNotSameAs(h.registry.find(a).question());
    assertThat(third.qname().toString()).isEqualTo(upperName); // its events echo its own case
  }

  @Test
  void unansweredChallengesAreForgotten() {
    LlqOption c = first(send(udp, 1, setup(0, 7200))).orElseThrow();
    h.registry.sweep(h.clock.millis() + h.config.challengeTimeout().toMillis());
    assertThat(h.registry.find(c.id())).isNull();
    assertThat(first(send(udp, 1, setup(c.id(), 7200))).orElseThrow().error())
        .isEqualTo(LlqOption.NO_SUCH_LLQ);
  }

  @Test
  void streamSetupIsAcknowledgedAtOnceWithTheNewId() {
    for (Transport t : new Transport[] {Transport.TCP, Transport.TLS}) {
      LlqHarness.StreamPeer tls = h.new StreamPeer("192.0.2.20", 50000, t);
      // L11: Apple puts a UDP event port in LLQ-ERROR; it is ignored.
      LlqOption apple = new LlqOption(1, LlqOption.SETUP, 0xef32, 0, 7200);
      Message ack = tls.send(h.wire(query(0x77aa, PTR_NAME, Type.PTR, apple), ALICE));
      LlqOption o = first(ack).orElseThrow();
      assertThat(o.error()).isZero();
      assertThat(o.id()).isNotZero();
      assertThat(o.lease()).isEqualTo(7200);
      assertThat(ack.getSection(Section.ANSWER)).hasSize(2);
      assertThat(h.registry.find(o.id()).state()).isEqualTo(LlqState.ESTABLISHED);
      assertThat(tls.idle).isEqualTo(Duration.ofSeconds(7260)); // signed: lease + margin
      tls.close();
      assertThat(h.registry.find(o.id())).isNull();
    }
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "closed").count()).isEqualTo(2);
  }

  @Test
  void synthesisedNamesAreStaticWithTheirAnswers() {
    Message r =
        udp.send(
            h.wire(
                query(1, "_dns-llq._udp.alice.members.example.", Type.SRV, setup(0, 7200)), ALICE));
    assertThat(first(r).orElseThrow())
        .isEqualTo(new LlqOption(1, LlqOption.SETUP, LlqOption.STATIC, 0, 0));
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
    Message soa =
        udp.send(h.wire(query(1, "alice.members.example.", Type.SOA, setup(0, 7200)), ALICE));
    assertThat(first(soa).orElseThrow().error()).isEqualTo(LlqOption.STATIC);
    // Other types at the apex are member data: an LLQ is fine.
    Message txt =
        udp.send(h.wire(query(1, "alice.members.example.", Type.TXT, setup(0, 7200)), ALICE));
    assertThat(first(txt).orElseThrow().error()).isZero();
    assertThat(h.registry.size()).isEqualTo(1);
  }

  @Test
  void badVersionAndMalformedOptions() {
    Message bad = send(udp, 1, new LlqOption(2, LlqOption.SETUP, 0, 0, 7200));
    assertThat(bad.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(first(bad).orElseThrow())
        .isEqualTo(new LlqOption(1, LlqOption.SETUP, LlqOption.BAD_VERS, 0, 0));
    // An option of 17 bytes: FORMAT-ERR, RCODE still NOERROR (RFC 8764 §3.2).
    Message q = query(2, PTR_NAME, Type.PTR);
    q.removeAllRecords(Section.ADDITIONAL);
    q.addRecord(
        new org.xbill.DNS.OPTRecord(
            1440, 0, 0, 0, java.util.List.of(new org.xbill.DNS.GenericEDNSOption(1, new byte[17]))),
        Section.ADDITIONAL);
    Message malformed = udp.send(h.wire(q, ALICE));
    assertThat(malformed.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(first(malformed).orElseThrow().error()).isEqualTo(LlqOption.FORMAT_ERR);
    // Unknown opcode.
    assertThat(first(send(udp, 3, new LlqOption(1, 9, 0, 0, 7200))).orElseThrow().error())
        .isEqualTo(LlqOption.FORMAT_ERR);
    // Two options for one question.
    Message two = udp.send(h.wire(query(4, PTR_NAME, Type.PTR, setup(0, 1), setup(0, 2)), ALICE));
    assertThat(LlqHarness.llq(two))
        .extracting(LlqOption::error)
        .containsExactly(LlqOption.FORMAT_ERR, LlqOption.FORMAT_ERR);
    assertThat(h.registry.size()).isZero();
  }

  @Test
  void severalQuestionsPairWithTheirOptionsByIndex() {
    Message q = query(5, PTR_NAME, Type.PTR, setup(0, 1000), setup(0, 2000));
    q.addRecord(
        org.xbill.DNS.Record.newRecord(
            net.membersdns.server.zone.Names.absolute("mbp.alice.members.example."),
            Type.AAAA,
            org.xbill.DNS.DClass.IN),
        Section.QUESTION);
    Message challenge = udp.send(h.wire(q, ALICE));
    var options = LlqHarness.llq(challenge);
    assertThat(options).hasSize(2);
    assertThat(options.get(0).lease()).isEqualTo(1000);
    assertThat(options.get(1).lease()).isEqualTo(2000);
    assertThat(h.registry.find(options.get(0).id()).qname().toString()).isEqualTo(PTR_NAME);
    assertThat(h.registry.find(options.get(1).id()).question().getType()).isEqualTo(Type.AAAA);

    Message response = query(5, PTR_NAME, Type.PTR, options.get(0), options.get(1));
    response.addRecord(q.getSection(Section.QUESTION).get(1), Section.QUESTION);
    Message ack = udp.send(h.wire(response, ALICE));
    assertThat(LlqHarness.llq(ack)).extracting(LlqOption::error).containsExactly(0, 0);
    assertThat(ack.getSection(Section.ANSWER)).hasSize(3); // two PTR + one AAAA
    assertThat(h.registry.established()).isEqualTo(2);
  }

  @Test
  void limitsGiveServFullWithARetryTime() {
    LlqHarness small =
        new LlqHarness(
            h.zones,
            new LlqConfig(
                900,
                7200,
                3,
                2,
                100,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10)),
            new LlqHarness.Counting(1));
    LlqHarness.UdpPeer a = small.new UdpPeer("192.0.2.10", 5353);
    String[] names = {"a", "b", "c", "d"};
    for (int i = 0; i < 2; i++) {
      Message r =
          a.send(
              small.wire(
                  query(1, names[i] + ".alice.members.example.", Type.A, setup(0, 900)), ALICE));
      assertThat(first(r).orElseThrow().error()).isZero();
    }
    Message perAddress =
        a.send(small.wire(query(1, "c.alice.members.example.", Type.A, setup(0, 900)), ALICE));
    assertThat(first(perAddress).orElseThrow())
        .isEqualTo(new LlqOption(1, LlqOption.SETUP, LlqOption.SERV_FULL, 0, 900));
    LlqHarness.UdpPeer b = small.new UdpPeer("192.0.2.99", 5353);
    assertThat(
            first(
                    b.send(
                        small.wire(
                            query(1, "c.alice.members.example.", Type.A, setup(0, 900)), ALICE)))
                .orElseThrow()
                .error())
        .isZero();
    // The key has 3 now: its fourth is refused wherever it comes from.
    LlqHarness.UdpPeer c = small.new UdpPeer("192.0.2.100", 5353);
    assertThat(
            first(
                    c.send(
                        small.wire(
                            query(1, "d.alice.members.example.", Type.A, setup(0, 900)), ALICE)))
                .orElseThrow()
                .error())
        .isEqualTo(LlqOption.SERV_FULL);
    assertThat(small.registry.size()).isEqualTo(3);
  }

  @Test
  void memberZoneLlqsNeedTsigFromAKeyThatMayReadTheZone() {
    // Unsigned: REFUSED, no LLQ option, no state (LlqAccess; RFC 6281 §7.2).
    Message unsigned = udp.send(h.wire(query(1, PTR_NAME, Type.PTR, setup(0, 7200)), null));
    assertThat(unsigned.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(LlqHarness.llq(unsigned)).isEmpty();
    // Bob's key may read bob's zone only.
    Message foreign = udp.send(h.wire(query(1, PTR_NAME, Type.PTR, setup(0, 7200)), BOB));
    assertThat(foreign.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(foreign.getTSIG()).isNotNull();
    // A wrong secret: NOTAUTH with BADSIG (RFC 8945 §5.2.2).
    net.membersdns.server.auth.TsigKey forged =
        new net.membersdns.server.auth.TsigKey(
            LlqHarness.ALICE_KEY,
            net.membersdns.protocol.tsig.TsigAlgorithm.HMAC_SHA256,
            new byte[32]);
    Message badSig = udp.send(h.wire(query(1, PTR_NAME, Type.PTR, setup(0, 7200)), forged));
    assertThat(badSig.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(badSig.getTSIG().getError()).isEqualTo(Rcode.BADSIG);
    assertThat(h.registry.size()).isZero();
    // The members domain zone is public: unsigned LLQs are fine there.
    Message domain = udp.send(h.wire(query(1, "x.members.example.", Type.A, setup(0, 7200)), null));
    assertThat(first(domain).orElseThrow().error()).isZero();
    // A name we are not authoritative for: REFUSED as for plain queries.
    Message elsewhere = udp.send(h.wire(query(1, "example.org.", Type.A, setup(0, 7200)), ALICE));
    assertThat(elsewhere.getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void llqsOfARevokedKeyEndAndUnsignedOnesStay() {
    long alices = establish(udp);
    LlqHarness.UdpPeer other = h.new UdpPeer("192.0.2.11", 5353);
    // The members domain zone is public: an unsigned LLQ, which no key revocation touches.
    LlqOption c =
        first(other.send(h.wire(query(1, "x.members.example.", Type.A, setup(0, 7200)), null)))
            .orElseThrow();
    other.send(h.wire(query(1, "x.members.example.", Type.A, setup(c.id(), 7200)), null));
    assertThat(h.registry.find(c.id()).state()).isEqualTo(LlqState.ESTABLISHED);

    h.notifier.revoke(k -> true);
    h.scheduler.runDue();
    assertThat(h.registry.size()).as("every key still held").isEqualTo(2);
    h.notifier.revoke(k -> !k.equals(ALICE));
    h.scheduler.runDue();
    assertThat(h.registry.find(alices)).isNull();
    assertThat(h.registry.find(c.id())).isNotNull();
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "key-revoked").count()).isEqualTo(1);
    assertThat(first(send(udp, 9, refresh(alices, 7200))).orElseThrow().error())
        .isEqualTo(LlqOption.NO_SUCH_LLQ);
  }

  @Test
  void aKeyedLlqIsOnlyTouchedWithItsKey() {
    long id = establish(udp);
    Message unsigned = udp.send(h.wire(query(1, PTR_NAME, Type.PTR, refresh(id, 0)), null));
    assertThat(unsigned.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(h.registry.find(id)).isNotNull();
  }
}
