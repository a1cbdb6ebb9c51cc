package net.membersdns.server.update;

import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** Read helpers over the live (unexpired) data of a {@link ZoneData}, synthesised data included. */
final class ZoneView {
  private ZoneView() {}

  /** RFC 2136 §2.4.4 "name is in use": at least one live RR owned by {@code name}. */
  static boolean nameInUse(ZoneData zone, Name name, long nowMillis) {
    ZoneData.Node node = zone.node(name);
    if (node == null) {
      return false;
    }
    for (ZoneData.Entry entry : node.rrsets().values()) {
      if (entry.live(nowMillis) != null) {
        return true;
      }
    }
    return false;
  }

  /** The live RRset of {@code type} at {@code name}, or {@code null}. */
  static RRset liveRRset(ZoneData zone, Name name, int type, long nowMillis) {
    ZoneData.Node node = zone.node(name);
    if (node == null) {
      return null;
    }
    ZoneData.Entry entry = node.get(type);
    return entry == null ? null : entry.live(nowMillis);
  }
}
