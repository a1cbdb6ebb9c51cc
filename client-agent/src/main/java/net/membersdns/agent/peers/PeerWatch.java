package net.membersdns.agent.peers;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import net.membersdns.agent.dns.DnsRequester;
import net.membersdns.agent.dns.Received;
import net.membersdns.agent.loop.Scheduler;
import net.membersdns.protocol.names.HostNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Keeps the agent's picture of the member's other hosts current (RFC 6281 §5: each host learns of
 * the others through LLQ). On a new connection it reads everything (the browse PTRs, then each
 * host's records) and subscribes with LLQ to the browse name — "a host appeared or left" — and to
 * every record name of every other host — "a host changed". An event re-reads the host it names
 * (events coalesce for a moment: one UPDATE of a host changes several RRsets at once). While LLQ is
 * unavailable (the server refuses it, or it fails), everything is re-read every 30–60 s.
 *
 * <p>Loop-confined.
 */
public final class PeerWatch implements LlqClient.Listener {
  private static final Logger log = LoggerFactory.getLogger(PeerWatch.class);

  /** How long events for one host are gathered before it is re-read. */
  static final Duration COALESCE = Duration.ofMillis(50);

  static final Duration POLL_MIN = Duration.ofSeconds(30);
  static final Duration POLL_JITTER = Duration.ofSeconds(30);
  static final Duration RETRY = Duration.ofSeconds(5);

  /** What the watch reports. */
  public interface Listener {
    /** The other hosts as now known, by label. */
    void peersChanged(Map<String, PeerRecords> peers);

    /** The watch's mode or LLQ counts changed (for status). */
    void watchChanged();
  }

  /** How the watch learns of changes. */
  public enum Mode {
    DISCONNECTED,
    LLQ,
    POLLING
  }

  private final Name zone;
  private final String self;
  private final Scheduler loop;
  private final Listener listener;
  private final RandomGenerator random;
  private final PeerResolver resolver;
  private final LlqClient llq;
  private final Map<String, PeerRecords> peers = new TreeMap<>();
  private final Set<String> pending = new HashSet<>();
  private Set<String> known = new TreeSet<>();
  private DnsRequester dns;
  private long generation;
  private Scheduler.Cancellable resolveTimer = Scheduler.Cancellable.NONE;
  private Scheduler.Cancellable pollTimer = Scheduler.Cancellable.NONE;
  private Instant lastSync = Instant.MIN;
  private String lastError;

  public PeerWatch(
      Name zone, String self, Scheduler loop, Listener listener, RandomGenerator random) {
    this.zone = zone;
    this.self = HostNames.label(self);
    this.loop = loop;
    this.listener = listener;
    this.random = random;
    this.resolver = new PeerResolver(zone);
    this.llq = new LlqClient(loop, this, random);
  }

  /** A (new) connection to the server: read everything and subscribe. */
  public void attach(DnsRequester dns) {
    this.dns = dns;
    generation++;
    llq.attach(dns);
    sync();
  }

  /** The connection is gone; what is known stays (tunnels keep working without the server). */
  public void detach() {
    dns = null;
    generation++;
    llq.detach();
    resolveTimer.cancel();
    pollTimer.cancel();
    listener.watchChanged();
  }

  /** Cancels every LLQ (clean shutdown). */
  public void close() {
    llq.cancelAll();
    resolveTimer.cancel();
    pollTimer.cancel();
  }

  /** A message the server pushed (an LLQ event). */
  public void onUnsolicited(Received r) {
    llq.onUnsolicited(r);
  }

  public Map<String, PeerRecords> peers() {
    return Map.copyOf(peers);
  }

  public Mode mode() {
    if (dns == null) {
      return Mode.DISCONNECTED;
    }
    return llq.failure().isPresent() || llq.established() < llq.wanted() ? Mode.POLLING : Mode.LLQ;
  }

  /** Why the watch polls, when it does. */
  public Optional<String> pollingReason() {
    return mode() == Mode.POLLING
        ? llq.failure().or(() -> Optional.of("LLQ setup pending"))
        : Optional.empty();
  }

  public int llqEstablished() {
    return llq.established();
  }

  public int llqWanted() {
    return llq.wanted();
  }

  public Instant lastSync() {
    return lastSync;
  }

  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  @Override
  public void changed(Question q) {
    if (q.type() == Type.PTR && q.name().equals(HostNames.browse(zone))) {
      sync();
      return;
    }
    HostNames.hostOf(zone, q.name()).ifPresent(this::resolveSoon);
  }

  @Override
  public void stateChanged() {
    schedulePoll();
    listener.watchChanged();
  }

  /** Re-reads the browse PTRs and every host. */
  private void sync() {
    if (dns == null) {
      return;
    }
    long gen = generation;
    resolver
        .hosts(dns)
        .whenCompleteAsync(
            (hosts, error) -> {
              if (gen != generation) {
                return;
              }
              if (error != null) {
                failed("reading the member's hosts failed: " + cause(error));
                return;
              }
              known = new TreeSet<>(hosts);
              known.remove(self);
              boolean removed = peers.keySet().retainAll(known);
              llq.want(questions());
              pending.addAll(known);
              resolveNow();
              lastSync = loop.now();
              if (removed) {
                listener.peersChanged(peers());
              }
            },
            loop);
  }

  private void resolveSoon(String host) {
    if (host.equals(self)) {
      return;
    }
    pending.add(host);
    resolveTimer.cancel();
    resolveTimer = loop.schedule(COALESCE, this::resolveNow);
  }

  private void resolveNow() {
    if (dns == null) {
      return;
    }
    long gen = generation;
    for (String host : List.copyOf(pending)) {
      pending.remove(host);
      resolver
          .resolve(dns, host)
          .whenCompleteAsync(
              (records, error) -> {
                if (gen != generation) {
                  return;
                }
                if (error != null) {
                  failed("reading host " + host + " failed: " + cause(error));
                  return;
                }
                lastError = null;
                boolean changed =
                    records.isPresent()
                        ? !records.get().equals(peers.put(host, records.get()))
                        : peers.remove(host) != null;
                if (changed) {
                  listener.peersChanged(peers());
                }
              },
              loop);
    }
  }

  private void failed(String why) {
    log.debug("peers: {}", why);
    lastError = why;
    listener.watchChanged();
    long gen = generation;
    loop.schedule(
        RETRY,
        () -> {
          if (gen == generation) {
            sync();
          }
        });
  }

  /** The browse name, and every record name of every other host. */
  private Set<Question> questions() {
    Set<Question> qs = new TreeSet<>();
    qs.add(new Question(HostNames.browse(zone), Type.PTR));
    for (String h : known) {
      qs.add(new Question(HostNames.host(zone, h), Type.AAAA));
      qs.add(new Question(HostNames.tunnelService(zone, h), Type.SRV));
      qs.add(new Question(HostNames.tunnelTarget(zone, h), Type.A));
      qs.add(new Question(HostNames.tunnelTarget(zone, h), Type.TXT));
      qs.add(new Question(HostNames.lanTarget(zone, h), Type.A));
    }
    return qs;
  }

  private void schedulePoll() {
    pollTimer.cancel();
    if (mode() != Mode.POLLING) {
      return;
    }
    Duration wait = POLL_MIN.plusMillis((long) (random.nextDouble() * POLL_JITTER.toMillis()));
    long gen = generation;
    pollTimer =
        loop.schedule(
            wait,
            () -> {
              if (gen == generation) {
                sync();
                schedulePoll();
              }
            });
  }

  private static String cause(Throwable e) {
    Throwable t =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    return String.valueOf(t.getMessage());
  }
}
