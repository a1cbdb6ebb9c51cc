package net.membersdns.server.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.auth.TsigKeyring;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.feed.ChangeEvents;
import net.membersdns.server.llq.LlqAccess;
import net.membersdns.server.llq.LlqConfig;
import net.membersdns.server.llq.LlqHandler;
import net.membersdns.server.llq.LlqMetrics;
import net.membersdns.server.llq.LlqNotifier;
import net.membersdns.server.llq.LlqRegistry;
import net.membersdns.server.llq.LlqScheduler;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.pipeline.DnsRequestHandler;
import net.membersdns.server.pipeline.ReplyFinisher;
import net.membersdns.server.pipeline.RequestDispatcher;
import net.membersdns.server.pipeline.UpdateRequests;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.request.ConnectionResponder;
import net.membersdns.server.request.DatagramSender;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Transport;
import net.membersdns.server.update.BatchEvaluator;
import net.membersdns.server.update.Grant;
import net.membersdns.server.update.UpdateLeasePolicy;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.update.ZoneCommitter;
import net.membersdns.server.update.ZoneWriter;
import net.membersdns.server.update.ZoneWriters;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.Name;

/**
 * The whole request path in process, as {@code ServerMain} wires it but without sockets or
 * PostgreSQL: the real {@link RequestDispatcher} and {@link ReplyFinisher}, queries, signed UPDATEs
 * through the real {@link ZoneWriters} and {@code BatchEvaluator}, LLQ setup, refresh and events
 * through the real {@link LlqHandler} and {@link LlqNotifier}. What is not real: the zone committer
 * applies the evaluated plan in memory and remembers the signatures it committed (no SQL; the
 * PostgreSQL committer has its own ITs), the store is always reachable, the writers and the
 * notifier run on the caller's thread, and the clock stands still at {@link #NOW}.
 *
 * <p>Zones: {@code alice.members.example.} (hosts, a CNAME chain and loop, a delegation, DNS-SD
 * names), {@code bob.members.example.} and the members domain. Keys: alice's member key {@link
 * #MEMBER_KEY} (hmac-sha256, updates her zone) and the host key {@link #HOST_KEY} of her host mbp
 * (hmac-md5, writes mbp's names only). LLQ-IDs and event IDs count up from 1, so a fuzzer can
 * answer a challenge. One instance per fuzz input or test: it keeps the state the requests build.
 */
public final class InMemoryPipeline {
  public static final long NOW = 1_700_000_000L;
  public static final Name ALICE = Names.absolute("alice.members.example.");
  public static final TsigKey MEMBER_KEY = Vectors.SHA256_KEY;
  public static final TsigKey HOST_KEY =
      new TsigKey(
          Names.absolute("mbp.alice.key.members.example."),
          TsigAlgorithm.HMAC_MD5,
          "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private static final String ALICE_RECORDS =
      """
      mbp AAAA fd12:3456:789a:1::1
      mbp A 192.0.2.10
      www CNAME mbp
      loop1 CNAME loop2
      loop2 CNAME loop1
      out CNAME elsewhere.example.
      mail MX 10 mbp
      sub NS ns.sub
      ns.sub A 192.0.2.99
      _autotunnel._udp PTR _autotunnel._udp.mbp
      _autotunnel._udp.mbp SRV 0 0 51820 _autotunnel.mbp
      _autotunnel.mbp A 203.0.113.7
      _autotunnel.mbp TXT "wg=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
      mbp._device-info._tcp TXT "model=MacBookPro18,1"
      """;

  public static final Clock CLOCK = Vectors.clockAt(NOW);

  /** Immutable, so shared by every instance; only {@link ServedZones} changes. */
  private static final ZoneData[] ZONES = {
    Zones.member("alice", 7, ALICE_RECORDS),
    Zones.member("bob", 3, "mini AAAA fd12::2"),
    Zones.domain(3, "")
  };

  /**
   * Shared: making the meters costs more than a request, and they only count. {@link
   * #internalErrors} is the growth since this instance was made.
   */
  private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final ServedZones served = Zones.served(ZONES);
  private final double internalErrorsBefore;
  private final ArrayDeque<Runnable> notifierTasks = new ArrayDeque<>();
  private final List<byte[]> events = new ArrayList<>();
  private final Set<UpdateSignature> signatures = new HashSet<>();
  private final RequestDispatcher dispatcher;

  public InMemoryPipeline() {
    internalErrorsBefore = allInternalErrors();
    Map<Name, List<Grant>> grants =
        Map.of(
            MEMBER_KEY.name(), List.of(Grant.memberZone(ALICE)),
            HOST_KEY.name(), List.of(Grant.hostNames(ALICE, "mbp")));
    DnsMetrics metrics = new DnsMetrics(meters);
    UpdateMetrics updateMetrics = new UpdateMetrics(meters);
    LlqMetrics llqMetrics = new LlqMetrics(meters);
    LlqConfig llqConfig = LlqConfig.defaults();
    LlqRegistry registry = new LlqRegistry(llqConfig, llqMetrics, new Counting());
    LlqScheduler scheduler =
        new LlqScheduler() {
          @Override
          public void execute(Runnable task) {
            notifierTasks.add(task);
          }

          @Override
          public void schedule(Runnable task, Duration delay) {
            // The clock stands still: retransmissions and expiry never fall due.
          }
        };
    LlqNotifier notifier =
        new LlqNotifier(registry, scheduler, llqConfig, llqMetrics, CLOCK, new Counting());
    TsigVerifier verifier = new TsigVerifier(TsigKeyring.of(MEMBER_KEY, HOST_KEY), CLOCK);
    UpdatePolicy policy = new UpdatePolicy(k -> grants.getOrDefault(k, List.of()));
    ZoneCommitter inMemory =
        batches ->
            batches.stream()
                .map(b -> {
                  // The store's update_signatures (replay protection): those committed before.
                  Set<UpdateSignature> used = new HashSet<>(b.signatures());
                  used.retainAll(signatures);
                  signatures.addAll(b.signatures());
                  var plan = b.planner().plan(b.cached(), grants, used);
                  return new ZoneCommitter.Commit(
                      plan,
                      b.cached(),
                      b.cached().serial() + 1,
                      b.cached().generation() + 1,
                      !plan.diff().isEmpty());
                })
                .toList();
    ZoneWriters writers =
        new ZoneWriters(
            16,
            new ZoneWriter.Context(
                inMemory,
                new BatchEvaluator(
                    new UpdateLeasePolicy(1800, 7200, 7200, false), Zones.settings()),
                served,
                Zones.settings(),
                new ChangeEvents(notifier),
                updateMetrics,
                CLOCK,
                Runnable::run,
                new AtomicLong()));
    LlqHandler llq =
        new LlqHandler(
            served,
            registry,
            notifier,
            new LlqAccess(verifier, policy),
            llqConfig,
            llqMetrics,
            CLOCK);
    dispatcher =
        new RequestDispatcher(
            new QueryHandler(new Lookup(served)),
            new AnswerCache(served, 1 << 20),
            metrics,
            CLOCK,
            new ReplyFinisher(new TsigSigner(CLOCK), metrics, updateMetrics),
            verifier,
            new UpdateRequests(served, verifier, policy, writers, updateMetrics, CLOCK, () -> true),
            llq);
  }

  /** What one request led to: the reply (or {@code null}: silence) and the LLQ events it caused. */
  public record Outcome(byte[] reply, List<byte[]> events) {}

  /**
   * Sends {@code wire} from the client at 192.0.2.1 over {@code transport}; runs what it queued.
   */
  public Outcome send(byte[] wire, Transport transport) {
    Client client = new Client(transport);
    int before = events.size();
    dispatcher.handle(
        new DnsRequest(wire, new InetSocketAddress("192.0.2.1", 40000), transport, 0), client);
    while (!notifierTasks.isEmpty()) {
      notifierTasks.poll().run();
    }
    return new Outcome(client.reply, List.copyOf(events.subList(before, events.size())));
  }

  /**
   * The dispatcher as a transport sees it (for a Netty handler under test): each request handled,
   * then what it queued for the notifier run, as {@link #send} does.
   */
  public DnsRequestHandler handler() {
    return (request, responder) -> {
      dispatcher.handle(request, responder);
      while (!notifierTasks.isEmpty()) {
        notifierTasks.poll().run();
      }
    };
  }

  /** {@code dns.internal.errors} of both loops counted by this instance: bugs answered SERVFAIL. */
  public double internalErrors() {
    return allInternalErrors() - internalErrorsBefore;
  }

  private static double allInternalErrors() {
    return meters.find("dns.internal.errors").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  public ServedZones served() {
    return served;
  }

  /** One client socket or connection: records the reply and anything pushed or sent to it. */
  private final class Client implements ConnectionResponder, DatagramSender {
    private final Transport transport;
    private byte[] reply;

    Client(Transport transport) {
      this.transport = transport;
    }

    @Override
    public void respond(byte[] wire) {
      if (reply != null) {
        throw new AssertionError("a second reply to one request (architecture.md, Invariants 5)");
      }
      reply = wire;
    }

    @Override
    public void drop() {}

    @Override
    public void push(byte[] wire) {
      events.add(wire);
    }

    @Override
    public boolean isOpen() {
      return transport != Transport.UDP;
    }

    @Override
    public void onClose(Runnable action) {}

    @Override
    public void idleTimeout(Duration timeout) {}

    @Override
    public void sendTo(InetSocketAddress to, byte[] wire) {
      events.add(wire);
    }
  }

  /** Counts up from 1: predictable LLQ-IDs and event IDs. */
  private static final class Counting implements RandomGenerator {
    private long next = 1;

    @Override
    public long nextLong() {
      return next++;
    }

    @Override
    public int nextInt(int bound) {
      return (int) Math.floorMod(next++, (long) bound);
    }
  }
}
