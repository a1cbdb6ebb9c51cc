package net.membersdns.server.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.membersdns.server.testing.GoldenZones;
import net.membersdns.server.update.PrerequisiteCheck;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What the readers other than queries see of {@link ZoneData} (update prerequisites, LLQ answers,
 * the update policy, the lease alarm, metrics), over {@link GoldenZones}, compared with {@code
 * golden/zone-model.txt}; and the stored records round trip exactly (RFC 2136 updates and the
 * change diff start from them).
 */
class ZoneModelGoldenTest {
  private static final int[] TYPES = {
    Type.A, Type.AAAA, Type.SRV, Type.TXT, Type.MX, Type.NS, Type.SOA, Type.CNAME, Type.CAA, 65400
  };

  @Test
  void readsAreTheGoldenOnes() {
    ServedZones served = GoldenZones.served();
    List<String> out = new ArrayList<>();
    for (ZoneData z : GoldenZones.zones()) {
      out.add(
          "zone "
              + z.apex()
              + " member="
              + z.member()
              + " serial="
              + z.serial()
              + " generation="
              + z.generation()
              + " size="
              + z.size()
              + " earliest="
              + z.earliestExpiry()
              + " delegations="
              + z.delegations().stream().map(Name::toString).sorted().toList());
      out.add("  soa " + z.soa() + " " + GoldenZones.hex(z.soa().toWire(Section.ANSWER)));
    }
    for (long now : new long[] {GoldenZones.NOW, GoldenZones.LATER}) {
      for (Name name : GoldenZones.names()) {
        ZoneData z = served.findZone(name);
        if (z == null) {
          out.add(name + " no zone");
          continue;
        }
        describe(out, z, name, now);
      }
    }
    GoldenZones.compare("zone-model.txt", out);
  }

  private static void describe(List<String> out, ZoneData z, Name name, long now) {
    String at = name + " @" + (now == GoldenZones.NOW ? "now" : "later") + " in " + z.apex();
    ZoneData.Node node = z.node(name);
    out.add(
        at
            + " node="
            + (node != null)
            + " types="
            + (node == null ? 0 : node.size())
            + " hasLive="
            + (node != null && node.hasLiveData(now))
            + " inUse="
            + z.nameInUse(name, now)
            + " synthesised="
            + z.isSynthesised(name));
    if (node == null) {
      return;
    }
    for (Map.Entry<Integer, RRset> e : node.liveRRsets(now).entrySet()) {
      out.add("  all " + Type.string(e.getKey()) + " " + render(e.getValue()));
    }
    for (int type : TYPES) {
      RRset live = node.live(type, now);
      RRset same = z.liveRRset(name, type, now);
      assertThat(render(same)).isEqualTo(render(live));
      if (live != null) {
        out.add("  " + Type.string(type) + " " + render(live));
      }
      if (live == null && type != Type.A) {
        continue;
      }
      for (List<Record> prereq : prerequisites(name, type, live)) {
        out.add(
            "  prereq "
                + prereq.stream().map(Record::toString).toList()
                + " -> "
                + PrerequisiteCheck.check(z, prereq, now));
      }
    }
    for (List<Record> prereq : prerequisites(name, Type.ANY, null)) {
      out.add(
          "  prereq "
              + prereq.stream().map(Record::toString).toList()
              + " -> "
              + PrerequisiteCheck.check(z, prereq, now));
    }
  }

  /** RFC 2136 §2.4.1–2.4.5: each kind of prerequisite on {@code name}/{@code type}. */
  private static List<List<Record>> prerequisites(Name name, int type, RRset live) {
    List<List<Record>> out = new ArrayList<>();
    out.add(List.of(Record.newRecord(name, type, DClass.ANY, 0)));
    out.add(List.of(Record.newRecord(name, type, DClass.NONE, 0)));
    if (live != null) {
      List<Record> exact = new ArrayList<>();
      for (Record r : live.rrs(false)) {
        // RFC 2136 §2.4.2: TTL 0, the owner as the client spells it.
        exact.add(Record.newRecord(name, r.getType(), r.getDClass(), 0, r.rdataToWireCanonical()));
      }
      out.add(exact);
      if (exact.size() > 1) {
        out.add(exact.subList(0, 1));
      }
    }
    return out;
  }

  private static String render(RRset set) {
    if (set == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    for (Record r : set.rrs(false)) {
      b.append('[').append(r).append(' ').append(GoldenZones.hex(r.toWire(Section.ANSWER)));
      b.append(']');
    }
    return b.toString();
  }

  @Test
  void storedRecordsRoundTrip() {
    List<String> out = new ArrayList<>();
    for (ZoneData z : GoldenZones.zones()) {
      out.add("zone " + z.apex());
      for (ZoneRecord zr : z.storedRecords()) {
        out.add(
            "  "
                + zr.record()
                + " "
                + GoldenZones.hex(zr.record().toWire(Section.ANSWER))
                + " expires="
                + zr.leaseExpiresMillis());
      }
    }
    GoldenZones.compare("stored-records.txt", out);
  }

  @Test
  void storedRecordsAreTheRecordsGiven() {
    for (ZoneData z : GoldenZones.zones()) {
      ZoneData again =
          ZoneData.build(
              new ZoneContent(z.apex(), z.member(), z.serial(), z.generation(), z.storedRecords()),
              net.membersdns.server.testing.Zones.settings());
      assertThat(again.storedRecords()).isEqualTo(z.storedRecords());
    }
  }
}
