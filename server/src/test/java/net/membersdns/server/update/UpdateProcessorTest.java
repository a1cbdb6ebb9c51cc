package net.membersdns.server.update;

import static net.membersdns.server.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.auth.TsigKeyring;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.testing.Vectors;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** The pure pipeline from request bytes to reply bytes, against the captured vectors. */
class UpdateProcessorTest {
  static final long T0 = 1_700_000_000L;
  static final ZoneData ZONE = Fixtures.zone(5);
  static final Map<Name, ZoneData> SERVED = Map.of(Fixtures.APEX, ZONE);
  static final UpdatePolicy POLICY =
      new UpdatePolicy(
          k -> k.equals(Vectors.KEY_NAME) ? List.of(Grant.memberZone(Fixtures.APEX)) : List.of());

  @Test
  void a1IsVerifiedAndAppliedWithA2sLease() throws Exception {
    byte[] wire = bytes(Vectors.A1);
    Message request = new Message(wire);
    TsigOutcome tsig =
        new TsigVerifier(TsigKeyring.of(Vectors.SHA256_KEY), Vectors.clockAt(T0))
            .verify(request, wire);
    assertThat(tsig).isInstanceOf(TsigOutcome.Verified.class);
    ZoneSection section = ZoneSectionCheck.check(request, SERVED::get);
    ZoneData zone = ((ZoneSection.Served) section).zone();
    // A server whose maximum lease is 3600 grants A2's 3600 to A1's request for 7200.
    UpdateProcessor processor =
        new UpdateProcessor(POLICY, new UpdateLeasePolicy(1800, 3600, 3600, false));
    UpdateOutcome outcome =
        processor.process(
            request, Optional.of(((TsigOutcome.Verified) tsig).key().name()), zone, T0 * 1000);
    UpdateOutcome.Applied applied = (UpdateOutcome.Applied) outcome;
    assertThat(applied.replyLease()).contains(UpdateLeaseOption.of(3600));
    ChangeSet cs = applied.changes();
    assertThat(cs.contentChanged()).isTrue();
    assertThat(cs.serial()).isEqualTo(6);
    assertThat(cs.added())
        .containsExactly(
            new ZoneRecord(
                Record.fromString(
                    Fixtures.name("mbp"),
                    Type.AAAA,
                    DClass.IN,
                    120,
                    "fd12:3456:789a:1::1",
                    Name.root),
                (T0 + 3600) * 1000));
    // The reply itself (vector A2) is rendered and signed at the reply boundary: TsigSignerTest.
  }

  @Test
  void a1RefreshedWithinItsLeaseOnlyMovesTheExpiry() throws Exception {
    byte[] wire = bytes(Vectors.A1);
    Message request = new Message(wire);
    UpdateProcessor processor = new UpdateProcessor(POLICY, UpdateLeasePolicy.defaults());
    var first =
        (UpdateOutcome.Applied)
            processor.process(request, Optional.of(Vectors.KEY_NAME), ZONE, T0 * 1000);
    ZoneData after = ZoneData.build(first.changes().content(ZONE), Fixtures.SETTINGS);
    var refresh =
        (UpdateOutcome.Applied)
            processor.process(request, Optional.of(Vectors.KEY_NAME), after, (T0 + 5400) * 1000);
    assertThat(refresh.changes().contentChanged()).isFalse();
    assertThat(refresh.changes().serial()).isEqualTo(after.serial());
    assertThat(refresh.changes().leaseRenewed())
        .singleElement()
        .extracting(ZoneRecord::leaseExpiresMillis)
        .isEqualTo((T0 + 5400 + 7200) * 1000);
    // After expiry, the same message re-creates the record: a content change.
    var late =
        (UpdateOutcome.Applied)
            processor.process(request, Optional.of(Vectors.KEY_NAME), after, (T0 + 7200) * 1000);
    assertThat(late.changes().contentChanged()).isTrue();
    assertThat(late.changes().serial()).isEqualTo(after.serial() + 1);
  }

  @Test
  void u1ParsesAndAppliesWithItsLease() throws Exception {
    Message u1 = new Message(bytes(Vectors.U1));
    UpdateOutcome outcome =
        new UpdateProcessor(POLICY, UpdateLeasePolicy.defaults())
            .process(u1, Optional.of(Vectors.KEY_NAME), ZONE, T0 * 1000);
    var applied = (UpdateOutcome.Applied) outcome;
    assertThat(applied.replyLease()).contains(UpdateLeaseOption.of(7200));
    assertThat(applied.changes().added())
        .singleElement()
        .extracting(ZoneRecord::leaseExpiresMillis)
        .isEqualTo((T0 + 7200) * 1000);
  }

  @Test
  void unsignedU1IsRefused() throws Exception {
    Message u1 = new Message(bytes(Vectors.U1));
    assertThat(
            new UpdateProcessor(POLICY, UpdateLeasePolicy.defaults())
                .process(u1, Optional.empty(), ZONE, T0 * 1000))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.rcode()).isEqualTo(Rcode.REFUSED));
  }

  @Test
  void addWithoutLeaseUnderRequireLeaseIsRefused() throws Exception {
    Update request = new Update(Fixtures.APEX);
    request.getHeader().setID(0x2a2c);
    request.add(Fixtures.rr("mbp 120 IN AAAA fd12:3456:789a:1::1"));
    Message parsed = new Message(request.toWire());
    UpdateOutcome outcome =
        new UpdateProcessor(POLICY, new UpdateLeasePolicy(1800, 7200, 7200, true))
            .process(parsed, Optional.of(Vectors.KEY_NAME), ZONE, T0 * 1000);
    Rejection r = (Rejection) outcome;
    assertThat(r.rcode()).isEqualTo(Rcode.REFUSED); // the reply is vector U4: ReplyFinisherTest
  }

  @Test
  void prerequisiteFailureComesBeforePolicy() throws Exception {
    Update request = new Update(Fixtures.APEX);
    request.present(Fixtures.name("nope"));
    request.add(Fixtures.rr("@ 3600 IN NS evil.example."));
    UpdateOutcome outcome =
        new UpdateProcessor(POLICY, UpdateLeasePolicy.defaults())
            .process(new Message(request.toWire()), Optional.empty(), ZONE, T0 * 1000);
    assertThat(((Rejection) outcome).rcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void zoneSectionChecks() throws Exception {
    Message twoZones = new Message();
    twoZones.addRecord(Record.newRecord(Fixtures.APEX, Type.SOA, DClass.IN), Section.ZONE);
    twoZones.addRecord(Record.newRecord(Fixtures.APEX, Type.SOA, DClass.IN), Section.ZONE);
    assertRcode(ZoneSectionCheck.check(twoZones, SERVED::get), Rcode.FORMERR);
    assertRcode(ZoneSectionCheck.check(new Message(), SERVED::get), Rcode.FORMERR);
    assertRcode(
        ZoneSectionCheck.check(zone(Fixtures.APEX, Type.A, DClass.IN), SERVED::get), Rcode.FORMERR);
    assertRcode(
        ZoneSectionCheck.check(zone(Fixtures.name("mbp"), Type.SOA, DClass.IN), SERVED::get),
        Rcode.NOTAUTH);
    assertRcode(
        ZoneSectionCheck.check(zone(Fixtures.APEX, Type.SOA, DClass.CH), SERVED::get),
        Rcode.NOTAUTH);
    assertThat(ZoneSectionCheck.check(zone(Fixtures.APEX, Type.SOA, DClass.IN), SERVED::get))
        .isEqualTo(new ZoneSection.Served(ZONE));
  }

  private static Message zone(Name name, int type, int dclass) {
    Message m = new Message();
    m.addRecord(Record.newRecord(name, type, dclass), Section.ZONE);
    return m;
  }

  private static void assertRcode(ZoneSection section, int rcode) {
    assertThat(section)
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.rcode()).isEqualTo(rcode));
  }
}
