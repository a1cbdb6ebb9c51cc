package net.membersdns.agent.diagnosis;

import java.util.Objects;

/**
 * What the agent concluded about one part of its path to the world, as data ({@link #kind}, stable
 * for scripts and metrics) and in plain words for the person reading {@code status} or the log.
 *
 * @param kind the finding
 * @param words one sentence for people, naming addresses, codes and what to do where it can
 */
public record Diagnosis(Kind kind, String words) {
  public Diagnosis {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(words, "words");
  }

  /** The findings; {@link #id()} is the stable spelling in JSON status and metric tags. */
  public enum Kind {
    /** Not looked yet. */
    UNKNOWN("unknown", false),
    /** A port is mapped on the gateway: peers can reach us at the external address. */
    MAPPED("mapped", false),
    /** The host has a public IPv4 address itself: nothing to map. */
    PUBLIC_ADDRESS("public-address", false),
    /** No IPv4 default route: no gateway to ask. */
    NO_GATEWAY("no-gateway", true),
    /** The gateway answers neither PCP nor NAT-PMP. */
    NO_PORT_MAPPING_PROTOCOL("no-port-mapping-protocol", true),
    /** The gateway's external address is private (RFC 1918): another NAT sits behind it. */
    DOUBLE_NAT("double-nat", true),
    /** The gateway's external address is in 100.64.0.0/10 (RFC 6598): the ISP's NAT. */
    CARRIER_GRADE_NAT("carrier-grade-nat", true),
    /** The gateway answered the mapping request with an error result (named in the words). */
    MAPPING_REFUSED("mapping-refused", true),
    /** The records are registered and their lease is current. */
    REGISTERED("registered", false),
    /** The server cannot be reached (address, port, or no route). */
    SERVER_UNREACHABLE("server-unreachable", true),
    /** The TLS handshake failed: untrusted chain or a name that does not match. */
    TLS_FAILURE("tls-failure", true),
    /** The server answered REFUSED (policy) or another error rcode. */
    UPDATE_REFUSED("update-refused", true),
    /** The server answered NOTAUTH with a TSIG error (BADKEY, BADSIG, BADTIME). */
    NOT_AUTHORIZED("not-authorized", true);

    private final String id;
    private final boolean problem;

    Kind(String id, boolean problem) {
      this.id = id;
      this.problem = problem;
    }

    public String id() {
      return id;
    }

    /** Whether this stands in the way of being reachable. */
    public boolean problem() {
      return problem;
    }
  }

  public static Diagnosis unknown() {
    return new Diagnosis(Kind.UNKNOWN, "not checked yet");
  }
}
