package net.membersdns.server.keys;

import java.util.List;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.update.Grant;

/** Where the {@link KeyCache} loads keys from (PostgreSQL's {@code tsig_keys} and grants). */
public interface KeySource {
  /** One key and what it may do. */
  record StoredKey(TsigKey key, List<Grant> grants) {
    public StoredKey {
      grants = List.copyOf(grants);
    }
  }

  /** Every usable key (keys of an algorithm we do not implement are left out). */
  List<StoredKey> loadAll();

  /** Changes whenever a key or grant is added or removed; cheap. */
  String fingerprint();
}
