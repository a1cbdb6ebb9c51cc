package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.NOW;
import static net.membersdns.server.update.Fixtures.rrs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Record;

/** RFC 2136 §3.4.2 with RFC 9664 leases, table-driven. */
class UpdateApplierTest {
  static final String MBP = "+600 mbp 120 IN AAAA fd12:3456:789a:1::1";
  static final String APEX_TXT = "@ 300 IN TXT \"hello\"";
  static final String ALIAS = "+600 www 120 IN CNAME mbp";
  static final String A1 = "+600 _autotunnel.mbp 60 IN A 192.0.2.1";
  static final String A2 = "+600 _autotunnel.mbp 60 IN A 192.0.2.2";
  static final String EXPIRED = "-1 old 120 IN AAAA fd12:3456:789a:1::2";
  static final ZoneData ZONE = Fixtures.zone(41, MBP, APEX_TXT, ALIAS, A1, A2, EXPIRED);
  static final LeaseGrant LEASE = new LeaseGrant(3600, 86400);

  /**
   * One row: label, update section, expected added / removed / lease-renewed rows (as record text)
   * and whether the content changed.
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        c(
            "add a new RR",
            u("new 120 IN AAAA fd12::5"),
            l("new 120 IN AAAA fd12::5"),
            l(),
            l(),
            true),
        c(
            "add to an existing RRset",
            u("_autotunnel.mbp 60 IN A 192.0.2.3"),
            l("_autotunnel.mbp 60 IN A 192.0.2.3"),
            l(),
            l(),
            true),
        c(
            "refresh of identical data only moves the expiry",
            u("mbp 120 IN AAAA fd12:3456:789a:1::1"),
            l(),
            l(),
            l("mbp 120 IN AAAA fd12:3456:789a:1::1"),
            false),
        c(
            "Apple refresh: delete RRset then add the same data",
            u("mbp 0 ANY AAAA", "mbp 120 IN AAAA fd12:3456:789a:1::1"),
            l(),
            l(),
            l("mbp 120 IN AAAA fd12:3456:789a:1::1"),
            false),
        c(
            "duplicate RDATA with another TTL replaces the TTL",
            u("mbp 300 IN AAAA fd12:3456:789a:1::1"),
            l("mbp 300 IN AAAA fd12:3456:789a:1::1"),
            l("mbp 120 IN AAAA fd12:3456:789a:1::1"),
            l(),
            true),
        c(
            "re-adding an expired, unreaped RR is a content change",
            u("old 120 IN AAAA fd12:3456:789a:1::2"),
            l("old 120 IN AAAA fd12:3456:789a:1::2"),
            l("old 120 IN AAAA fd12:3456:789a:1::2"),
            l(),
            true),
        c(
            "Apple replace: delete RRset then add new data",
            u("mbp 0 ANY AAAA", "mbp 120 IN AAAA fd12::9"),
            l("mbp 120 IN AAAA fd12::9"),
            l("mbp 120 IN AAAA fd12:3456:789a:1::1"),
            l(),
            true),
        c(
            "CNAME where other data exists is ignored",
            u("mbp 120 IN CNAME other"),
            l(),
            l(),
            l(),
            false),
        c(
            "other data where a CNAME exists is ignored",
            u("www 120 IN A 192.0.2.9"),
            l(),
            l(),
            l(),
            false),
        c("CNAME at the apex is ignored", u("@ 120 IN CNAME mbp"), l(), l(), l(), false),
        c(
            "CNAME at a discovery name is ignored",
            u("_dns-llq._udp 120 IN CNAME mbp"),
            l(),
            l(),
            l(),
            false),
        c(
            "CNAME replaces the CNAME",
            u("www 120 IN CNAME _autotunnel.mbp"),
            l("www 120 IN CNAME _autotunnel.mbp"),
            l("www 120 IN CNAME mbp"),
            l(),
            true),
        c(
            "CNAME over expired other data reaps it",
            u("old 120 IN CNAME mbp"),
            l("old 120 IN CNAME mbp"),
            l("old 120 IN AAAA fd12:3456:789a:1::2"),
            l(),
            true),
        c("SOA add is ignored", u("@ 3600 IN SOA a. b. 99 1 1 1 1"), l(), l(), l(), false),
        c("apex NS add is ignored", u("@ 3600 IN NS evil.example."), l(), l(), l(), false),
        c("apex NS delete is ignored", u("@ 0 ANY NS"), l(), l(), l(), false),
        c("apex SOA delete is ignored", u("@ 0 ANY SOA"), l(), l(), l(), false),
        c(
            "delete all at the apex keeps SOA and NS",
            u("@ 0 ANY ANY"),
            l(),
            l("@ 300 IN TXT \"hello\""),
            l(),
            true),
        c(
            "delete RRset",
            u("_autotunnel.mbp 0 ANY A"),
            l(),
            l("_autotunnel.mbp 60 IN A 192.0.2.1", "_autotunnel.mbp 60 IN A 192.0.2.2"),
            l(),
            true),
        c(
            "delete all RRsets at a name",
            u("mbp 0 ANY ANY"),
            l(),
            l("mbp 120 IN AAAA fd12:3456:789a:1::1"),
            l(),
            true),
        c(
            "delete one RR",
            u("_autotunnel.mbp 0 NONE A 192.0.2.2"),
            l(),
            l("_autotunnel.mbp 60 IN A 192.0.2.2"),
            l(),
            true),
        c(
            "delete one RR: owner case and TTL do not matter",
            u("MBP 0 NONE AAAA fd12:3456:789a:1::1"),
            l(),
            l("mbp 120 IN AAAA fd12:3456:789a:1::1"),
            l(),
            true),
        c(
            "delete of an absent RR changes nothing",
            u("mbp 0 NONE AAAA fd12::7"),
            l(),
            l(),
            l(),
            false),
        c("delete of an absent RRset changes nothing", u("nope 0 ANY TXT"), l(), l(), l(), false),
        c(
            "deleting an expired RR reaps it",
            u("old 0 ANY AAAA"),
            l(),
            l("old 120 IN AAAA fd12:3456:789a:1::2"),
            l(),
            true),
        c(
            "in order: add then delete is nothing",
            u("n 120 IN A 192.0.2.7", "n 0 ANY A"),
            l(),
            l(),
            l(),
            false),
        c(
            "in order: delete then add is an add",
            u("n 0 ANY A", "n 120 IN A 192.0.2.7"),
            l("n 120 IN A 192.0.2.7"),
            l(),
            l(),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applies(
      String label,
      List<Record> updates,
      List<Record> added,
      List<Record> removed,
      List<Record> renewed,
      boolean changed) {
    ChangeSet cs = UpdateApplier.apply(ZONE, updates, Optional.of(LEASE), NOW);
    assertThat(texts(cs.added())).as("added").containsExactlyInAnyOrderElementsOf(texts2(added));
    assertThat(texts(cs.removed()))
        .as("removed")
        .containsExactlyInAnyOrderElementsOf(texts2(removed));
    assertThat(texts(cs.leaseRenewed()))
        .as("renewed")
        .containsExactlyInAnyOrderElementsOf(texts2(renewed));
    assertThat(cs.contentChanged()).as("content changed").isEqualTo(changed);
    assertThat(cs.serial()).isEqualTo(changed ? 42 : 41);
    assertThat(cs.previousSerial()).isEqualTo(41);
    for (ZoneRecord a : cs.added()) {
      assertThat(a.leaseExpiresMillis()).isEqualTo(NOW + 3_600_000);
    }
    for (ZoneRecord r : cs.leaseRenewed()) {
      assertThat(r.leaseExpiresMillis()).isEqualTo(NOW + 3_600_000);
    }
    // records() is the stored list after the change: before - removed + added.
    List<String> expected = new java.util.ArrayList<>(texts(ZONE.storedRecords()));
    texts(cs.removed()).forEach(expected::remove);
    expected.addAll(texts(cs.added()));
    assertThat(texts(cs.records())).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void untouchedRowsKeepTheirLease() {
    ChangeSet cs =
        UpdateApplier.apply(ZONE, rrs("new 120 IN A 192.0.2.8"), Optional.of(LEASE), NOW);
    assertThat(find(cs, "192.0.2.1").leaseExpiresMillis()).isEqualTo(NOW + 600_000);
    assertThat(find(cs, "hello").leaseExpiresMillis()).isEqualTo(ZoneRecord.PERMANENT);
  }

  @Test
  void keyRecordsGetTheKeyLease() {
    ChangeSet cs =
        UpdateApplier.apply(
            ZONE,
            rrs("mbp 3600 IN KEY 513 3 13 bm90IGEgcmVhbCBrZXk=", "mbp2 120 IN A 192.0.2.4"),
            Optional.of(LEASE),
            NOW);
    assertThat(find(cs, "513").leaseExpiresMillis()).isEqualTo(NOW + 86_400_000);
    assertThat(find(cs, "192.0.2.4").leaseExpiresMillis()).isEqualTo(NOW + 3_600_000);
  }

  @Test
  void withoutALeaseRecordsArePermanent() {
    ChangeSet cs =
        UpdateApplier.apply(
            ZONE,
            rrs("mbp 120 IN AAAA fd12:3456:789a:1::1", "new 120 IN A 192.0.2.8"),
            Optional.empty(),
            NOW);
    assertThat(cs.contentChanged()).isTrue();
    assertThat(find(cs, "192.0.2.8").leaseExpiresMillis()).isEqualTo(ZoneRecord.PERMANENT);
    assertThat(texts(cs.leaseRenewed()))
        .containsExactlyElementsOf(texts2(rrs("mbp 120 IN AAAA fd12:3456:789a:1::1")));
  }

  @Test
  void serialWrapsAtTwoToThe32() {
    ZoneData top = Fixtures.zone(0xFFFF_FFFFL, MBP);
    ChangeSet cs = UpdateApplier.apply(top, rrs("n 120 IN A 192.0.2.7"), Optional.of(LEASE), NOW);
    assertThat(cs.serial()).isZero();
  }

  @Test
  void noOpUpdateIsEmptyAndContentCarriesTheNextGeneration() {
    ChangeSet none = UpdateApplier.apply(ZONE, rrs("nope 0 ANY TXT"), Optional.of(LEASE), NOW);
    assertThat(none.isEmpty()).isTrue();
    ChangeSet some =
        UpdateApplier.apply(ZONE, rrs("n 120 IN A 192.0.2.7"), Optional.of(LEASE), NOW);
    var content = some.content(ZONE);
    assertThat(content.serial()).isEqualTo(42);
    assertThat(content.generation()).isEqualTo(8);
    assertThat(content.member()).isEqualTo("alice");
    ZoneData rebuilt = ZoneData.build(content, Fixtures.SETTINGS);
    assertThat(rebuilt.node(Fixtures.name("n"))).isNotNull();
  }

  @Test
  void theInputZoneIsNeverModified() {
    List<ZoneRecord> before = List.copyOf(ZONE.storedRecords());
    UpdateApplier.apply(ZONE, rrs("mbp 0 ANY ANY", "@ 0 ANY ANY"), Optional.of(LEASE), NOW);
    assertThat(ZONE.storedRecords()).isEqualTo(before);
  }

  private static ZoneRecord find(ChangeSet cs, String rdataPart) {
    return cs.records().stream()
        .filter(zr -> zr.record().rdataToString().contains(rdataPart))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> texts(List<ZoneRecord> rows) {
    return rows.stream().map(zr -> zr.record().toString()).toList();
  }

  private static List<String> texts2(List<Record> records) {
    return records.stream().map(Record::toString).toList();
  }

  private static Arguments c(
      String label,
      List<Record> updates,
      List<Record> added,
      List<Record> removed,
      List<Record> renewed,
      boolean changed) {
    return Arguments.of(label, updates, added, removed, renewed, changed);
  }

  private static List<Record> u(String... texts) {
    return rrs(texts);
  }

  private static List<Record> l(String... texts) {
    return rrs(texts);
  }
}
