package net.membersdns.server.update;

import java.util.Objects;
import net.membersdns.protocol.names.HostNames;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Name;

/**
 * One permission of a TSIG key, as stored in PostgreSQL (generated at enrolment, or made by an
 * operator for admin tooling). Data, never code.
 *
 * @param zonePattern an absolute zone apex ({@code alice.members.example.}), or {@code *.} followed
 *     by a domain ({@code *.members.example.}) for every zone strictly below that domain
 * @param permission what the key may do in the matching zones
 * @param host {@code null}, or the host label an {@link Permission#UPDATE} is restricted to: the
 *     key may then write only that host's names in the zone ({@link HostNames#mayWrite}; {@code
 *     host add} makes such grants). Reading is never restricted by it.
 */
public record Grant(String zonePattern, Permission permission, String host) {
  /** What a grant allows. {@link #UPDATE} implies {@link #READ}. */
  public enum Permission {
    /** Query and subscribe (LLQ, RFC 6281 §7.2) to a private zone. */
    READ,
    /** RFC 2136 updates of the member-writable names, and everything READ allows. */
    UPDATE;

    boolean allows(Permission wanted) {
      return this == UPDATE || wanted == READ;
    }
  }

  public Grant {
    Objects.requireNonNull(zonePattern, "zonePattern");
    Objects.requireNonNull(permission, "permission");
    Names.absolute(zonePattern.startsWith("*.") ? zonePattern.substring(2) : zonePattern);
    if (host != null) {
      host = HostNames.label(host);
      if (zonePattern.startsWith("*.")) {
        throw new IllegalArgumentException("a host grant names one zone, not " + zonePattern);
      }
    }
  }

  /** A grant on the whole of the matching zones. */
  public Grant(String zonePattern, Permission permission) {
    this(zonePattern, permission, null);
  }

  /** The grant made at enrolment: a member's key updates its own zone. */
  public static Grant memberZone(Name apex) {
    return new Grant(apex.toString(), Permission.UPDATE);
  }

  /** The update grant {@code host add} makes: host {@code host}'s names in zone {@code apex}. */
  public static Grant hostNames(Name apex, String host) {
    return new Grant(apex.toString(), Permission.UPDATE, host);
  }

  /** Whether this grant covers zone {@code apex} for {@code wanted} (some names, if a host's). */
  public boolean covers(Name apex, Permission wanted) {
    if (!permission.allows(wanted)) {
      return false;
    }
    if (zonePattern.startsWith("*.")) {
      Name parent = Names.absolute(zonePattern.substring(2));
      return apex.subdomain(parent) && !apex.equals(parent);
    }
    return Names.absolute(zonePattern).equals(apex);
  }
}
