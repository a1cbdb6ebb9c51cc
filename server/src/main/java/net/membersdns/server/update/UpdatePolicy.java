package net.membersdns.server.update;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.membersdns.protocol.names.HostNames;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 2136 §3.3 permission check (docs/architecture.md, Keys and access): who may write what. Every
 * refusal is REFUSED.
 *
 * <ul>
 *   <li>Unsigned updates are refused, whatever the zone: nothing is keyed on source address.
 *   <li>The signing key needs a {@link Grant} with {@link Grant.Permission#UPDATE} for the zone.
 *   <li>No key may touch the apex SOA or NS (synthesised by the server), nor any other name the
 *       server synthesises ({@link ZoneData#isSynthesised}: the {@code _dns-*} discovery names, the
 *       server's own name). Other types at the apex are allowed; a delete of all RRsets at the apex
 *       leaves SOA and NS alone (RFC 2136 §3.4.2.3).
 *   <li>A key whose only UPDATE grants on the zone are host grants ({@link Grant#host}) may make an
 *       update only if every update RR is one {@link HostNames#mayWrite} allows one of those hosts:
 *       its own names, its DNS-SD instances, one PTR to its names at a service type name. One RR
 *       outside them refuses the whole update (RFC 2136 §3.3: the permission check comes before
 *       anything is applied). Prerequisites are not restricted: they read, and the key reads the
 *       whole zone.
 * </ul>
 */
public final class UpdatePolicy {
  private final Function<Name, List<Grant>> grantsOfKey;

  /**
   * @param grantsOfKey the grants of a key by key name (empty for unknown or revoked keys); must
   *     answer from memory
   */
  public UpdatePolicy(Function<Name, List<Grant>> grantsOfKey) {
    this.grantsOfKey = Objects.requireNonNull(grantsOfKey, "grantsOfKey");
  }

  /**
   * @param keyName the name of the verified TSIG key, or empty for an unsigned request
   * @param updates the update section (already prescanned or not: names outside the zone are left
   *     to the prescan)
   */
  public UpdateVerdict authorize(Optional<Name> keyName, ZoneData zone, List<Record> updates) {
    if (keyName.isEmpty()) {
      return new Rejection(Rcode.REFUSED, "unsigned update to " + zone.apex());
    }
    List<Grant> updating = covering(keyName.get(), zone.apex(), Grant.Permission.UPDATE);
    if (updating.isEmpty()) {
      return new Rejection(
          Rcode.REFUSED, "key " + keyName.get() + " may not update " + zone.apex());
    }
    boolean wholeZone = updating.stream().anyMatch(g -> g.host() == null);
    for (Record rr : updates) {
      Name name = rr.getName();
      int type = rr.getType();
      if (name.equals(zone.apex())) {
        if (type == Type.SOA || type == Type.NS) {
          return new Rejection(Rcode.REFUSED, "apex " + Type.string(type) + " is not writable");
        }
      } else if (zone.isSynthesised(name)) {
        return new Rejection(Rcode.REFUSED, "synthesised name is not writable: " + name);
      }
      // Names outside the zone are the prescan's NOTZONE (RFC 2136 §3.4.1.1), not a refusal.
      if (!wholeZone && name.subdomain(zone.apex()) && !anyHostMayWrite(updating, zone, rr)) {
        return new Rejection(
            Rcode.REFUSED,
            "key "
                + keyName.get()
                + " of host "
                + hosts(updating)
                + " may not write "
                + name
                + " "
                + Type.string(type)
                + " ("
                + DClass.string(rr.getDClass())
                + ")");
      }
    }
    return UpdateVerdict.ACCEPTED;
  }

  private static boolean anyHostMayWrite(List<Grant> hostGrants, ZoneData zone, Record rr) {
    for (Grant g : hostGrants) {
      if (HostNames.mayWrite(zone.apex(), g.host(), rr)) {
        return true;
      }
    }
    return false;
  }

  private static String hosts(List<Grant> hostGrants) {
    return hostGrants.stream().map(Grant::host).distinct().collect(Collectors.joining(", "));
  }

  /**
   * Whether {@code keyName} has an UPDATE grant on zone {@code apex} at all: the request path asks
   * this before queueing, so keys without any right to a zone never reach its writer or learn its
   * state through prerequisite answers.
   */
  public boolean mayUpdate(Optional<Name> keyName, Name apex) {
    return keyName.isPresent() && granted(keyName.get(), apex, Grant.Permission.UPDATE);
  }

  /** Whether {@code keyName} may read (query, LLQ) zone {@code apex}; for private zones. */
  public boolean mayRead(Optional<Name> keyName, Name apex) {
    return keyName.isPresent() && granted(keyName.get(), apex, Grant.Permission.READ);
  }

  private boolean granted(Name keyName, Name apex, Grant.Permission wanted) {
    return !covering(keyName, apex, wanted).isEmpty();
  }

  /** The grants of {@code keyName} that cover {@code apex} for {@code wanted}. */
  private List<Grant> covering(Name keyName, Name apex, Grant.Permission wanted) {
    return grantsOfKey.apply(keyName).stream().filter(g -> g.covers(apex, wanted)).toList();
  }
}
