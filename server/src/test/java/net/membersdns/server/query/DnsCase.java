package net.membersdns.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.membersdns.server.testing.Zones;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One row of an answer table (CoreDNS's test.Case): question, expected rcode and the expected
 * sections as zone-file lines, compared order-independently.
 */
record DnsCase(
    String qname,
    int qtype,
    int rcode,
    List<String> answer,
    List<String> authority,
    List<String> additional) {

  static DnsCase of(String qname, int qtype, int rcode) {
    return new DnsCase(qname, qtype, rcode, List.of(), List.of(), List.of());
  }

  DnsCase answer(String... lines) {
    return new DnsCase(qname, qtype, rcode, List.of(lines), authority, additional);
  }

  DnsCase ns(String... lines) {
    return new DnsCase(qname, qtype, rcode, answer, List.of(lines), additional);
  }

  DnsCase extra(String... lines) {
    return new DnsCase(qname, qtype, rcode, answer, authority, List.of(lines));
  }

  void check(Message response) {
    assertThat(Rcode.string(response.getRcode()))
        .as("rcode of " + this)
        .isEqualTo(Rcode.string(rcode));
    assertThat(text(response, Section.ANSWER))
        .as("answer of " + this)
        .containsExactlyInAnyOrderElementsOf(norm(answer));
    assertThat(text(response, Section.AUTHORITY))
        .as("authority of " + this)
        .containsExactlyInAnyOrderElementsOf(norm(authority));
    assertThat(text(response, Section.ADDITIONAL))
        .as("additional of " + this)
        .containsExactlyInAnyOrderElementsOf(norm(additional));
  }

  private static List<String> text(Message m, int section) {
    return m.getSection(section).stream()
        .filter(r -> r.getType() != Type.OPT)
        .map(Record::toString)
        .map(DnsCase::squeeze)
        .toList();
  }

  /** Expected lines go through the same parser and printer as the actual records. */
  private static List<String> norm(List<String> lines) {
    return lines.stream()
        .map(l -> Zones.records(".", l).get(0).toString())
        .map(DnsCase::squeeze)
        .toList();
  }

  private static String squeeze(String s) {
    return String.join(" ", Arrays.asList(s.trim().split("\\s+"))).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return qname + "/" + Type.string(qtype);
  }
}
