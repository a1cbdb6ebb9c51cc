package net.membersdns.agent.tunnel;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoint chosen for one peer and why, as {@link EndpointChoice} decides it.
 *
 * @param kind which rule chose it (stable, for JSON status and metrics)
 * @param endpoint the endpoint to configure; empty for {@link Kind#NONE}
 * @param why one sentence for people, naming the host and the addresses
 */
public record PathChoice(Kind kind, Optional<InetSocketAddress> endpoint, String why) {
  public PathChoice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(why, "why");
    if (endpoint.isEmpty() != (kind == Kind.NONE)) {
      throw new IllegalArgumentException(kind + " and endpoint " + endpoint + " disagree");
    }
  }

  /** The rules, in the order they are tried. */
  public enum Kind {
    /** Same public address as ours: its LAN endpoint (home NATs rarely hairpin). */
    LAN("lan"),
    /** Same public address but no LAN endpoint published: the public one, hoping for hairpin. */
    PUBLIC_HAIRPIN("public-hairpin"),
    /** Its public endpoint (its mapping, or its own public address). */
    PUBLIC("public"),
    /** No endpoint: it can still reach us, and WireGuard learns its endpoint from that. */
    NONE("none");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
