package net.membersdns.server.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.zone.Names;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;

class ImportPlanTest {
  private static List<Record> parse(String text) throws Exception {
    List<Record> out = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        out.add(r);
      }
    }
    return out;
  }

  @Test
  void splitsTheDomainIntoMemberZones() throws Exception {
    List<Record> records =
        parse(
            """
            $ORIGIN members.example.
            $TTL 300
            @ IN SOA ns1 hostmaster 1 3600 600 604800 60
            @ IN NS ns1
            ns1 IN A 192.0.2.1
            dns IN A 192.0.2.2
            mbp.Alice IN AAAA fd00::1
            alice IN NS ns1
            alice IN TXT "apex data stays with alice"
            _autotunnel._udp.mbp.alice 60 IN SRV 0 0 4500 mbp.alice
            host.dns IN A 192.0.2.3
            bob IN TXT "bob has nothing below: domain zone"
            carol IN TXT "carol is a member already"
            www.other.example. IN A 192.0.2.9
            """);
    ImportPlan plan =
        ImportPlan.of(
            records,
            Names.absolute("members.example."),
            Set.of("carol"),
            MemberNames.DEFAULT_RESERVED);
    assertThat(plan.newMembers).containsExactly("alice");
    assertThat(plan.byZone.get("alice.members.example."))
        .extracting(r -> r.getName().toString().toLowerCase())
        .containsExactly(
            "mbp.alice.members.example.",
            "alice.members.example.",
            "_autotunnel._udp.mbp.alice.members.example.");
    assertThat(plan.byZone.get("members.example."))
        .extracting(r -> r.getName().toString())
        .containsExactly(
            "ns1.members.example.",
            "dns.members.example.",
            "host.dns.members.example.",
            "bob.members.example.");
    assertThat(plan.byZone.get("carol.members.example.")).hasSize(1);
    assertThat(plan.synthesised).isEqualTo(3); // domain SOA + NS, alice's apex NS
    assertThat(plan.outside).isEqualTo(1);
    assertThat(plan.read).isEqualTo(12);
  }
}
