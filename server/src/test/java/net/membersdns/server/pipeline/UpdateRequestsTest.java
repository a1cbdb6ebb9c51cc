package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.auth.TsigKeyring;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.feed.ChangeEvents;
import net.membersdns.server.feed.ZoneChangeSink;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.RequestSigner;
import net.membersdns.server.testing.Vectors;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.update.BatchEvaluator;
import net.membersdns.server.update.Grant;
import net.membersdns.server.update.UpdateLeasePolicy;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.update.ZoneCommitter;
import net.membersdns.server.update.ZoneWriter;
import net.membersdns.server.update.ZoneWriters;
import net.membersdns.server.zone.ServedZones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The UPDATE route and signed queries through the real dispatcher, with the real writer on a direct
 * executor and a store that commits in memory (the PostgreSQL side has its own ITs).
 */
class UpdateRequestsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final long T = 1_700_000_000L;

  private final ServedZones served =
      Zones.served(Zones.member("alice", 7, ""), Zones.domain(3, ""));
  private final List<Runnable> parked = new ArrayList<>();
  private boolean park;
  private int grantsFor = 1; // 1: the key may write alice's zone; 0: no grants; -1: a bug
  private boolean storeReachable = true;
  private int commits;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Set<UpdateSignature> recorded = new HashSet<>();
  private boolean failCommits;

  private RequestDispatcher dispatcher(long nowSeconds, TsigKeyring keyring, int queue) {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC);
    // The store's update_signatures: the signatures every commit recorded (V7).
    ZoneCommitter store =
        batches ->
            batches.stream()
                .peek(b -> commits++)
                .map(b -> {
                  if (failCommits) {
                    throw new IllegalStateException("database down");
                  }
                  Set<UpdateSignature> used = new HashSet<>(b.signatures());
                  used.retainAll(recorded);
                  recorded.addAll(b.signatures());
                  var plan = b.planner().plan(b.cached(), Map.of(Vectors.KEY_NAME, grants()), used);
                  return new ZoneCommitter.Commit(
                      plan,
                      b.cached(),
                      b.cached().serial() + 1,
                      b.cached().generation() + 1,
                      !plan.diff().isEmpty());
                })
                .toList();
    DnsMetrics metrics = new DnsMetrics(meters);
    UpdateMetrics um = new UpdateMetrics(metrics.registry());
    ZoneWriters writers =
        new ZoneWriters(
            queue,
            new ZoneWriter.Context(
                store,
                new BatchEvaluator(new UpdateLeasePolicy(60, 3600, 3600, false), Zones.settings()),
                served,
                Zones.settings(),
                new ChangeEvents(ZoneChangeSink.NONE),
                um,
                clock,
                r -> {
                  if (park) {
                    parked.add(r);
                  } else {
                    r.run();
                  }
                },
                new AtomicLong()));
    QueryHandler queries = new QueryHandler(new Lookup(served));
    TsigVerifier verifier = new TsigVerifier(keyring, clock);
    TsigSigner signer = new TsigSigner(clock);
    return new RequestDispatcher(
        queries,
        new AnswerCache(served, 1 << 20),
        metrics,
        clock,
        new ReplyFinisher(signer, metrics, um),
        verifier,
        new UpdateRequests(
            served,
            verifier,
            new UpdatePolicy(k -> grants()),
            writers,
            um,
            clock,
            () -> storeReachable),
        null);
  }

  private List<Grant> grants() {
    if (grantsFor < 0) {
      throw new AssertionError("a bug below the dispatcher");
    }
    return grantsFor == 1 ? List.of(Grant.memberZone(Vectors.ZONE)) : List.of();
  }

  private static byte[] send(RequestDispatcher d, byte[] wire) {
    AtomicReference<byte[]> out = new AtomicReference<>();
    d.handle(
        new DnsRequest(wire, new InetSocketAddress("127.0.0.1", 5353), Transport.UDP, 0),
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

  /** Sends {@code wire}; the reply arrives in the returned reference, now or after a commit. */
  private static AtomicReference<byte[]> sendLater(RequestDispatcher d, byte[] wire) {
    AtomicReference<byte[]> out = new AtomicReference<>();
    d.handle(
        new DnsRequest(wire, new InetSocketAddress("127.0.0.1", 5353), Transport.UDP, 0),
        new Responder() {
          @Override
          public void respond(byte[] w) {
            out.set(w);
          }

          @Override
          public void drop() {}
        });
    return out;
  }

  /** An update deleting the AAAA RRset of mbp (RFC 2136 §2.5.2). */
  private static Message deleteMbp(int id) {
    Message m = new Message(id);
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN), Section.ZONE);
    m.addRecord(Record.newRecord(MBP, Type.AAAA, DClass.ANY, 0), Section.UPDATE);
    return m;
  }

  private static final Name MBP = Name.fromConstantString("mbp.alice.members.example.");

  private double counter(String name) {
    return meters.get(name).counter().count();
  }

  private static ExtendedErrorCodeOption ede(Message r) {
    return (ExtendedErrorCodeOption)
        r.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
  }

  private boolean mbpServed() {
    return served.get(Vectors.ZONE).storedRecords().stream()
        .anyMatch(zr -> zr.record().getName().equals(MBP));
  }

  private static Message update(int id) throws java.io.IOException {
    Message m = new Message(id);
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN), Section.ZONE);
    m.addRecord(
        Record.fromString(
            Name.fromConstantString("mbp.alice.members.example."),
            Type.AAAA,
            DClass.IN,
            120,
            "fd12::1",
            null),
        Section.UPDATE);
    m.addRecord(
        new OPTRecord(1440, 0, 0, 0, UpdateLeaseOption.of(7200).toOption()), Section.ADDITIONAL);
    return m;
  }

  private static byte[] signed(Message m, long timeSigned) {
    return RequestSigner.sign(
        m,
        Vectors.KEY_NAME,
        Name.fromConstantString("hmac-sha256."),
        "HmacSHA256",
        Vectors.SHA256_KEY.secret(),
        timeSigned,
        32);
  }

  private static void assertSignedBy(byte[] reply, byte[] request) throws Exception {
    Message req = new Message(request);
    int rcode =
        Vectors.SHA256_KEY
            .toTsig(Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC))
            .verify(new Message(reply), reply, req.getTSIG());
    assertThat(rcode).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void a1IsAppliedAnsweredWithTheGrantedLeaseAndSigned() throws Exception {
    byte[] a1 = HEX.parseHex(Vectors.A1);
    byte[] reply = send(dispatcher(T + 1, TsigKeyring.of(Vectors.SHA256_KEY), 10), a1);
    Message r = new Message(reply);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getID()).isEqualTo(0x1234);
    assertThat(r.getSection(Section.ZONE)).hasSize(1);
    OptionResult<UpdateLeaseOption> lease = EdnsOptions.updateLease(r);
    assertThat(lease).isEqualTo(new OptionResult.Present<>(UpdateLeaseOption.of(3600)));
    assertSignedBy(reply, a1);
    assertThat(served.get(Vectors.ZONE).serial()).isEqualTo(8);
  }

  @Test
  void tsigFailuresAreNotauthWithTheRightError() throws Exception {
    byte[] a1 = HEX.parseHex(Vectors.A1);
    Message badTime =
        new Message(send(dispatcher(T + 400, TsigKeyring.of(Vectors.SHA256_KEY), 10), a1));
    assertThat(badTime.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(badTime.getTSIG().getError()).isEqualTo(Rcode.BADTIME);
    Message badKey = new Message(send(dispatcher(T, TsigKeyring.of(), 10), a1));
    assertThat(badKey.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(badKey.getTSIG().getError()).isEqualTo(Rcode.BADKEY);
    byte[] wrong = a1.clone();
    wrong[wrong.length - 10] ^= 1; // inside the MAC
    Message badSig =
        new Message(send(dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10), wrong));
    assertThat(badSig.getTSIG().getError()).isEqualTo(Rcode.BADSIG);
    assertThat(badSig.getTSIG().getSignature()).isEmpty();
    assertThat(served.get(Vectors.ZONE).serial()).isEqualTo(7);
  }

  @Test
  void unsignedAndUngrantedUpdatesAreRefused() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    assertThat(new Message(send(d, update(1).toWire())).getRcode()).isEqualTo(Rcode.REFUSED);
    grantsFor = 0;
    byte[] req = signed(update(2), T);
    byte[] reply = send(d, req);
    assertThat(new Message(reply).getRcode()).isEqualTo(Rcode.REFUSED);
    assertSignedBy(reply, req);
    assertThat(served.get(Vectors.ZONE).serial()).isEqualTo(7);
  }

  @Test
  void anErrorBelowTheDispatcherIsAnsweredServfailAndCounted() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    grantsFor = -1;
    for (int id = 1; id <= 3; id++) {
      Message r = new Message(send(d, signed(update(id), T)));
      assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(r.getHeader().getID()).isEqualTo(id);
    }
    assertThat(meters.get("dns.internal.errors").tag("loop", "dispatcher").counter().count())
        .isEqualTo(3);
    assertThat(meters.get("dns.requests").tag("rcode", "servfail").timer().count()).isEqualTo(3);
    grantsFor = 1;
    assertThat(new Message(send(d, signed(update(4), T))).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aFullQueueIsRefusedWithExtendedErrorNotReady() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 1);
    park = true;
    assertThat(send(d, signed(update(1), T))).as("queued, answered after the commit").isNull();
    byte[] req = signed(update(2), T);
    byte[] reply = send(d, req);
    Message r = new Message(reply);
    assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
    ExtendedErrorCodeOption ede =
        (ExtendedErrorCodeOption)
            r.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
    assertThat(ede.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.NOT_READY);
    assertSignedBy(reply, req);
  }

  @Test
  void whileTheStoreIsUnreachableUpdatesAreServfailWithNotReadyAtOnceAndNeverQueued()
      throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    storeReachable = false;
    park = true; // a queued update would stay unanswered here
    byte[] req = signed(update(1), T);
    byte[] reply = send(d, req);
    assertThat(reply).as("answered at once, not queued").isNotNull();
    Message r = new Message(reply);
    assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
    ExtendedErrorCodeOption ede =
        (ExtendedErrorCodeOption)
            r.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
    assertThat(ede.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.NOT_READY);
    assertSignedBy(reply, req);
    assertThat(parked).as("nothing queued").isEmpty();

    storeReachable = true;
    park = false;
    assertThat(new Message(send(d, signed(update(2), T))).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(commits).isEqualTo(1);
  }

  @Test
  void signedQueriesGetSignedAnswersAndBadOnesNotauth() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    Message q = Message.newQuery(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
    byte[] req = signed(q, T);
    byte[] reply = send(d, req);
    Message r = new Message(reply);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).hasSize(1);
    assertSignedBy(reply, req);

    byte[] stale = signed(q, T - 1000);
    Message late = new Message(send(d, stale));
    assertThat(late.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(late.getTSIG().getError()).isEqualTo(Rcode.BADTIME);
    assertThat(late.getSection(Section.ANSWER)).isEmpty();
  }

  // ---- replays (RFC 8945 §5.2.3 accepts them within the fudge; we do not) ----

  @Test
  void theSameMessageAgainGetsTheFirstAnswerAndIsNotAppliedAgain() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    byte[] req = signed(update(1), T);
    byte[] first = send(d, req);
    byte[] again = send(d, req);
    for (byte[] reply : List.of(first, again)) {
      Message r = new Message(reply);
      assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(EdnsOptions.updateLease(r))
          .isEqualTo(new OptionResult.Present<>(UpdateLeaseOption.of(3600)));
      assertSignedBy(reply, req);
    }
    assertThat(served.get(Vectors.ZONE).serial()).as("applied once").isEqualTo(8);
    assertThat(counter("dns.update.retransmissions")).isEqualTo(1);
    assertThat(counter("dns.update.replays")).isZero();
  }

  @Test
  void aCopyArrivingWhileTheFirstIsQueuedGetsItsAnswerAfterTheCommit() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    park = true;
    byte[] req = signed(update(1), T);
    AtomicReference<byte[]> first = sendLater(d, req);
    AtomicReference<byte[]> copy = sendLater(d, req);
    assertThat(first.get()).isNull();
    assertThat(copy.get()).isNull();
    parked.forEach(Runnable::run);
    assertThat(new Message(first.get()).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(new Message(copy.get()).getRcode()).isEqualTo(Rcode.NOERROR);
    assertSignedBy(copy.get(), req);
    assertThat(served.get(Vectors.ZONE).serial()).isEqualTo(8);
  }

  @Test
  void theSameBytesAfterTheOwnersDeleteAreAReplayRefusedSignedWithAnExtendedError()
      throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    byte[] add = signed(update(1), T);
    assertThat(new Message(send(d, add)).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(new Message(send(d, signed(deleteMbp(2), T))).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(mbpServed()).isFalse();

    byte[] reply = send(d, add);
    Message r = new Message(reply);
    assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ede(r).getErrorCode()).isEqualTo(ExtendedErrorCodeOption.OTHER);
    assertThat(ede(r).getText()).isEqualTo(UpdateRequests.REPLAYED);
    assertSignedBy(reply, add);
    assertThat(mbpServed()).as("the delete is not undone").isFalse();
    assertThat(served.get(Vectors.ZONE).serial()).isEqualTo(9);
    assertThat(counter("dns.update.replays")).isEqualTo(1);
  }

  @Test
  void aNewMessageIdWithTheOldMacStillVerifiesAndIsRefusedAsAReplay() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    byte[] req = signed(update(1), T);
    assertThat(new Message(send(d, req)).getRcode()).isEqualTo(Rcode.NOERROR);
    byte[] copy = req.clone();
    copy[0] = 0x55; // RFC 8945 §4.3.1: the MAC covers the Original ID, not the header's
    byte[] reply = send(d, copy);
    Message r = new Message(reply);
    assertThat(r.getHeader().getID()).isEqualTo(new Message(copy).getHeader().getID());
    assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ede(r).getText()).isEqualTo(UpdateRequests.REPLAYED);
    assertSignedBy(reply, copy);
    assertThat(served.get(Vectors.ZONE).serial()).isEqualTo(8);
  }

  @Test
  void aProcessThatNeverAnsweredItRefusesTheReplayThroughTheStore() throws Exception {
    byte[] req = signed(update(1), T);
    assertThat(
            new Message(send(dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10), req))
                .getRcode())
        .isEqualTo(Rcode.NOERROR);
    // A second dispatcher (another process, or this one restarted) on the same store.
    byte[] reply = send(dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10), req);
    Message r = new Message(reply);
    assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ede(r).getText()).isEqualTo(UpdateRequests.REPLAYED);
    assertSignedBy(reply, req);
    assertThat(served.get(Vectors.ZONE).serial()).isEqualTo(8);
  }

  @Test
  void aFailedCommitRecordsNothingSoTheClientsRetryIsEvaluatedAgain() throws Exception {
    RequestDispatcher d = dispatcher(T, TsigKeyring.of(Vectors.SHA256_KEY), 10);
    byte[] req = signed(update(1), T);
    failCommits = true;
    assertThat(new Message(send(d, req)).getRcode()).isEqualTo(Rcode.SERVFAIL);
    failCommits = false;
    assertThat(new Message(send(d, req)).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(mbpServed()).isTrue();
  }
}
