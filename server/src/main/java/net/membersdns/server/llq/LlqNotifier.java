package net.membersdns.server.llq;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.feed.ZoneChange;
import net.membersdns.server.feed.ZoneChangeSink;
import net.membersdns.server.request.ConnectionResponder;
import net.membersdns.server.request.DatagramSender;
import net.membersdns.server.request.Edns;
import net.membersdns.server.request.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Turns committed zone changes into LLQ events (RFC 8764 §6), a Headscale-style batcher:
 *
 * <ul>
 *   <li>{@link #changed} only queues: a writer or the change feed calls it right after publishing
 *       the new snapshot, and it never blocks.
 *   <li>On the notifier thread, each change is spread over the established LLQs whose question it
 *       touches, into each one's {@link PendingChanges} (coalesced: an add and a remove of the same
 *       record cancel). The touched LLQs are flushed once every change queued so far is applied, so
 *       a burst reaches each subscriber as one event, with no added delay when idle.
 *   <li>UDP: at most one unacknowledged event per LLQ. The next one goes out when the client
 *       acknowledges (RFC 8764 §6.3); meanwhile changes keep coalescing. An unacknowledged event is
 *       sent again after {@code eventTimeout}, then after twice that, and after a third silent
 *       period of four times that the LLQ is deleted: three transmissions in all.
 *   <li>TCP/TLS: events are pushed on the LLQ's connection as they come, without acknowledgements
 *       (RFC 8764 §6.3: servers must not depend on them).
 * </ul>
 *
 * <p>Thread: every method but {@link #changed}, {@link #acknowledged} and {@link #ready} runs on
 * the {@link LlqScheduler}'s thread; those three hop onto it.
 */
public final class LlqNotifier implements ZoneChangeSink {
  private static final Logger log = LoggerFactory.getLogger(LlqNotifier.class);

  /** RFC 8764 §6.3: an event is sent three times in all before the LLQ is given up. */
  static final int TRANSMISSIONS = 3;

  private final LlqRegistry registry;
  private final LlqScheduler scheduler;
  private final LlqConfig config;
  private final LlqMetrics metrics;
  private final Clock clock;
  private final RandomGenerator dnsIds;

  /** LLQs with new pending changes, flushed once the queued changes are applied. */
  private final Set<LlqSession> dirty = new LinkedHashSet<>();

  /**
   * @param dnsIds source of the events' DNS IDs
   */
  public LlqNotifier(
      LlqRegistry registry,
      LlqScheduler scheduler,
      LlqConfig config,
      LlqMetrics metrics,
      Clock clock,
      RandomGenerator dnsIds) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.config = Objects.requireNonNull(config, "config");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.dnsIds = Objects.requireNonNull(dnsIds, "dnsIds");
    registry.onDelete(s -> scheduler.execute(() -> forget(s)));
  }

  /** Queues {@code change}; returns at once (the {@link ZoneChangeSink} contract). */
  @Override
  public void changed(ZoneChange change) {
    scheduler.execute(() -> apply(change));
  }

  /** The handler sent the ACK + answers of {@code s}: events may flow from now on. */
  void ready(LlqSession s) {
    scheduler.execute(() -> {
      s.deliverable = true;
      flush(s);
    });
  }

  /** The client acknowledged the event with DNS ID {@code dnsId} (RFC 8764 §6.3). */
  void acknowledged(LlqSession s, int dnsId) {
    scheduler.execute(() -> {
      LlqSession.InFlight f = s.inFlight;
      if (f != null && f.dnsId == dnsId) { // else late or duplicate: done with that event
        s.inFlight = null;
        flush(s);
      }
    });
  }

  // ---- notifier thread ----

  void apply(ZoneChange change) {
    Map<Name, List<Record>> added = byOwner(change.added());
    Map<Name, List<Record>> removed = byOwner(change.removed());
    Set<LlqSession> touched = new LinkedHashSet<>();
    Instant committed = change.committedAt();
    for (var e : added.entrySet()) {
      for (LlqSession s : registry.subscribers(e.getKey())) {
        if (s.state() != LlqState.ESTABLISHED) {
          continue; // its ACK will carry the new data (the snapshot was swapped first)
        }
        for (Record r : e.getValue()) {
          if (s.matches(r)) {
            s.pending.add(r, committed);
            touched.add(s);
          }
        }
      }
    }
    for (var e : removed.entrySet()) {
      for (LlqSession s : registry.subscribers(e.getKey())) {
        if (s.state() != LlqState.ESTABLISHED) {
          continue;
        }
        for (Record r : e.getValue()) {
          if (s.matches(r)) {
            s.pending.remove(r, committed);
            touched.add(s);
          }
        }
      }
    }
    if (change.zoneRemoved()) {
      // The zone (member) is gone, and with it the key that authorised its LLQs: tell them what
      // went away, then delete them.
      for (LlqSession s : registry.under(change.apex())) {
        s.retired = "zone-removed";
        touched.add(s);
      }
    }
    markDirty(touched);
  }

  /**
   * Ends the LLQs set up with a key {@code held} rejects (removed, or its secret replaced): a
   * private LLQ is authorised by its key (RFC 6281 §7.2). Queued behind the changes already handed
   * to this notifier, so what they carry (a removed host's records) still goes out first; then each
   * ends like the LLQs of a removed zone. Returns at once.
   */
  public void revoke(Predicate<TsigKey> held) {
    scheduler.execute(() -> {
      Set<LlqSession> touched = new LinkedHashSet<>();
      for (LlqSession s : registry.keyedNotBy(held)) {
        if (s.retired == null) {
          s.retired = "key-revoked";
        }
        touched.add(s);
      }
      if (!touched.isEmpty()) {
        log.info("llq: ending {} LLQ(s) of removed keys", touched.size());
      }
      markDirty(touched);
    });
  }

  /**
   * Ends every LLQ as the server stops, counted as deletions of reason {@code shutdown}. Queued
   * behind the changes already handed to this notifier, so the events of the last committed updates
   * go out first. RFC 8764 has no message that ends an LLQ from the server's side: a subscriber
   * over TCP or TLS sees its connection close (the transport closes it cleanly next) and one over
   * UDP sees its next refresh go unanswered; either sets its LLQ up again, with another server.
   *
   * @return completes with the number of LLQs ended
   */
  public CompletableFuture<Integer> endAll() {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      // The changes applied before this task marked their LLQs dirty; their flush may be queued
      // behind it: send it now, before the LLQs go.
      flushDirty();
      done.complete(registry.removeAll("shutdown"));
    });
    return done;
  }

  /**
   * Flushes {@code touched} after every change queued so far is applied: changes that arrive
   * together (a busy writer, a replica catching up) reach each subscriber as one event.
   */
  private void markDirty(Set<LlqSession> touched) {
    if (dirty.isEmpty()) {
      scheduler.execute(this::flushDirty);
    }
    dirty.addAll(touched);
  }

  private void flushDirty() {
    List<LlqSession> now = new ArrayList<>(dirty);
    dirty.clear();
    for (LlqSession s : now) {
      flush(s);
    }
  }

  private static Map<Name, List<Record>> byOwner(List<Record> records) {
    Map<Name, List<Record>> out = new HashMap<>();
    for (Record r : records) {
      out.computeIfAbsent(r.getName(), k -> new ArrayList<>(2)).add(r);
    }
    return out;
  }

  /** Sends what {@code s} may be sent now. */
  void flush(LlqSession s) {
    if (s.isDeleted()) {
      forget(s);
      return;
    }
    if (!s.deliverable) {
      if (s.retired != null && s.state() != LlqState.ESTABLISHED) {
        registry.remove(s, s.retired);
      }
      return;
    }
    if (s.transport() == Transport.UDP) {
      if (s.inFlight == null && !s.pending.isEmpty()) {
        sendDatagram(s);
      }
    } else {
      while (!s.pending.isEmpty() && !s.isDeleted()) {
        push(s);
      }
    }
    if (s.retired != null && s.pending.isEmpty() && s.inFlight == null) {
      registry.remove(s, s.retired);
    }
  }

  private void sendDatagram(LlqSession s) {
    DatagramSender sender = s.datagrams();
    InetSocketAddress to = s.eventAddress();
    if (sender == null || to == null) {
      return;
    }
    int dnsId = dnsIds.nextInt(0x10000);
    Instant oldest = s.pending.oldestCommit();
    LlqEvents.Rendered event = render(s, dnsId, Edns.OUR_PAYLOAD_SIZE);
    s.pending.take(event.count());
    LlqSession.InFlight f = new LlqSession.InFlight(dnsId, event.wire());
    s.inFlight = f;
    transmit(s, f, sender, to);
    metrics.eventSent(Transport.UDP);
    latency(oldest);
  }

  private void transmit(
      LlqSession s, LlqSession.InFlight f, DatagramSender sender, InetSocketAddress to) {
    f.transmissions++;
    sender.sendTo(to, f.wire);
    // Waits of T, 2T, 4T after the first, second and third transmission (RFC 8764 §6.3).
    Duration wait = config.eventTimeout().multipliedBy(1L << (f.transmissions - 1));
    scheduler.schedule(() -> retransmit(s, f), wait);
  }

  void retransmit(LlqSession s, LlqSession.InFlight f) {
    if (s.isDeleted() || s.inFlight != f) {
      return; // acknowledged (or replaced) meanwhile
    }
    if (f.transmissions >= TRANSMISSIONS) {
      log.debug("llq: {} did not acknowledge an event {} times; deleting it", s, TRANSMISSIONS);
      registry.remove(s, "unacknowledged");
      return;
    }
    DatagramSender sender = s.datagrams();
    InetSocketAddress to = s.eventAddress();
    if (sender == null || to == null) {
      return;
    }
    metrics.retransmit();
    transmit(s, f, sender, to);
  }

  private void push(LlqSession s) {
    ConnectionResponder c = s.connection();
    if (c == null || !c.isOpen()) {
      registry.remove(s, "closed");
      return;
    }
    Instant oldest = s.pending.oldestCommit();
    LlqEvents.Rendered event = render(s, dnsIds.nextInt(0x10000), 65535);
    s.pending.take(event.count());
    c.push(event.wire());
    metrics.eventSent(s.transport());
    latency(oldest);
  }

  private LlqEvents.Rendered render(LlqSession s, int dnsId, int maxLength) {
    long remaining = s.remainingSeconds(clock.millis());
    return LlqEvents.render(s, s.pending.peek(), dnsId, remaining, maxLength, clock);
  }

  private void latency(Instant oldest) {
    if (oldest != null) {
      metrics.pushLatency(Duration.between(oldest, clock.instant()));
    }
  }

  /** Drops the delivery state of a deleted LLQ. */
  private void forget(LlqSession s) {
    s.pending.clear();
    s.inFlight = null;
    s.deliverable = false;
  }

  /**
   * LLQs a sweep task looks at before it yields the notifier thread. One task over 1 M LLQs held it
   * about 100 ms every sweep interval, and the events of every change committed meanwhile waited
   * behind it: 1 % of them, so the p99 of commit → event sent was that wait (JFR;
   * docs/benchmarks.md, 1 M LLQs). A slice takes well under a millisecond.
   */
  static final int SWEEP_SLICE = 4_096;

  /** Starts the periodic sweep of expired LLQs, every {@code sweepInterval}, on the scheduler. */
  public void startSweeping() {
    scheduler.schedule(() -> sweep(registry.all(), 0), config.sweepInterval());
  }

  /**
   * Deletes the expired LLQs of the next slice of {@code cursor}, then queues the rest behind
   * whatever was queued meanwhile (events first); at the end, schedules the next sweep.
   */
  private void sweep(Iterator<LlqSession> cursor, int deletedSoFar) {
    int deleted = deletedSoFar + registry.sweep(cursor, clock.millis(), SWEEP_SLICE);
    if (cursor.hasNext()) {
      scheduler.execute(() -> sweep(cursor, deleted));
      return;
    }
    if (deleted > 0) {
      log.debug("llq: swept {} expired LLQs", deleted);
    }
    startSweeping();
  }
}
