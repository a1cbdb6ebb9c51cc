package net.membersdns.server.llq;

import static net.membersdns.server.llq.LlqHarness.ALICE;
import static net.membersdns.server.llq.LlqHarness.first;
import static net.membersdns.server.llq.LlqHarness.parse;
import static net.membersdns.server.llq.LlqHarness.query;
import static net.membersdns.server.llq.LlqHarness.setup;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.server.feed.ZoneChange;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Events (RFC 8764 §6): coalescing, one in flight, acks, retransmission. */
class LlqNotifierTest {
  private static final String PTR_NAME = "_rfb._tcp.alice.members.example.";
  private static final Record MBP = record("_rfb._tcp PTR mbp._rfb._tcp");
  private static final Record IMAC = record("_rfb._tcp PTR imac._rfb._tcp");
  private static final Record AIR = record("_rfb._tcp PTR air._rfb._tcp");
  private static final Record OTHER = record("mbp AAAA fd12:3456:789a:1::1");

  private final LlqHarness h =
      new LlqHarness(Zones.served(LlqHarness.alice("_rfb._tcp PTR mbp._rfb._tcp\n")));
  private final LlqHarness.UdpPeer udp = h.new UdpPeer("192.0.2.10", 5353);

  private static Record record(String text) {
    return Zones.records("alice.members.example.", text).get(0);
  }

  private long establish() {
    LlqOption c =
        first(udp.send(h.wire(query(1, PTR_NAME, Type.PTR, setup(0, 7200)), ALICE))).orElseThrow();
    udp.send(h.wire(query(1, PTR_NAME, Type.PTR, setup(c.id(), c.lease())), ALICE));
    h.scheduler.runDue();
    return c.id();
  }

  private void change(List<Record> added, List<Record> removed) {
    h.notifier.changed(
        new ZoneChange(
            Names.absolute("alice.members.example."),
            2,
            2,
            added,
            removed,
            false,
            h.clock.instant()));
  }

  /** The client acknowledges {@code event} as mDNSResponder does (vector L6). */
  private void ack(Message event) {
    Message a = new Message(event.getHeader().getID());
    a.getHeader().setFlag(Flags.QR);
    a.getHeader().setFlag(Flags.AA);
    a.addRecord(event.getQuestion(), Section.QUESTION);
    a.addRecord(event.getOPT(), Section.ADDITIONAL);
    udp.send(a.toWire());
    h.scheduler.runDue();
  }

  /** The TTL {@code r} has in the (uncompressed) answer section of {@code wire}. */
  private static long ttlOnWire(byte[] wire, Record r) {
    byte[] rr = r.toWire(Section.ANSWER);
    int ttlAt = r.getName().length() + 4;
    for (long ttl : new long[] {r.getTTL(), 0xFFFF_FFFFL}) {
      ByteBuffer.wrap(rr, ttlAt, 4).putInt((int) ttl);
      if (indexOf(wire, rr) >= 0) {
        return ttl;
      }
    }
    throw new AssertionError("record not in the answer section: " + r);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void addAndRemoveGoOutAsOneEventWithANewIdAndTheRemainingLease() {
    long id = establish();
    h.clock.advance(Duration.ofSeconds(200));
    change(List.of(IMAC), List.of(MBP));
    assertThat(udp.events).isEmpty(); // changed() only queues
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
    byte[] wire = udp.events.get(0);
    Message e = parse(wire);
    assertThat(e.getHeader().getID()).isNotEqualTo(1);
    assertThat(e.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(e.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(e.getQuestion().getName().toString()).isEqualTo(PTR_NAME);
    assertThat(e.getSection(Section.ANSWER)).containsExactlyInAnyOrder(IMAC, MBP);
    assertThat(ttlOnWire(wire, IMAC)).isEqualTo(120);
    assertThat(ttlOnWire(wire, MBP)).isEqualTo(0xFFFF_FFFFL);
    assertThat(first(e).orElseThrow()).isEqualTo(new LlqOption(1, LlqOption.EVENT, 0, id, 7000));
    assertThat(h.meters.counter("dns.llq.events", "transport", "udp").count()).isEqualTo(1);
    assertThat(h.meters.timer("dns.llq.push.latency").count()).isEqualTo(1);
  }

  @Test
  void atShutdownTheLastCommittedChangeGoesOutThenEveryLlqEnds() throws Exception {
    long id = establish();
    change(List.of(IMAC), List.of());
    var ended = h.notifier.endAll();
    assertThat(ended).isNotDone(); // queued behind the change
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
    assertThat(parse(udp.events.get(0)).getSection(Section.ANSWER)).containsExactly(IMAC);
    assertThat(ended.get()).isEqualTo(1);
    assertThat(h.registry.find(id)).isNull();
    assertThat(h.registry.size()).isZero();
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "shutdown").count()).isEqualTo(1);
  }

  @Test
  void aRevokedKeysLlqGetsTheChangesQueuedBeforeTheRevocationThenEnds() {
    long id = establish();
    // host remove: the commit's removals are handed on first, then the key's revocation.
    change(List.of(), List.of(MBP));
    h.notifier.revoke(k -> !k.equals(ALICE));
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
    assertThat(ttlOnWire(udp.events.get(0), MBP)).isEqualTo(0xFFFF_FFFFL);
    assertThat(h.registry.find(id)).as("until the event is acknowledged").isNotNull();
    ack(parse(udp.events.get(0)));
    assertThat(h.registry.find(id)).isNull();
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "key-revoked").count()).isEqualTo(1);
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
  }

  @Test
  void eventsOfSignedLlqsAreSignedWithTheirKey() throws Exception {
    establish();
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    byte[] wire = udp.events.get(0);
    Message e = new Message(wire);
    assertThat(e.getTSIG()).isNotNull();
    assertThat(ALICE.toTsig(h.clock).verify(e, wire, null)).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void onlyChangesOfTheQuestionAreSent() {
    establish();
    change(List.of(OTHER), List.of());
    h.scheduler.runDue();
    assertThat(udp.events).isEmpty();
  }

  @Test
  void oneEventInFlightAndChangesCoalesceMeanwhile() {
    establish();
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
    change(List.of(AIR), List.of());
    change(List.of(), List.of(MBP));
    change(List.of(OTHER), List.of());
    change(List.of(), List.of(AIR)); // cancels the pending add of AIR
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1); // waiting for the ack
    ack(parse(udp.events.get(0)));
    assertThat(udp.events).hasSize(2);
    Message second = parse(udp.events.get(1));
    assertThat(second.getSection(Section.ANSWER)).containsExactly(MBP);
    assertThat(ttlOnWire(udp.events.get(1), MBP)).isEqualTo(0xFFFF_FFFFL);
    ack(second);
    assertThat(udp.events).hasSize(2);
  }

  @Test
  void anAckWithAnotherDnsIdDoesNotCount() {
    establish();
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    Message e = parse(udp.events.get(0));
    Message wrong = parse(udp.events.get(0));
    wrong.getHeader().setID((e.getHeader().getID() + 1) & 0xFFFF);
    ack(wrong);
    change(List.of(AIR), List.of());
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
  }

  @Test
  void unacknowledgedEventsAreSentThreeTimesWithBackoffThenTheLlqIsDeleted() {
    long id = establish();
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
    h.scheduler.advance(Duration.ofMillis(1999));
    assertThat(udp.events).hasSize(1);
    h.scheduler.advance(Duration.ofMillis(1)); // T = 2 s
    assertThat(udp.events).hasSize(2);
    assertThat(udp.events.get(1)).isEqualTo(udp.events.get(0)); // the same message again
    h.scheduler.advance(Duration.ofMillis(3999));
    assertThat(udp.events).hasSize(2);
    h.scheduler.advance(Duration.ofMillis(1)); // 2T later
    assertThat(udp.events).hasSize(3);
    h.scheduler.advance(Duration.ofMillis(7999));
    assertThat(h.registry.find(id)).isNotNull();
    h.scheduler.advance(Duration.ofMillis(1)); // 4T after the third: given up
    assertThat(udp.events).hasSize(3);
    assertThat(h.registry.find(id)).isNull();
    assertThat(h.meters.counter("dns.llq.retransmits").count()).isEqualTo(2);
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "unacknowledged").count())
        .isEqualTo(1);
    assertThat(h.meters.counter("dns.llq.events", "transport", "udp").count()).isEqualTo(1);
  }

  @Test
  void anAckStopsTheRetransmissions() {
    long id = establish();
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    h.scheduler.advance(Duration.ofSeconds(2));
    assertThat(udp.events).hasSize(2);
    ack(parse(udp.events.get(1)));
    h.scheduler.advance(Duration.ofSeconds(60));
    assertThat(udp.events).hasSize(2);
    assertThat(h.registry.find(id)).isNotNull();
  }

  @Test
  void eventsGoToTheLatestAddressOfTheClient() {
    long id = establish();
    LlqHarness.UdpPeer moved = h.new UdpPeer("192.0.2.10", 6000);
    moved.send(h.wire(query(7, PTR_NAME, Type.PTR, LlqHarness.refresh(id, 7200)), ALICE));
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    assertThat(udp.events).isEmpty();
    assertThat(moved.events).hasSize(1);
  }

  @Test
  void challengedLlqsGetNoEvents() {
    first(udp.send(h.wire(query(1, PTR_NAME, Type.PTR, setup(0, 7200)), ALICE))).orElseThrow();
    change(List.of(IMAC), List.of());
    h.scheduler.runDue();
    assertThat(udp.events).isEmpty();
  }

  @Test
  void streamEventsArePushedOnTheConnectionWithoutAcks() {
    LlqHarness.StreamPeer tls = h.new StreamPeer("192.0.2.20", 50000, Transport.TLS);
    LlqOption o =
        first(tls.send(h.wire(query(1, PTR_NAME, Type.PTR, setup(0, 7200)), ALICE))).orElseThrow();
    h.scheduler.runDue();
    change(List.of(IMAC), List.of());
    change(List.of(AIR), List.of());
    h.scheduler.runDue();
    change(List.of(), List.of(IMAC));
    h.scheduler.runDue();
    assertThat(tls.pushed).hasSize(2);
    assertThat(parse(tls.pushed.get(0)).getSection(Section.ANSWER))
        .containsExactlyInAnyOrder(IMAC, AIR);
    assertThat(first(parse(tls.pushed.get(1))).orElseThrow().id()).isEqualTo(o.id());
    h.scheduler.advance(Duration.ofMinutes(5));
    assertThat(tls.pushed).hasSize(2); // no retransmissions on streams
    assertThat(h.meters.counter("dns.llq.events", "transport", "tls").count()).isEqualTo(2);
  }

  @Test
  void aRemovedZoneSendsItsRemovalsThenDeletesItsLlqs() {
    long id = establish();
    h.notifier.changed(
        new ZoneChange(
            Names.absolute("alice.members.example."),
            3,
            3,
            List.of(),
            List.of(MBP, OTHER),
            true,
            h.clock.instant()));
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
    assertThat(parse(udp.events.get(0)).getSection(Section.ANSWER)).containsExactly(MBP);
    assertThat(h.registry.find(id)).isNotNull(); // until the removal is acknowledged
    ack(parse(udp.events.get(0)));
    assertThat(h.registry.find(id)).isNull();
    assertThat(h.meters.counter("dns.llq.deletions", "reason", "zone-removed").count())
        .isEqualTo(1);
  }

  @Test
  void manyChangesAreSplitToFitTheUdpSize() {
    establish();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      text.append("_rfb._tcp PTR host-number-").append(i).append("._rfb._tcp\n");
    }
    List<Record> many = Zones.records("alice.members.example.", text.toString());
    change(many, List.of());
    h.scheduler.runDue();
    int total = 0;
    while (udp.events.size() > 0 && total < many.size()) {
      byte[] last = udp.events.get(udp.events.size() - 1);
      assertThat(last.length).isLessThanOrEqualTo(1232);
      Message e = parse(last);
      total += e.getSection(Section.ANSWER).size();
      ack(e);
    }
    assertThat(total).isEqualTo(60);
    assertThat(udp.events.size()).isGreaterThan(1);
  }
}
