package net.membersdns.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class QueryHandlerTest {
  private static final String SOA_ALICE =
      "alice.members.example. 60 IN SOA dns.members.example. hostmaster.members.example. 7 3600 600 1209600 60";
  private static final String SOA_DOMAIN =
      "members.example. 60 IN SOA dns.members.example. hostmaster.members.example. 3 3600 600 1209600 60";

  static final ServedZones ZONES =
      Zones.served(
          Zones.member(
              "alice",
              7,
              """
              mbp AAAA fd12:3456:789a:1::1
              _autotunnel._udp.mbp 120 SRV 0 0 4500 _autotunnel.mbp
              _autotunnel.mbp A 203.0.113.7
              _autotunnel.mbp 4500 TXT "wg=abc"
              www CNAME mbp
              off CNAME www.example.org.
              multi A 192.0.2.1
              multi A 192.0.2.2
              multi TXT "x"
              """),
          Zones.domain(
              3,
              """
              other NS ns.elsewhere.example.
              www A 192.0.2.80
              """));

  static Stream<DnsCase> cases() {
    return Stream.of(
        DnsCase.of("mbp.alice.members.example.", Type.AAAA, Rcode.NOERROR)
            .answer("mbp.alice.members.example. 120 IN AAAA fd12:3456:789a:1::1"),
        DnsCase.of("MBP.Alice.Members.Example.", Type.AAAA, Rcode.NOERROR)
            .answer("mbp.alice.members.example. 120 IN AAAA fd12:3456:789a:1::1"),
        // SRV brings the tunnel endpoint's address in the additional section (RFC 2782).
        DnsCase.of("_autotunnel._udp.mbp.alice.members.example.", Type.SRV, Rcode.NOERROR)
            .answer(
                "_autotunnel._udp.mbp.alice.members.example. 120 IN SRV 0 0 4500 _autotunnel.mbp.alice.members.example.")
            .extra("_autotunnel.mbp.alice.members.example. 120 IN A 203.0.113.7"),
        // NODATA: the name exists, the type does not (RFC 2308 §2.2), SOA TTL = min(TTL, MINIMUM).
        DnsCase.of("mbp.alice.members.example.", Type.MX, Rcode.NOERROR).ns(SOA_ALICE),
        // Empty non-terminal: NODATA, not NXDOMAIN.
        DnsCase.of("_udp.mbp.alice.members.example.", Type.SRV, Rcode.NOERROR).ns(SOA_ALICE),
        DnsCase.of("nothere.alice.members.example.", Type.A, Rcode.NXDOMAIN).ns(SOA_ALICE),
        // Apex SOA and NS are synthesised.
        DnsCase.of("alice.members.example.", Type.SOA, Rcode.NOERROR)
            .answer(
                "alice.members.example. 3600 IN SOA dns.members.example. hostmaster.members.example. 7 3600 600 1209600 60"),
        DnsCase.of("alice.members.example.", Type.NS, Rcode.NOERROR)
            .answer("alice.members.example. 3600 IN NS dns.members.example.")
            .extra(
                "dns.members.example. 3600 IN A 192.0.2.53",
                "dns.members.example. 3600 IN AAAA 2001:db8::53"),
        // Discovery SRVs (RFC 6281 §4) in every member zone.
        DnsCase.of("_dns-update-tls._tcp.alice.members.example.", Type.SRV, Rcode.NOERROR)
            .answer(
                "_dns-update-tls._tcp.alice.members.example. 7200 IN SRV 0 0 853 dns.members.example.")
            .extra(
                "dns.members.example. 3600 IN A 192.0.2.53",
                "dns.members.example. 3600 IN AAAA 2001:db8::53"),
        DnsCase.of("_dns-llq._udp.alice.members.example.", Type.SRV, Rcode.NOERROR)
            .answer("_dns-llq._udp.alice.members.example. 7200 IN SRV 0 0 53 dns.members.example.")
            .extra(
                "dns.members.example. 3600 IN A 192.0.2.53",
                "dns.members.example. 3600 IN AAAA 2001:db8::53"),
        // The server's own name, in the domain zone.
        DnsCase.of("dns.members.example.", Type.A, Rcode.NOERROR)
            .answer("dns.members.example. 3600 IN A 192.0.2.53"),
        DnsCase.of("www.members.example.", Type.A, Rcode.NOERROR)
            .answer("www.members.example. 120 IN A 192.0.2.80"),
        DnsCase.of("bob.members.example.", Type.A, Rcode.NXDOMAIN).ns(SOA_DOMAIN),
        // CNAME followed inside our zones (RFC 1034 §4.3.2), left to the resolver outside them.
        DnsCase.of("www.alice.members.example.", Type.AAAA, Rcode.NOERROR)
            .answer(
                "www.alice.members.example. 120 IN CNAME mbp.alice.members.example.",
                "mbp.alice.members.example. 120 IN AAAA fd12:3456:789a:1::1"),
        DnsCase.of("off.alice.members.example.", Type.A, Rcode.NOERROR)
            .answer("off.alice.members.example. 120 IN CNAME www.example.org."),
        DnsCase.of("www.alice.members.example.", Type.CNAME, Rcode.NOERROR)
            .answer("www.alice.members.example. 120 IN CNAME mbp.alice.members.example."),
        // RFC 8482: ANY gets one RRset, not the node.
        DnsCase.of("multi.alice.members.example.", Type.ANY, Rcode.NOERROR)
            .answer(
                "multi.alice.members.example. 120 IN A 192.0.2.1",
                "multi.alice.members.example. 120 IN A 192.0.2.2"),
        // Zone cut in the domain zone: referral without AA, below the cut too.
        DnsCase.of("host.other.members.example.", Type.A, Rcode.NOERROR)
            .ns("other.members.example. 120 IN NS ns.elsewhere.example."),
        // Not ours: REFUSED, nothing else.
        DnsCase.of("www.example.org.", Type.A, Rcode.REFUSED),
        DnsCase.of("mbp.alice.members.example.", Type.AXFR, Rcode.REFUSED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersFromTheZones(DnsCase c) throws Exception {
    QueryHandler handler = new QueryHandler(new Lookup(ZONES));
    Message response = handler.answer(query(c.qname(), c.qtype()), 1_000).message();
    c.check(response);
    assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
  }

  @Test
  void authoritativeExceptForReferralsAndRefusals() throws Exception {
    QueryHandler handler = new QueryHandler(new Lookup(ZONES));
    assertThat(aa(handler, "mbp.alice.members.example.", Type.AAAA)).isTrue();
    assertThat(aa(handler, "nothere.alice.members.example.", Type.AAAA)).isTrue();
    assertThat(aa(handler, "host.other.members.example.", Type.A)).isFalse();
    assertThat(aa(handler, "www.example.org.", Type.A)).isFalse();
  }

  @Test
  void expiredLeasesAreNeverServed() throws Exception {
    Record live = Zones.records("alice.members.example.", "mbp AAAA fd00::1").get(0);
    Record gone = Zones.records("alice.members.example.", "mbp AAAA fd00::2").get(0);
    Record lonely = Zones.records("alice.members.example.", "old TXT \"bye\"").get(0);
    ZoneData zone =
        ZoneData.build(
            new ZoneContent(
                Names.absolute("alice.members.example."),
                "alice",
                9,
                1,
                List.of(
                    new ZoneRecord(live, 5_000),
                    new ZoneRecord(gone, 2_000),
                    new ZoneRecord(lonely, 2_000))),
            Zones.settings());
    QueryHandler handler = new QueryHandler(new Lookup(Zones.served(zone)));

    DnsCase.of("mbp.alice.members.example.", Type.AAAA, Rcode.NOERROR)
        .answer(
            "mbp.alice.members.example. 120 IN AAAA fd00::1",
            "mbp.alice.members.example. 120 IN AAAA fd00::2")
        .check(handler.answer(query("mbp.alice.members.example.", Type.AAAA), 1_999).message());
    DnsCase.of("mbp.alice.members.example.", Type.AAAA, Rcode.NOERROR)
        .answer("mbp.alice.members.example. 120 IN AAAA fd00::1")
        .check(handler.answer(query("mbp.alice.members.example.", Type.AAAA), 2_000).message());
    String soa =
        "alice.members.example. 60 IN SOA dns.members.example. hostmaster.members.example. 9 3600 600 1209600 60";
    DnsCase.of("old.alice.members.example.", Type.TXT, Rcode.NXDOMAIN)
        .ns(soa)
        .check(handler.answer(query("old.alice.members.example.", Type.TXT), 2_000).message());
    // Every record of the name expired: the name is gone.
    DnsCase.of("mbp.alice.members.example.", Type.AAAA, Rcode.NXDOMAIN)
        .ns(soa)
        .check(handler.answer(query("mbp.alice.members.example.", Type.AAAA), 5_000).message());
  }

  private static boolean aa(QueryHandler h, String name, int type) throws Exception {
    return h.answer(query(name, type), 1_000).message().getHeader().getFlag(Flags.AA);
  }

  static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(Names.absolute(name), type, DClass.IN));
  }
}
