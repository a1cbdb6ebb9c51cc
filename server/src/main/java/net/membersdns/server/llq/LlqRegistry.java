package net.membersdns.server.llq;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.request.Transport;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Every live LLQ of this process, by LLQ-ID and by question name, with the limits of RFC 8764 §3.2
 * SERV-FULL (RFC 8764 §3.2): per TSIG key, per client address and in total.
 *
 * <p>Thread-safe and non-blocking apart from short per-key map updates: called on event loops (the
 * handler), on the notifier thread and by the sweeper. LLQ-IDs come from a {@link SecureRandom}
 * (docs/architecture.md, Apple client notes: the Apple client accepts any event carrying the right
 * ID, so IDs must not be guessable).
 */
public final class LlqRegistry {
  private static final LlqSession[] NONE = new LlqSession[0];

  private final LlqConfig config;
  private final LlqMetrics metrics;
  private final RandomGenerator ids;
  private final ConcurrentHashMap<Long, LlqSession> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Name, LlqSession[]> byName = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Name, Integer> perKey = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger established = new AtomicInteger();
  private volatile Consumer<LlqSession> onDelete = s -> {};

  /**
   * @param ids source of LLQ-IDs: a {@link SecureRandom} in production
   */
  public LlqRegistry(LlqConfig config, LlqMetrics metrics, RandomGenerator ids) {
    this.config = Objects.requireNonNull(config, "config");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /** Told of every deletion (after it happened), e.g. to drop the LLQ's pending events. */
  void onDelete(Consumer<LlqSession> listener) {
    this.onDelete = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Creates and registers an LLQ, or returns {@code null} when a limit is reached (SERV-FULL).
   *
   * @param key the verified TSIG key, or {@code null} for an unsigned setup (public zone)
   */
  LlqSession create(
      Record question,
      InetSocketAddress from,
      TsigKey key,
      Transport transport,
      LlqState state,
      long leaseSeconds,
      long expiresAtMillis) {
    InetAddress client = from.getAddress();
    if (!admit(client, key == null ? null : key.name())) {
      return null;
    }
    question = shared(question);
    LlqSession s;
    while (true) {
      long id = ids.nextLong();
      if (id == 0) {
        continue; // 0 means "no LLQ yet" in a setup request (RFC 8764 §5.1)
      }
      s = new LlqSession(id, question, from, key, transport, state, leaseSeconds, expiresAtMillis);
      if (byId.putIfAbsent(id, s) == null) {
        break;
      }
    }
    LlqSession created = s;
    byName.compute(
        question.getName(),
        (k, arr) -> {
          LlqSession[] a = arr == null ? NONE : arr;
          LlqSession[] out = Arrays.copyOf(a, a.length + 1);
          out[a.length] = created;
          return out;
        });
    if (state == LlqState.ESTABLISHED) {
      established.incrementAndGet();
    }
    return s;
  }

  /**
   * {@code question}, or an equal one an LLQ on the same name already holds: the subscribers of a
   * name then share one question record and its name (about 110 bytes of heap each). Equal means
   * byte for byte, letter case too: each LLQ's events echo its question in the client's case (RFC
   * 8764 §6).
   */
  private Record shared(Record question) {
    LlqSession[] same = byName.get(question.getName());
    if (same != null) {
      byte[] wire = question.getName().toWire();
      for (LlqSession other : same) {
        Record q = other.question();
        if (q.getType() == question.getType()
            && q.getDClass() == question.getDClass()
            && Arrays.equals(q.getName().toWire(), wire)) {
          return q;
        }
      }
    }
    return question;
  }

  private boolean admit(InetAddress client, Name keyName) {
    if (total.incrementAndGet() > config.maxTotal()) {
      total.decrementAndGet();
      return false;
    }
    if (!increment(perAddress, client, config.maxPerAddress())) {
      total.decrementAndGet();
      return false;
    }
    if (keyName != null && !increment(perKey, keyName, config.maxPerKey())) {
      decrement(perAddress, client);
      total.decrementAndGet();
      return false;
    }
    return true;
  }

  private static <K> boolean increment(ConcurrentHashMap<K, Integer> counts, K k, int max) {
    boolean[] ok = {false};
    counts.compute(
        k,
        (key, n) -> {
          int c = n == null ? 0 : n;
          if (c >= max) {
            return n;
          }
          ok[0] = true;
          return c + 1;
        });
    return ok[0];
  }

  private static <K> void decrement(ConcurrentHashMap<K, Integer> counts, K k) {
    counts.computeIfPresent(k, (key, n) -> n <= 1 ? null : n - 1);
  }

  /** Marks {@code s} established (after a challenge response) and counts it. */
  void established(LlqSession s, long lease, long expiresAtMillis) {
    if (s.establish(lease, expiresAtMillis)) {
      established.incrementAndGet();
    }
  }

  /** The LLQ with {@code id}, or {@code null}. */
  public LlqSession find(long id) {
    return byId.get(id);
  }

  /**
   * The LLQ set up from {@code from} (address and port) for {@code question}, or {@code null}: a
   * repeated setup request. Unlike later messages, which carry the LLQ-ID, a setup is matched with
   * its port too (dnsextd; docs/architecture.md, Apple client notes), or two hosts behind one NAT
   * asking the same question would take each other's LLQ.
   */
  LlqSession findFor(InetSocketAddress from, Record question) {
    for (LlqSession s : subscribers(question.getName())) {
      if (s.setupFrom().equals(from) && s.sameClient(from.getAddress(), question)) {
        return s;
      }
    }
    return null;
  }

  /** Every LLQ whose question name is {@code name} (any state); never {@code null}. */
  public LlqSession[] subscribers(Name name) {
    LlqSession[] a = byName.get(name);
    return a == null ? NONE : a;
  }

  /** Every LLQ whose question is at or below {@code apex} (a zone went away). */
  List<LlqSession> under(Name apex) {
    List<LlqSession> out = new ArrayList<>();
    for (LlqSession s : byId.values()) {
      if (s.qname().subdomain(apex)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Deletes {@code s} (idempotent) and counts it under {@code reason}.
   *
   * @return whether this call deleted it
   */
  public boolean remove(LlqSession s, String reason) {
    LlqState was = s.markDeleted();
    if (was == null) {
      return false;
    }
    byId.remove(s.id(), s);
    byName.computeIfPresent(
        s.qname(),
        (k, arr) -> {
          int i = Arrays.asList(arr).indexOf(s);
          if (i < 0) {
            return arr;
          }
          if (arr.length == 1) {
            return null;
          }
          LlqSession[] out = new LlqSession[arr.length - 1];
          System.arraycopy(arr, 0, out, 0, i);
          System.arraycopy(arr, i + 1, out, i, arr.length - i - 1);
          return out;
        });
    decrement(perAddress, s.client());
    if (s.keyName() != null) {
      decrement(perKey, s.keyName());
    }
    total.decrementAndGet();
    if (was == LlqState.ESTABLISHED) {
      established.decrementAndGet();
    }
    metrics.deleted(reason);
    onDelete.accept(s);
    return true;
  }

  /** Every LLQ set up with a key that {@code held} rejects (unsigned LLQs have none). */
  List<LlqSession> keyedNotBy(Predicate<TsigKey> held) {
    List<LlqSession> out = new ArrayList<>();
    for (LlqSession s : byId.values()) {
      if (s.key() != null && !held.test(s.key())) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Deletes every LLQ whose lease (or unanswered challenge) ran out at {@code nowMillis}.
   *
   * @return how many were deleted
   */
  public int sweep(long nowMillis) {
    return sweep(all(), nowMillis, Integer.MAX_VALUE);
  }

  /**
   * Every live LLQ, for a sweep in slices ({@link #sweep(Iterator, long, int)}): weakly consistent,
   * so LLQs may come and go while it is held.
   */
  Iterator<LlqSession> all() {
    return byId.values().iterator();
  }

  /**
   * Looks at up to {@code max} more LLQs of {@code cursor} and deletes those whose lease (or
   * unanswered challenge) ran out at {@code nowMillis}.
   *
   * @return how many were deleted
   */
  int sweep(Iterator<LlqSession> cursor, long nowMillis, int max) {
    int n = 0;
    for (int i = 0; i < max && cursor.hasNext(); i++) {
      LlqSession s = cursor.next();
      if (s.expiresAtMillis() <= nowMillis && remove(s, "expired")) {
        n++;
      }
    }
    return n;
  }

  /**
   * Deletes every LLQ, counted under {@code reason} (the server stopping).
   *
   * @return how many were deleted
   */
  public int removeAll(String reason) {
    int n = 0;
    for (LlqSession s : byId.values()) {
      if (remove(s, reason)) {
        n++;
      }
    }
    return n;
  }

  /** Live LLQs, challenged or established. */
  public int size() {
    return total.get();
  }

  public int established() {
    return established.get();
  }

  /** Live LLQs of {@code client} (for tests and diagnostics). */
  int countFor(InetAddress client) {
    return perAddress.getOrDefault(client, 0);
  }
}
