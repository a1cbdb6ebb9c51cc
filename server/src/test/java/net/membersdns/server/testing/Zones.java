package net.membersdns.server.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Builds zones from master-file text for tests (records as zone-file text, CoreDNS style). */
public final class Zones {
  public static final Name DOMAIN = Names.absolute("members.example.");

  private Zones() {}

  public static ZoneSettings settings() {
    try {
      return ZoneSettings.defaults(
          DOMAIN,
          List.of(InetAddress.getByName("192.0.2.53"), InetAddress.getByName("2001:db8::53")),
          53,
          853);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses RFC 1035 master-file text with {@code $ORIGIN origin} and default TTL 120. */
  public static List<Record> records(String origin, String text) {
    String file = "$ORIGIN " + origin + "\n$TTL 120\n" + text;
    List<Record> out = new ArrayList<>();
    try (Master m =
        new Master(
            new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
            Names.absolute(origin))) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        out.add(r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return out;
  }

  /** A member zone {@code member.members.example.} with permanent records from {@code text}. */
  public static ZoneData member(String member, long serial, String text) {
    String apex = member + ".members.example.";
    List<ZoneRecord> rs = records(apex, text).stream().map(ZoneRecord::permanent).toList();
    return ZoneData.build(new ZoneContent(Names.absolute(apex), member, serial, 1, rs), settings());
  }

  /** The members domain zone itself with records from {@code text}. */
  public static ZoneData domain(long serial, String text) {
    List<ZoneRecord> rs =
        records(DOMAIN.toString(), text).stream().map(ZoneRecord::permanent).toList();
    return ZoneData.build(new ZoneContent(DOMAIN, null, serial, 1, rs), settings());
  }

  public static ServedZones served(ZoneData... zones) {
    ServedZones s = new ServedZones();
    for (ZoneData z : zones) {
      s.put(z);
    }
    return s;
  }
}
