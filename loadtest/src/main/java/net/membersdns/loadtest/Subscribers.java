package net.membersdns.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * N LLQs held against one server. LLQ {@code i} asks AAAA of name {@code i / fanout} of the {@link
 * Layout}, so each name has {@code fanout} subscribers and one update of a name yields {@code
 * fanout} events. Latency of an event = now − the commit time the updater noted for that name.
 */
abstract class Subscribers implements AutoCloseable {
  final int n;
  final int fanout;
  final Layout layout;
  final AtomicLongArray commits;
  final Latencies latencies = new Latencies(5_000_000);
  final AtomicLong events = new AtomicLong();
  final AtomicLong established = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  /** Failed setups by reason: an LLQ error code's name, or why no answer came. */
  private final ConcurrentHashMap<String, AtomicLong> failures = new ConcurrentHashMap<>();

  Subscribers(int n, int fanout, Layout layout, AtomicLongArray commits) {
    this.n = n;
    this.fanout = fanout;
    this.layout = layout;
    this.commits = commits;
  }

  /** Names subscribed to: {@code ceil(n / fanout)}. */
  static int names(int n, int fanout) {
    return (n + fanout - 1) / fanout;
  }

  /** The name index of {@code qname} ({@code h<j>.…}), or -1. */
  static int index(Name qname) {
    String first = qname.getLabelString(0);
    try {
      return first.startsWith("h") ? Integer.parseInt(first.substring(1)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Sets every LLQ up, at most {@code window} setups in flight; returns when all are done. */
  abstract void setup(int window) throws Exception;

  /** Counts one setup that did not succeed, under {@code reason}. */
  void failed(String reason) {
    failed.incrementAndGet();
    failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  /** Failed setups by reason, sorted by reason. */
  Map<String, Long> failures() {
    Map<String, Long> out = new TreeMap<>();
    failures.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Books an event: counts it and its latency. */
  void event(Message m, long nowNanos) {
    events.incrementAndGet();
    int j = index(m.getQuestion().getName());
    if (j >= 0 && j < commits.length()) {
      long t0 = commits.get(j);
      if (t0 != 0) {
        latencies.record(nowNanos - t0);
      }
    }
  }

  @Override
  public abstract void close();
}
