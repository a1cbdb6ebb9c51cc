package net.membersdns.server.member;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Name;

/**
 * Member names and the names derived from them. A member name is one DNS label of letters, digits
 * and hyphens (RFC 1035 §2.3.1, RFC 1123 §2.1), stored lower-case; some labels are reserved because
 * the domain zone uses them.
 */
public final class MemberNames {
  /**
   * Labels no member may take: {@code dns} (the server's own host name, ZoneSettings.defaults),
   * {@code key} (key names live under {@code key.<domain>}) and {@code hostmaster} (the SOA RNAME).
   */
  public static final Set<String> DEFAULT_RESERVED = Set.of("dns", "key", "hostmaster");

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private MemberNames() {}

  /**
   * The canonical (lower-case) member name.
   *
   * @throws IllegalArgumentException with a readable reason when {@code name} is not allowed
   */
  public static String validate(String name, Set<String> reserved) {
    String n = name.toLowerCase(Locale.ROOT);
    if (!LABEL.matcher(n).matches()) {
      throw new IllegalArgumentException(
          "member name '"
              + name
              + "' must be one DNS label: letters, digits and inner hyphens, at most 63");
    }
    if (reserved.contains(n)) {
      throw new IllegalArgumentException("member name '" + n + "' is reserved");
    }
    return n;
  }

  /** Whether {@code label} would be accepted by {@link #validate}. */
  public static boolean isValid(String label, Set<String> reserved) {
    return LABEL.matcher(label).matches() && !reserved.contains(label);
  }

  /** The member's zone apex, {@code NAME.<domain>}. */
  public static Name zone(String member, Name domain) {
    return Names.child(member, domain);
  }

  /**
   * The member's TSIG key name, {@code NAME.key.<domain>}: inside the domain, never inside any
   * member zone ({@code key} is reserved), and readable at a glance in server logs.
   */
  public static Name keyName(String member, Name domain) {
    return Names.child(member, Names.child("key", domain));
  }

  /**
   * The TSIG key name of host {@code host} of {@code member}, {@code HOST.MEMBER.key.<domain>}:
   * below the member's key name, so logs show whose host it is, and outside every zone like it.
   */
  public static Name hostKeyName(String member, String host, Name domain) {
    return Names.child(host, keyName(member, domain));
  }
}
