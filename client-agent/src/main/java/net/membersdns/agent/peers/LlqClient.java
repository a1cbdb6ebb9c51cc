package net.membersdns.agent.peers;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import net.membersdns.agent.dns.DnsRequester;
import net.membersdns.agent.dns.Received;
import net.membersdns.agent.dns.Reply;
import net.membersdns.agent.loop.Scheduler;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.edns.OptionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The client side of DNS Long-Lived Queries over a TLS connection (RFC 8764 §5.2: the two-message
 * setup, no challenge; events pushed on the connection, which need no acknowledgement there).
 *
 * <p>The caller says which questions it wants ({@link #want}); the client sets each up on the
 * attached connection, refreshes it at half its granted lease plus up to a tenth (RFC 8764 §7; what
 * mDNSResponder does, so refreshes of many LLQs spread out), re-sets it up when the server has
 * forgotten it (NO-SUCH-LLQ), retries failed setups with a backoff, and cancels the ones no longer
 * wanted (a refresh with lease 0, §7.1). When the connection ends every LLQ is gone with it; a new
 * connection sets all of them up again. Events are reported as "this question changed": the caller
 * re-reads the answers with signed queries, so an event is a trigger, never trusted data.
 *
 * <p>Loop-confined: every method runs on the agent's {@link Scheduler}; replies are handed back to
 * it.
 */
public final class LlqClient {
  private static final Logger log = LoggerFactory.getLogger(LlqClient.class);

  /** The lease asked for: the longest RFC 8764 servers commonly grant (dnsextd's 7200 s). */
  public static final long REQUESTED_LEASE = 7200;

  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  private static final Duration MAX_RETRY = Duration.ofMinutes(5);

  /** What the client reports. */
  public interface Listener {
    /** An event for {@code q} arrived (or its setup delivered answers to compare). */
    void changed(Question q);

    /** The number of established and failing LLQs changed. */
    void stateChanged();
  }

  private final Scheduler loop;
  private final Listener listener;
  private final RandomGenerator random;
  private final Map<Question, Sub> subs = new TreeMap<>();
  private DnsRequester requester;
  private long generation;

  private static final class Sub {
    final Question question;
    long id;
    boolean established;
    long granted;
    Instant expires = Instant.MIN;
    String failure;
    int failures;
    boolean inFlight;
    Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;

    Sub(Question question) {
      this.question = question;
    }
  }

  public LlqClient(Scheduler loop, Listener listener, RandomGenerator random) {
    this.loop = loop;
    this.listener = listener;
    this.random = random;
  }

  /** A new connection: set up every wanted LLQ on it. */
  public void attach(DnsRequester requester) {
    this.requester = requester;
    generation++;
    for (Sub s : subs.values()) {
      reset(s);
      setup(s);
    }
    listener.stateChanged();
  }

  /** The connection is gone, and every LLQ with it. */
  public void detach() {
    requester = null;
    generation++;
    subs.values().forEach(this::reset);
    listener.stateChanged();
  }

  /** The questions wanted from now on: new ones are set up, dropped ones cancelled. */
  public void want(Set<Question> wanted) {
    for (var it = subs.entrySet().iterator(); it.hasNext(); ) {
      Sub s = it.next().getValue();
      if (!wanted.contains(s.question)) {
        if (s.established && requester != null) {
          send(s, LlqOption.REFRESH, s.id, 0); // cancel, RFC 8764 §7.1; the reply is of no use
        }
        s.timer.cancel();
        it.remove();
      }
    }
    for (Question q : wanted) {
      if (!subs.containsKey(q)) {
        Sub s = new Sub(q);
        subs.put(q, s);
        if (requester != null) {
          setup(s);
        }
      }
    }
    listener.stateChanged();
  }

  /** Cancels every LLQ (clean shutdown) and forgets them. */
  public void cancelAll() {
    want(Set.of());
  }

  /** An unsolicited message from the connection: an LLQ event if it names one of ours. */
  public void onUnsolicited(Received r) {
    Optional<LlqOption> llq = option(r.message());
    if (llq.isEmpty() || llq.get().opcode() != LlqOption.EVENT) {
      return;
    }
    for (Sub s : subs.values()) {
      if (s.established && s.id == llq.get().id()) {
        listener.changed(s.question);
        return;
      }
    }
    log.debug("llq: event for unknown LLQ-ID {} ignored", llq.get().idHex());
  }

  public int established() {
    return (int) subs.values().stream().filter(s -> s.established).count();
  }

  public int wanted() {
    return subs.size();
  }

  /** The reason of the first failing LLQ, if any. */
  public Optional<String> failure() {
    return subs.values().stream().map(s -> s.failure).filter(f -> f != null).findFirst();
  }

  /** The earliest lease end among established LLQs, for status. */
  public Optional<Instant> earliestExpiry() {
    return subs.values().stream()
        .filter(s -> s.established)
        .map(s -> s.expires)
        .min(Instant::compareTo);
  }

  private void reset(Sub s) {
    s.timer.cancel();
    s.established = false;
    s.inFlight = false;
    s.id = 0;
  }

  private void setup(Sub s) {
    send(s, LlqOption.SETUP, 0, REQUESTED_LEASE);
  }

  private void send(Sub s, int opcode, long id, long lease) {
    if (requester == null) {
      return;
    }
    Message m = Message.newQuery(Record.newRecord(s.question.name(), s.question.type(), DClass.IN));
    LlqOption option = new LlqOption(LlqOption.VERSION, opcode, LlqOption.NO_ERROR, id, lease);
    m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(option.toOption())), Section.ADDITIONAL);
    long gen = generation;
    if (lease == 0) {
      requester.request(m); // a cancel: fire and forget
      return;
    }
    s.inFlight = true;
    requester
        .request(m)
        .whenCompleteAsync(
            (reply, error) -> {
              if (gen != generation || subs.get(s.question) != s) {
                return; // from a connection (or a want) that is no more
              }
              s.inFlight = false;
              if (error != null) {
                failed(s, "no answer: " + error.getMessage());
              } else {
                answered(s, opcode, reply);
              }
              listener.stateChanged();
            },
            loop);
  }

  private void answered(Sub s, int opcode, Reply reply) {
    Optional<LlqOption> llq = option(reply.message());
    if (!reply.ok() || llq.isEmpty()) {
      failed(
          s, reply.ok() ? "the server does not do LLQ" : "the server answered " + reply.describe());
      return;
    }
    LlqOption o = llq.get();
    switch (o.error()) {
      case LlqOption.NO_ERROR -> {
        s.established = true;
        s.id = o.id();
        s.granted = o.lease();
        s.expires = loop.now().plusSeconds(o.lease());
        s.failure = null;
        s.failures = 0;
        long ms = o.lease() * 1000;
        scheduleRefresh(s, Duration.ofMillis(ms / 2 + (long) (random.nextDouble() * ms / 10)));
        if (opcode == LlqOption.SETUP) {
          listener.changed(s.question); // the setup's answers are the truth now: re-read
        }
      }
      case LlqOption.NO_SUCH_LLQ -> {
        reset(s);
        setup(s); // the server forgot it (restart, expiry): start over
      }
      case LlqOption.SERV_FULL ->
          failed(s, "the server is full (SERV-FULL)", Duration.ofSeconds(Math.max(60, o.lease())));
      case LlqOption.STATIC -> failed(s, "the server says the name does not change (STATIC)");
      default -> failed(s, "LLQ error " + o.error());
    }
  }

  private void failed(Sub s, String why) {
    s.failures++;
    long ms = FIRST_RETRY.toMillis() << Math.min(s.failures - 1, 10);
    failed(s, why, Duration.ofMillis(Math.min(ms, MAX_RETRY.toMillis())));
  }

  private void failed(Sub s, String why, Duration retry) {
    reset(s);
    s.failure = why;
    s.timer = loop.schedule(retry, () -> setup(s));
  }

  private void scheduleRefresh(Sub s, Duration in) {
    s.timer.cancel();
    s.timer =
        loop.schedule(
            in,
            () -> {
              if (s.established) {
                send(s, LlqOption.REFRESH, s.id, REQUESTED_LEASE);
              }
            });
  }

  private static Optional<LlqOption> option(Message m) {
    List<OptionResult<LlqOption>> found = EdnsOptions.llq(m);
    if (!found.isEmpty() && found.get(0) instanceof OptionResult.Present<LlqOption> p) {
      return Optional.of(p.option());
    }
    return Optional.empty();
  }

  /** For status: each wanted question and whether its LLQ is up. */
  public Map<Question, Boolean> snapshot() {
    Map<Question, Boolean> out = new HashMap<>();
    subs.forEach((q, s) -> out.put(q, s.established));
    return out;
  }
}
