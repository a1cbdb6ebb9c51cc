package net.membersdns.server.update;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Zones and records written as zone-file text relative to {@code alice.members.example.}. */
final class Fixtures {
  private Fixtures() {}

  static final Name DOMAIN = Names.absolute("members.example.");
  static final Name APEX = Names.absolute("alice.members.example.");
  static final ZoneSettings SETTINGS =
      ZoneSettings.defaults(DOMAIN, List.of(InetAddress.getLoopbackAddress()), 53, 853);

  /** "now" in tests, epoch ms. */
  static final long NOW = 1_700_000_000_000L;

  /** A name relative to the apex; "@" is the apex. */
  static Name name(String relative) {
    if (relative.equals("@")) {
      return APEX;
    }
    if (relative.endsWith(".")) {
      return Names.absolute(relative);
    }
    return Names.absolute(relative + "." + APEX);
  }

  /**
   * {@code "owner ttl class type rdata..."}; class is IN, ANY or NONE; rdata may be empty (an
   * RDLENGTH 0 record as in update messages).
   */
  static Record rr(String text) {
    String[] f = text.trim().split("\\s+", 5);
    Name owner = name(f[0]);
    long ttl = Long.parseLong(f[1]);
    int dclass = DClass.value(f[2]);
    int type = Type.value(f[3]);
    if (f.length < 5) {
      return Record.newRecord(owner, type, dclass, ttl);
    }
    try {
      return Record.fromString(owner, type, dclass, ttl, f[4], APEX);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static List<Record> rrs(String... texts) {
    List<Record> out = new ArrayList<>();
    for (String t : texts) {
      out.add(rr(t));
    }
    return out;
  }

  /**
   * A stored row: {@code "+S rr"} expires S seconds after NOW (negative: expired), else permanent.
   */
  static ZoneRecord row(String text) {
    String t = text.trim();
    if (t.startsWith("+") || t.startsWith("-")) {
      int space = t.indexOf(' ');
      long seconds = Long.parseLong(t.substring(0, space));
      return new ZoneRecord(rr(t.substring(space + 1)), NOW + seconds * 1000);
    }
    return ZoneRecord.permanent(rr(t));
  }

  static ZoneData zone(long serial, String... rows) {
    List<ZoneRecord> stored = new ArrayList<>();
    for (String r : rows) {
      stored.add(row(r));
    }
    return ZoneData.build(new ZoneContent(APEX, "alice", serial, 7, stored), SETTINGS);
  }

  static ZoneData domainZone() {
    return ZoneData.build(new ZoneContent(DOMAIN, null, 1, 1, List.of()), SETTINGS);
  }

  static Name abs(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
