package net.membersdns.server.keys;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.auth.TsigKeyring;
import net.membersdns.server.feed.KeyChangeListener;
import net.membersdns.server.update.Grant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The TSIG keys and grants of the store, held in memory for the request path: lookups never block
 * and never touch the database. Reloaded whole when the change feed reports a keys notification
 * (enrolment, member or key removal, from any process) and whenever the sweep finds the stored
 * {@link KeySource#fingerprint} changed, so a removed key stops verifying within the notification
 * latency. The update path does not rely on this alone: it re-reads the signing key's grants inside
 * its commit transaction.
 *
 * <p>Thread-safe: readers see one immutable map; reloads run on the change feed's thread.
 */
public final class KeyCache implements TsigKeyring, KeyChangeListener {
  private static final Logger log = LoggerFactory.getLogger(KeyCache.class);

  private record Snapshot(Map<Name, KeySource.StoredKey> keys, String fingerprint) {}

  private final KeySource source;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), "");
  private volatile Runnable afterChanges = () -> {};
  private volatile boolean reloaded;

  public KeyCache(KeySource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** Loads every key now (start-up, and on notification). Blocks on the store. */
  public void reload() {
    String fingerprint = source.fingerprint();
    Map<Name, KeySource.StoredKey> keys = new HashMap<>();
    for (KeySource.StoredKey k : source.loadAll()) {
      keys.put(k.key().name(), k); // Name equality is case-insensitive
    }
    Snapshot before = snapshot;
    snapshot = new Snapshot(Map.copyOf(keys), fingerprint);
    log.debug("keys: {} loaded", keys.size());
    reloaded = true;
    if (!before.fingerprint().isEmpty()) {
      auditChanges(before.keys(), snapshot.keys());
    }
  }

  /**
   * Grants as {@code key list} words: {@code update *.members.example., read
   * alice.members.example.}.
   */
  private static String grantsText(List<Grant> grants) {
    return grants.stream()
        .map(g ->
            g.permission().name().toLowerCase(java.util.Locale.ROOT)
                + " "
                + g.zonePattern()
                + (g.host() == null ? "" : " (host " + g.host() + ")"))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * One audit line per key this process starts or stops accepting, whoever made the change (a
   * command, another server's host removal): every replica's log shows the keyring it answers with.
   * The first load is the starting state, not a change.
   */
  private static void auditChanges(
      Map<Name, KeySource.StoredKey> before, Map<Name, KeySource.StoredKey> after) {
    after.forEach((name, k) -> {
      if (!before.containsKey(name)) {
        AuditLog.event("key.accepted")
            .with("key", name.toString())
            .with("grants", grantsText(k.grants()))
            .log();
      }
    });
    for (Name name : before.keySet()) {
      if (!after.containsKey(name)) {
        AuditLog.event("key.revoked").with("key", name.toString()).log();
      }
    }
  }

  /**
   * Runs {@code listener} on the change feed's thread after each reload, once the zone changes
   * notified with it were handed on ({@link #keysApplied}): state that a key authorised (LLQs) is
   * checked against the keys now held.
   */
  public void afterChanges(Runnable listener) {
    this.afterChanges = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void keysApplied() {
    if (reloaded) {
      reloaded = false;
      afterChanges.run();
    }
  }

  /** Whether {@code key} is still held as it is: same name, algorithm and secret. */
  public boolean holds(TsigKey key) {
    return lookup(key.name()).filter(key::equals).isPresent();
  }

  @Override
  public Optional<TsigKey> lookup(Name keyName) {
    KeySource.StoredKey k = snapshot.keys().get(keyName);
    return k == null ? Optional.empty() : Optional.of(k.key());
  }

  /** The grants of {@code keyName}; empty for unknown keys. */
  public List<Grant> grants(Name keyName) {
    KeySource.StoredKey k = snapshot.keys().get(keyName);
    return k == null ? List.of() : k.grants();
  }

  public int size() {
    return snapshot.keys().size();
  }

  @Override
  public void keysChanged() {
    reload();
  }

  @Override
  public void sweepKeys() {
    if (!source.fingerprint().equals(snapshot.fingerprint())) {
      log.info("keys: stored keys changed without a notification; reloading");
      reload();
    }
  }
}
