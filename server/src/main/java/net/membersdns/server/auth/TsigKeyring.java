package net.membersdns.server.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Where TSIG keys come from (the store keeps them in PostgreSQL; revoked keys of removed members
 * are simply absent). Implementations must answer from memory without blocking: the verifier runs
 * on the request path.
 */
@FunctionalInterface
public interface TsigKeyring {
  /** The key named {@code keyName} (case-insensitive), or empty if there is none. */
  Optional<TsigKey> lookup(Name keyName);

  /** A fixed keyring, for tests and tools. */
  static TsigKeyring of(TsigKey... keys) {
    Map<Name, TsigKey> byName = new HashMap<>();
    for (TsigKey k : keys) {
      byName.put(k.name(), k); // dnsjava Name equality and hash are case-insensitive
    }
    Map<Name, TsigKey> frozen = Map.copyOf(byName);
    return name -> Optional.ofNullable(frozen.get(name));
  }
}
