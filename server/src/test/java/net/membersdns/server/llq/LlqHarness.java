package net.membersdns.server.llq;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.auth.TsigKeyring;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.pipeline.ReplyFinisher;
import net.membersdns.server.pipeline.RequestDispatcher;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.request.ConnectionResponder;
import net.membersdns.server.request.DatagramSender;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.Transport;
import net.membersdns.server.update.Grant;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The LLQ service in process: zones, keys, registry, notifier on a {@link ManualScheduler}, handler
 * behind the real {@link RequestDispatcher}, with fake UDP sockets and TCP/TLS connections that
 * record what they are sent. Builds client messages (signed or not) and parses replies.
 */
final class LlqHarness {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Name ALICE_KEY = Names.absolute("alice.key.members.example.");
  static final Name BOB_KEY = Names.absolute("bob.key.members.example.");
  static final TsigKey ALICE =
      new TsigKey(ALICE_KEY, TsigAlgorithm.HMAC_SHA256, HexFormat.of().parseHex(seq(32)));
  static final TsigKey BOB =
      new TsigKey(BOB_KEY, TsigAlgorithm.HMAC_MD5, HexFormat.of().parseHex(seq(16)));

  final TestClock clock = new TestClock(START);
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final LlqMetrics metrics = new LlqMetrics(meters);
  final LlqConfig config;
  final ServedZones zones;
  final LlqRegistry registry;
  final LlqNotifier notifier;
  final LlqHandler handler;
  final RequestDispatcher dispatcher;

  LlqHarness(ServedZones zones) {
    this(zones, LlqConfig.defaults(), new Counting(0x1111_0000_0000_0001L));
  }

  LlqHarness(ServedZones zones, LlqConfig config, RandomGenerator ids) {
    this.zones = zones;
    this.config = config;
    registry = new LlqRegistry(config, metrics, ids);
    metrics.bind(registry);
    notifier = new LlqNotifier(registry, scheduler, config, metrics, clock, new Counting(0x9e3f));
    TsigKeyring keyring = TsigKeyring.of(ALICE, BOB);
    Map<Name, List<Grant>> grants =
        Map.of(
            ALICE_KEY, List.of(Grant.memberZone(Names.absolute("alice.members.example."))),
            BOB_KEY, List.of(Grant.memberZone(Names.absolute("bob.members.example."))));
    handler =
        new LlqHandler(
            zones,
            registry,
            notifier,
            new LlqAccess(
                new TsigVerifier(keyring, clock),
                new UpdatePolicy(k -> grants.getOrDefault(k, List.of()))),
            config,
            metrics,
            clock);
    DnsMetrics dnsMetrics = new DnsMetrics(meters);
    dispatcher =
        new RequestDispatcher(
            new QueryHandler(new Lookup(zones)),
            new AnswerCache(zones, 1 << 20),
            dnsMetrics,
            clock,
            new ReplyFinisher(new TsigSigner(clock), dnsMetrics, null),
            null,
            null,
            handler);
  }

  /** Hands out consecutive values: predictable LLQ-IDs and DNS IDs. */
  static final class Counting implements RandomGenerator {
    private long next;

    Counting(long first) {
      next = first;
    }

    @Override
    public long nextLong() {
      return next++;
    }

    @Override
    public int nextInt(int bound) {
      return (int) Math.floorMod(next++, (long) bound);
    }
  }

  static String seq(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", i));
    }
    return sb.toString();
  }

  // ---- client side ----

  /** A query for {@code qname}/{@code qtype} carrying one LLQ option per entry of {@code llq}. */
  static Message query(int dnsId, String qname, int qtype, LlqOption... llq) {
    Message m = new Message(dnsId);
    m.getHeader().setFlag(Flags.RD);
    m.addRecord(Record.newRecord(Names.absolute(qname), qtype, DClass.IN), Section.QUESTION);
    List<org.xbill.DNS.EDNSOption> options = new ArrayList<>();
    for (LlqOption o : llq) {
      options.add(o.toOption());
    }
    m.addRecord(new OPTRecord(1440, 0, 0, 0, options), Section.ADDITIONAL);
    return m;
  }

  static LlqOption setup(long id, long lease) {
    return new LlqOption(1, LlqOption.SETUP, 0, id, lease);
  }

  static LlqOption refresh(long id, long lease) {
    return new LlqOption(1, LlqOption.REFRESH, 0, id, lease);
  }

  /** {@code m} rendered, TSIG-signed with {@code key} when not null. */
  byte[] wire(Message m, TsigKey key) {
    if (key != null) {
      m.setTSIG(key.toTsig(clock), Rcode.NOERROR, null);
    }
    return m.toWire(65535); // toWire() without a size does not sign
  }

  /** Parses {@code wire}; the LLQ options of the reply in order. */
  static List<LlqOption> llq(Message reply) {
    List<LlqOption> out = new ArrayList<>();
    for (var r : net.membersdns.protocol.edns.EdnsOptions.llq(reply)) {
      out.add(((net.membersdns.protocol.edns.OptionResult.Present<LlqOption>) r).option());
    }
    return out;
  }

  static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---- fake transports ----

  /** A client UDP socket: the server's answers and events sent to it. */
  final class UdpPeer implements Responder, DatagramSender {
    final InetSocketAddress address;
    final List<byte[]> answers = new ArrayList<>();
    final List<byte[]> events = new ArrayList<>();

    UdpPeer(String ip, int port) {
      address = new InetSocketAddress(ip, port);
    }

    /** Sends {@code wire} from this socket; returns the answer, or null if none came. */
    Message send(byte[] wire) {
      int before = answers.size();
      dispatcher.handle(new DnsRequest(wire, address, Transport.UDP, System.nanoTime()), this);
      return answers.size() > before ? parse(answers.get(answers.size() - 1)) : null;
    }

    @Override
    public void respond(byte[] wire) {
      answers.add(wire);
    }

    @Override
    public void drop() {}

    @Override
    public void sendTo(InetSocketAddress to, byte[] wire) {
      if (to.equals(address)) {
        events.add(wire);
      } else {
        throw new AssertionError("event for " + to + " on the socket of " + address);
      }
    }
  }

  /** A client TCP or TLS connection. */
  final class StreamPeer implements ConnectionResponder {
    final InetSocketAddress address;
    final Transport transport;
    final List<byte[]> answers = new ArrayList<>();
    final List<byte[]> pushed = new ArrayList<>();
    final List<Runnable> onClose = new ArrayList<>();
    boolean open = true;
    Duration idle;

    StreamPeer(String ip, int port, Transport transport) {
      address = new InetSocketAddress(ip, port);
      this.transport = transport;
    }

    Message send(byte[] wire) {
      int before = answers.size();
      dispatcher.handle(new DnsRequest(wire, address, transport, System.nanoTime()), this);
      return answers.size() > before ? parse(answers.get(answers.size() - 1)) : null;
    }

    void close() {
      open = false;
      onClose.forEach(Runnable::run);
    }

    @Override
    public void respond(byte[] wire) {
      answers.add(wire);
    }

    @Override
    public void drop() {}

    @Override
    public void push(byte[] wire) {
      if (open) {
        pushed.add(wire);
      }
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void onClose(Runnable action) {
      if (open) {
        onClose.add(action);
      } else {
        action.run();
      }
    }

    @Override
    public void idleTimeout(Duration timeout) {
      idle = timeout;
    }
  }

  /** A zone of alice (member, so keyed) with {@code text} records. */
  static ZoneData alice(String text) {
    return net.membersdns.server.testing.Zones.member("alice", 1, text);
  }

  static Optional<LlqOption> first(Message reply) {
    List<LlqOption> all = llq(reply);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  static final int PTR = Type.PTR;
}
