package net.membersdns.server.importer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.membersdns.server.member.MemberNames;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Which zone each record of a master file goes to. Pure: no I/O.
 *
 * <p>The rule: label {@code L} directly under the domain is a member when the file has a record
 * strictly below {@code L.<domain>} (hosts live below the member apex) or {@code L} is a member
 * already, and {@code L} is a valid, unreserved member name. Records at or below a member's apex go
 * to the member's zone; every other record inside the domain (e.g. {@code ns1.<domain> A}) goes to
 * the domain zone. SOA and NS at either kind of apex are skipped: the server synthesises them.
 * Records outside the domain are skipped.
 */
final class ImportPlan {
  /** Records by zone apex (canonical text), members' zones first-seen order; domain zone too. */
  final Map<String, List<Record>> byZone = new LinkedHashMap<>();

  /** Member labels the file implies that are not members yet. */
  final List<String> newMembers = new ArrayList<>();

  int outside;
  int synthesised;
  int read;

  static ImportPlan of(
      Collection<Record> records, Name domain, Set<String> existing, Set<String> reserved) {
    ImportPlan plan = new ImportPlan();
    Set<String> members = new HashSet<>(existing);
    int apexLabels = domain.labels();
    for (Record r : records) {
      Name n = r.getName();
      if (n.labels() > apexLabels + 1 && n.subdomain(domain)) {
        String label = memberLabel(n, apexLabels);
        if (MemberNames.isValid(label, reserved) && members.add(label)) {
          plan.newMembers.add(label);
        }
      }
    }
    String domainApex = domain.canonicalize().toString();
    for (Record r : records) {
      plan.read++;
      Name n = r.getName();
      if (!n.subdomain(domain)) {
        plan.outside++;
        continue;
      }
      String zone = domainApex;
      boolean atApex = n.labels() == apexLabels;
      if (n.labels() > apexLabels) {
        String label = memberLabel(n, apexLabels);
        if (members.contains(label)) {
          zone = label + "." + domainApex;
          atApex = n.labels() == apexLabels + 1;
        }
      }
      if (atApex && (r.getType() == Type.SOA || r.getType() == Type.NS)) {
        plan.synthesised++;
        continue;
      }
      plan.byZone.computeIfAbsent(zone, k -> new ArrayList<>()).add(r);
    }
    return plan;
  }

  /** The label directly under the domain, lower-cased. */
  private static String memberLabel(Name n, int apexLabels) {
    return n.getLabelString(n.labels() - apexLabels - 1).toLowerCase(Locale.ROOT);
  }

  int recordCount() {
    return byZone.values().stream().mapToInt(List::size).sum();
  }
}
