package net.membersdns.server.update;

import java.util.Objects;
import net.membersdns.server.zone.ZoneData;

/** Outcome of the zone section check ({@link ZoneSectionCheck}). */
public sealed interface ZoneSection permits ZoneSection.Served, Rejection {

  /** The update names a zone we serve, whose current version is {@code zone}. */
  record Served(ZoneData zone) implements ZoneSection {
    public Served {
      Objects.requireNonNull(zone, "zone");
    }
  }
}
