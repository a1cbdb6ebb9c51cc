package net.membersdns.server.request;

import java.util.Locale;
import org.xbill.DNS.Opcode;

/**
 * What a request asks for, as the dispatcher routed it: the {@code kind} tag of {@code
 * dns.requests}. A QUERY carrying an LLQ option (RFC 8764 §5) is {@link #LLQ}.
 */
public enum RequestKind {
  QUERY,
  UPDATE,
  LLQ,
  NOTIFY,
  OTHER;

  /** The kind of a request with this opcode (before any LLQ option is looked at). */
  public static RequestKind of(int opcode) {
    return switch (opcode) {
      case Opcode.QUERY -> QUERY;
      case Opcode.UPDATE -> UPDATE;
      case Opcode.NOTIFY -> NOTIFY;
      default -> OTHER;
    };
  }

  /** Lower-case name used as the {@code kind} metric tag. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
