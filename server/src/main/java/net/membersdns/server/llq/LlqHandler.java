package net.membersdns.server.llq;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.request.ConnectionResponder;
import net.membersdns.server.request.DatagramSender;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Exchange;
import net.membersdns.server.request.Reply;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.Transport;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The server side of RFC 8764 §5 for one message:
 *
 * <ul>
 *   <li>UDP setup, four-way: a request (LLQ-ID 0) gets a challenge with a fresh LLQ-ID and no
 *       answers; the challenge response (same ID) gets the ACK + all current answers. A repeated
 *       request (same address and port) while challenged gets the same challenge; a repeated
 *       challenge response gets the ACK again (lost ACK); an ID-0 request from the address and port
 *       of an established LLQ replaces it.
 *   <li>TCP/TLS setup, two-message: the request gets the ACK + answers with the new LLQ-ID at once;
 *       events then go on that connection. The Apple client's UDP port in LLQ-ERROR
 *       (docs/architecture.md, Apple client notes) is ignored: events of a stream LLQ never leave
 *       its connection.
 *   <li>Refresh (opcode REFRESH) renews the lease; lease 0 cancels. Unknown IDs → NO-SUCH-LLQ.
 *   <li>Later messages are matched on client IP, question and LLQ-ID — not the source port — and on
 *       the TSIG key that set the LLQ up.
 *   <li>Leases are clamped to the configured bounds; limits give SERV-FULL with a retry time;
 *       synthesised names that never change give STATIC (with their answers); a version other than
 *       1 gives BAD-VERS; a malformed option, or options not pairing with the questions, FORMAT-ERR
 *       (RCODE NOERROR, so the client can tell an LLQ server, RFC 8764 §3.2).
 *   <li>Several questions in one message pair with the LLQ options by index.
 * </ul>
 *
 * <p>Called on Netty event loops; in memory only, never blocks. Malformed input never throws.
 */
public final class LlqHandler {
  private static final Logger log = LoggerFactory.getLogger(LlqHandler.class);

  /** Kept on top of the lease as the idle timeout of a connection carrying a signed LLQ. */
  static final Duration IDLE_MARGIN = Duration.ofSeconds(60);

  private final ServedZones zones;
  private final LlqRegistry registry;
  private final LlqNotifier notifier;
  private final LlqAccess access;
  private final LlqConfig config;
  private final LlqMetrics metrics;
  private final Clock clock;

  public LlqHandler(
      ServedZones zones,
      LlqRegistry registry,
      LlqNotifier notifier,
      LlqAccess access,
      LlqConfig config,
      LlqMetrics metrics,
      Clock clock) {
    this.zones = Objects.requireNonNull(zones, "zones");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.access = Objects.requireNonNull(access, "access");
    this.config = Objects.requireNonNull(config, "config");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether {@code message} carries an LLQ option (well-formed or not): this handler's input. */
  public static boolean carriesLlq(Message message) {
    OPTRecord opt = message.getOPT();
    return opt != null && !opt.getOptions(LlqOption.CODE).isEmpty();
  }

  /** One request's context: who asked, how, and what TSIG concluded. */
  private record Ask(Exchange exchange, TsigOutcome tsig, long now, List<LlqSession> ready) {
    DnsRequest request() {
      return exchange.request();
    }

    Responder responder() {
      return exchange.responder();
    }

    InetAddress client() {
      return request().peer().getAddress();
    }

    Transport transport() {
      return request().transport();
    }

    TsigKey key() {
      return LlqAccess.keyOf(tsig);
    }
  }

  /** What one question gets: its LLQ option and the answers to include. */
  private record Outcome(LlqOption option, List<Record> answers) {}

  /**
   * A QUERY (QR=0) carrying LLQ options: setup, challenge response, refresh or cancel. Always
   * answered, except queries that only acknowledge events.
   */
  public void handle(Exchange exchange) {
    DnsRequest request = exchange.request();
    Message message = exchange.message();
    List<OptionResult<LlqOption>> options = EdnsOptions.llq(message);
    if (onlyEvents(options)) {
      acknowledge(request, message);
      exchange.reply(Reply.Silence.EXPECTED);
      return;
    }
    TsigOutcome tsig = access.verify(message, request.wire());
    switch (tsig) {
      case TsigOutcome.Failed f -> {
        reject(exchange, Reply.Failure.tsig(f), "notauth", options);
        return;
      }
      case TsigOutcome.Malformed m -> {
        reject(exchange, Reply.Failure.tsig(m), "format-err", options);
        return;
      }
      default -> {}
    }
    List<Record> questions = message.getSection(Section.QUESTION);
    Ask ask = new Ask(exchange, tsig, clock.millis(), new ArrayList<>(1));
    LlqReply reply = new LlqReply(message);
    if (questions.isEmpty() || questions.size() != options.size()) {
      // RFC 8764 §5: one LLQ option per question; without that pairing nothing is meant.
      for (OptionResult<LlqOption> o : options) {
        reply.option(error(o, LlqOption.FORMAT_ERR));
        metrics.request(opcodeName(o), "format-err");
      }
      respond(ask, reply);
      return;
    }
    List<ZoneData> found = new ArrayList<>(questions.size());
    for (Record q : questions) {
      ZoneData zone = zones.findZone(q.getName());
      if (zone == null || q.getDClass() != DClass.IN || !access.mayRead(tsig, zone)) {
        // Not ours (as for plain queries), or no read grant: LlqAccess.
        reject(exchange, Reply.Failure.of(Rcode.REFUSED, tsig), "refused", options);
        return;
      }
      found.add(zone);
    }
    for (int i = 0; i < questions.size(); i++) {
      Outcome out = one(ask, questions.get(i), found.get(i), options.get(i));
      reply.option(out.option());
      reply.answers(out.answers());
    }
    respond(ask, reply);
  }

  private void respond(Ask ask, LlqReply reply) {
    ask.exchange().reply(reply.toReply(ask.tsig()));
    for (LlqSession s : ask.ready()) {
      notifier.ready(s); // after the ACK went to the socket: events follow it, never precede it
    }
  }

  private void reject(
      Exchange exchange, Reply.Failure failure, String result, List<OptionResult<LlqOption>> o) {
    for (OptionResult<LlqOption> option : o) {
      metrics.request(opcodeName(option), result);
    }
    log.debug(
        "llq: {} from {}: {}", result, exchange.request().peer(), exchange.message().getQuestion());
    exchange.reply(failure);
  }

  private Outcome one(Ask ask, Record q, ZoneData zone, OptionResult<LlqOption> option) {
    if (!(option instanceof OptionResult.Present<LlqOption> present)) {
      metrics.request("unknown", "format-err");
      return new Outcome(error(option, LlqOption.FORMAT_ERR), List.of());
    }
    LlqOption o = present.option();
    String opcode = opcodeName(option);
    if (o.version() != LlqOption.VERSION) {
      metrics.request(opcode, "bad-vers");
      return new Outcome(reply(o.opcode(), LlqOption.BAD_VERS, o.id(), 0), List.of());
    }
    if (metaType(q.getType())) {
      metrics.request(opcode, "format-err");
      return new Outcome(reply(o.opcode(), LlqOption.FORMAT_ERR, o.id(), 0), List.of());
    }
    Outcome out =
        switch (o.opcode()) {
          case LlqOption.SETUP -> o.id() == 0 ? setup(ask, q, zone, o) : confirm(ask, q, zone, o);
          case LlqOption.REFRESH -> refresh(ask, q, o);
          default -> new Outcome(reply(o.opcode(), LlqOption.FORMAT_ERR, o.id(), 0), List.of());
        };
    metrics.request(opcode, resultName(out.option()));
    return out;
  }

  /** A setup request (LLQ-ID 0): challenge over UDP, ACK + answers over TCP/TLS. */
  private Outcome setup(Ask ask, Record q, ZoneData zone, LlqOption o) {
    if (isStatic(zone, q)) {
      // RFC 8764 §3.2 STATIC: no LLQ; the client uses the answer's TTLs.
      return new Outcome(
          reply(LlqOption.SETUP, LlqOption.STATIC, 0, 0), LlqAnswers.current(zone, q, ask.now()));
    }
    long lease = config.grant(o.lease());
    TsigKey key = ask.key();
    LlqSession existing = registry.findFor(ask.request().peer(), q);
    if (existing != null && !sameKey(existing, key)) {
      existing = null; // a different key's LLQ stays; this one is new
    }
    if (ask.transport() == Transport.UDP) {
      if (existing != null
          && existing.state() == LlqState.CHALLENGE_SENT
          && existing.transport() == Transport.UDP) {
        // A retransmitted request: the same challenge again (docs/architecture.md, Apple client
        // notes).
        return new Outcome(challenge(existing), List.of());
      }
      if (existing != null) {
        registry.remove(existing, "replaced"); // the client started over
      }
      LlqSession s =
          registry.create(
              q,
              ask.request().peer(),
              key,
              Transport.UDP,
              LlqState.CHALLENGE_SENT,
              lease,
              ask.now() + config.challengeTimeout().toMillis());
      if (s == null) {
        return full();
      }
      return new Outcome(challenge(s), List.of());
    }
    if (existing != null) {
      registry.remove(existing, "replaced");
    }
    LlqSession s =
        registry.create(
            q,
            ask.request().peer(),
            key,
            ask.transport(),
            LlqState.ESTABLISHED,
            lease,
            ask.now() + lease * 1000);
    if (s == null) {
      return full();
    }
    attach(ask, s, lease);
    ask.ready().add(s);
    return new Outcome(
        reply(LlqOption.SETUP, LlqOption.NO_ERROR, s.id(), lease),
        LlqAnswers.current(zone, q, ask.now()));
  }

  private static LlqOption challenge(LlqSession s) {
    return reply(LlqOption.SETUP, LlqOption.NO_ERROR, s.id(), s.leaseSeconds());
  }

  private static Outcome full() {
    return new Outcome(
        reply(LlqOption.SETUP, LlqOption.SERV_FULL, 0, LlqConfig.RETRY_AFTER_SECONDS), List.of());
  }

  /**
   * A setup message with an LLQ-ID: the challenge response over UDP (→ established, ACK + answers),
   * or a repeat of it (ACK again). Over TCP/TLS, a repeat moves the LLQ to this connection.
   */
  private Outcome confirm(Ask ask, Record q, ZoneData zone, LlqOption o) {
    LlqSession s = match(ask, q, o.id());
    if (s == null || (ask.transport() == Transport.UDP) != (s.transport() == Transport.UDP)) {
      return new Outcome(reply(LlqOption.SETUP, LlqOption.NO_SUCH_LLQ, o.id(), 0), List.of());
    }
    if (s.state() == LlqState.CHALLENGE_SENT) {
      long lease = s.leaseSeconds();
      registry.established(s, lease, ask.now() + lease * 1000);
    }
    attach(ask, s, s.leaseSeconds());
    ask.ready().add(s);
    return new Outcome(
        reply(LlqOption.SETUP, LlqOption.NO_ERROR, s.id(), s.remainingSeconds(ask.now())),
        LlqAnswers.current(zone, q, ask.now()));
  }

  /** RFC 8764 §5.3 refresh; lease 0 cancels. The ACK carries no answers (RFC 8764 §5.3). */
  private Outcome refresh(Ask ask, Record q, LlqOption o) {
    LlqSession s = match(ask, q, o.id());
    if (s == null || s.state() != LlqState.ESTABLISHED) {
      return new Outcome(reply(LlqOption.REFRESH, LlqOption.NO_SUCH_LLQ, o.id(), 0), List.of());
    }
    if (o.lease() == 0) {
      registry.remove(s, "cancel");
      return new Outcome(reply(LlqOption.REFRESH, LlqOption.NO_ERROR, s.id(), 0), List.of());
    }
    long lease = config.grant(o.lease());
    s.refresh(lease, ask.now() + lease * 1000);
    if ((ask.transport() == Transport.UDP) == (s.transport() == Transport.UDP)) {
      attach(ask, s, lease); // the client may have moved (NAT rebinding, new connection)
    }
    return new Outcome(reply(LlqOption.REFRESH, LlqOption.NO_ERROR, s.id(), lease), List.of());
  }

  /** The LLQ {@code id} if this client, question and key may act on it, else {@code null}. */
  private LlqSession match(Ask ask, Record q, long id) {
    LlqSession s = registry.find(id);
    if (s == null || !s.sameClient(ask.client(), q) || !sameKey(s, ask.key())) {
      return null;
    }
    return s;
  }

  /** A keyed LLQ is only touched with its key; an unsigned one (public zone) by anyone matching. */
  private static boolean sameKey(LlqSession s, TsigKey key) {
    return s.keyName() == null || (key != null && key.name().equals(s.keyName()));
  }

  /** Points event delivery at where this request came from. */
  private void attach(Ask ask, LlqSession s, long lease) {
    Responder responder = ask.responder();
    if (ask.transport() == Transport.UDP) {
      if (responder instanceof DatagramSender sender) {
        // The socket alone: the responder also holds this request's source address.
        s.deliverByDatagram(sender.socket(), ask.request().peer());
      }
      return;
    }
    if (!(responder instanceof ConnectionResponder c)) {
      return;
    }
    if (s.deliverOnConnection(c) != c) {
      c.onClose(() -> {
        if (s.connection() == c) {
          registry.remove(s, "closed");
        }
      });
    }
    if (s.key() != null) {
      // A longer idle timeout only after authentication (docs/architecture.md, Keys and access).
      // The client refreshes
      // at half the lease, so the connection never idles out under a live LLQ.
      c.idleTimeout(Duration.ofSeconds(lease).plus(IDLE_MARGIN));
    }
  }

  /**
   * A response (QR=1) — or a query — carrying EVENT options: the client's acknowledgements (RFC
   * 8764 §6.3, vector L6). Matched on client IP, question, LLQ-ID and the event's DNS ID; anything
   * else is dropped silently (answering responses would reflect traffic). Never answered.
   */
  public void acknowledge(DnsRequest request, Message message) {
    List<Record> questions = message.getSection(Section.QUESTION);
    List<OptionResult<LlqOption>> options = EdnsOptions.llq(message);
    int n = Math.min(questions.size(), options.size());
    for (int i = 0; i < n; i++) {
      if (!(options.get(i) instanceof OptionResult.Present<LlqOption> p)
          || p.option().opcode() != LlqOption.EVENT) {
        continue;
      }
      LlqSession s = registry.find(p.option().id());
      if (s == null || !s.sameClient(request.peer().getAddress(), questions.get(i))) {
        metrics.request("event", "no-such-llq");
        continue;
      }
      metrics.request("event", "ack");
      notifier.acknowledged(s, message.getHeader().getID());
    }
  }

  private static boolean onlyEvents(List<OptionResult<LlqOption>> options) {
    for (OptionResult<LlqOption> o : options) {
      if (!(o instanceof OptionResult.Present<LlqOption> p)
          || p.option().opcode() != LlqOption.EVENT) {
        return false;
      }
    }
    return !options.isEmpty();
  }

  /**
   * Names whose data never changes through updates (RFC 8764 §3.2 STATIC): the discovery SRVs, the
   * server's own address, and the apex SOA and NS (other types at the apex are member data).
   */
  private static boolean isStatic(ZoneData zone, Record q) {
    if (!zone.isSynthesised(q.getName())) {
      return false;
    }
    int t = q.getType();
    return !q.getName().equals(zone.apex()) || t == Type.SOA || t == Type.NS;
  }

  /** RFC 6895 §3.1 meta types (ANY excepted) cannot be subscribed to. */
  private static boolean metaType(int qtype) {
    return qtype == Type.OPT || (qtype >= 128 && qtype <= 255 && qtype != Type.ANY);
  }

  private static LlqOption reply(int opcode, int error, long id, long lease) {
    return new LlqOption(LlqOption.VERSION, opcode, error, id, lease);
  }

  private static LlqOption error(OptionResult<LlqOption> o, int error) {
    if (o instanceof OptionResult.Present<LlqOption> p) {
      return reply(p.option().opcode(), error, p.option().id(), 0);
    }
    return reply(LlqOption.SETUP, error, 0, 0);
  }

  private static String opcodeName(OptionResult<LlqOption> o) {
    if (!(o instanceof OptionResult.Present<LlqOption> p)) {
      return "unknown";
    }
    return switch (p.option().opcode()) {
      case LlqOption.SETUP -> "setup";
      case LlqOption.REFRESH -> "refresh";
      case LlqOption.EVENT -> "event";
      default -> "unknown";
    };
  }

  private static String resultName(LlqOption reply) {
    return switch (reply.error()) {
      case LlqOption.NO_ERROR -> "ok";
      case LlqOption.SERV_FULL -> "serv-full";
      case LlqOption.STATIC -> "static";
      case LlqOption.FORMAT_ERR -> "format-err";
      case LlqOption.NO_SUCH_LLQ -> "no-such-llq";
      case LlqOption.BAD_VERS -> "bad-vers";
      default -> "error";
    };
  }
}
