package net.membersdns.agent.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.dns.Reply;
import net.membersdns.agent.dns.ServerSession;
import net.membersdns.agent.loop.Scheduler;
import net.membersdns.agent.metrics.AgentMetrics;
import net.membersdns.agent.register.HostRegistration;
import net.membersdns.agent.register.RecordSet;
import net.membersdns.agent.register.RegistrationSchedule;
import net.membersdns.agent.register.UpdatePlan;
import net.membersdns.agent.tunnel.IpText;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import org.xbill.DNS.Rcode;

/**
 * Keeps the host's records registered: sends the UPDATE of {@link UpdatePlan} whenever the wanted
 * records differ from the registered ones, refreshes the lease at 75 % (RFC 9664 §4.3), backs off
 * after failures and says why, and withdraws everything on shutdown. One UPDATE in flight at a
 * time, so the server sees them in order.
 *
 * <p>Loop-confined.
 */
final class Registrar {
  /** The lease asked for (RFC 9664; the server clamps it). */
  static final long LEASE = 7200;

  /** Never ask a lease shorter than this, even when the mapping has less left. */
  static final long MIN_LEASE = 60;

  private final Scheduler loop;
  private final Say say;
  private final AgentMetrics metrics;
  private final RegistrationSchedule schedule;
  private final Runnable changed;
  private HostRegistration desired;
  private Optional<Instant> mappingExpiry = Optional.empty();
  private ServerSession session;
  private boolean inFlight;
  private Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;
  private Diagnosis diagnosis = new Diagnosis(Diagnosis.Kind.UNKNOWN, "not registered yet");
  private Instant lastSuccess;
  private boolean stopping;

  /**
   * @param changed told (on the loop) after every answer or failure, for the status file
   */
  Registrar(
      Scheduler loop, Say say, AgentMetrics metrics, RandomGenerator random, Runnable changed) {
    this.loop = loop;
    this.changed = changed;
    this.say = say;
    this.metrics = metrics;
    this.schedule = new RegistrationSchedule(random);
  }

  /** The records the host should have now; {@code mappingExpiry} bounds the lease. */
  void want(HostRegistration registration, Optional<Instant> mappingExpiry) {
    this.desired = registration;
    this.mappingExpiry = mappingExpiry;
    kick();
  }

  void attach(ServerSession s) {
    session = s;
    kick();
  }

  void detach() {
    session = null;
    timer.cancel();
  }

  Diagnosis diagnosis() {
    return diagnosis;
  }

  Optional<RecordSet> registered() {
    return schedule.registered();
  }

  Instant leaseExpiry() {
    return schedule.leaseExpiry();
  }

  Optional<Instant> lastSuccess() {
    return Optional.ofNullable(lastSuccess);
  }

  /** registered, registering, failing, withdrawn or not yet. */
  String state() {
    if (stopping) {
      return "withdrawn";
    }
    if (schedule.failures() > 0) {
      return "failing";
    }
    if (schedule.registered().filter(r -> !r.isEmpty()).isPresent()
        && schedule.leaseExpiry().isAfter(loop.now())) {
      return desired != null && schedule.registered().get().equals(desired.records())
          ? "registered"
          : "registering";
    }
    return "not yet";
  }

  /** Sends what is due now, or sets a timer for when it is. */
  void kick() {
    timer.cancel();
    if (session == null || desired == null || inFlight || stopping) {
      return;
    }
    RecordSet records = desired.records();
    Instant due = schedule.nextAttempt(records, loop.now());
    if (due.isAfter(loop.now())) {
      timer = loop.schedule(Duration.between(loop.now(), due), this::kick);
      return;
    }
    send(records);
  }

  private void send(RecordSet records) {
    HostRegistration sent = desired;
    long lease = lease();
    boolean refresh = schedule.registered().filter(records::equals).isPresent();
    ServerSession s = session;
    inFlight = true;
    s.request(
            UpdatePlan.build(desired.zone(), desired.host(), schedule.registered(), records, lease))
        .whenCompleteAsync(
            (reply, error) -> {
              inFlight = false;
              if (stopping) {
                return;
              }
              if (s != session) {
                // sent on a connection that was dropped since (a move): not a failure of the
                // server, and the outcome is unknown; send again at once on the new one
                schedule.unknown();
                kick();
                return;
              }
              if (error != null) {
                failed("no answer to the registration: " + cause(error), "timeout", true);
              } else {
                answered(reply, sent, records, lease, refresh);
              }
              changed.run();
              kick();
            },
            loop);
  }

  private void answered(
      Reply reply, HostRegistration sent, RecordSet records, long asked, boolean refresh) {
    if (!reply.ok()) {
      String what = reply.describe();
      Diagnosis.Kind kind =
          reply.rcode() == Rcode.NOTAUTH
              ? Diagnosis.Kind.NOT_AUTHORIZED
              : Diagnosis.Kind.UPDATE_REFUSED;
      // the server's own reason (RFC 8914), when it gives one, beats the agent's guess
      String hint =
          reply.extendedError().isPresent()
              ? ""
              : reply.rcode() == Rcode.REFUSED
                  ? " (the key may not write these names: is it this host's key?)"
                  : reply.rcode() == Rcode.NOTAUTH
                      ? " (unknown or revoked key, or a clock off by more than 5 min)"
                      : "";
      diagnosis = new Diagnosis(kind, "the server answered the registration with " + what + hint);
      metrics.registration(Rcode.string(reply.rcode()));
      Duration wait =
          schedule.failed(
              loop.now(), reply.check() != net.membersdns.agent.dns.RequestSigner.Check.VERIFIED);
      say.line(
          "registration refused: " + what + hint + "; trying again in " + wait.toSeconds() + " s");
      return;
    }
    long granted = grantedLease(reply).orElse(asked);
    schedule.succeeded(records, Duration.ofSeconds(granted), loop.now());
    lastSuccess = loop.now();
    metrics.registration("NOERROR");
    metrics.lease(schedule.leaseExpiry());
    diagnosis =
        new Diagnosis(
            Diagnosis.Kind.REGISTERED,
            records.records().size()
                + " records in "
                + desired.zone()
                + ", lease "
                + granted
                + " s");
    if (refresh) {
      say.line("lease refreshed: " + granted + " s");
    } else {
      say.line("registered " + summary(sent) + " (lease " + granted + " s)");
    }
  }

  private void failed(String why, String metric, boolean unknown) {
    metrics.registration(metric);
    diagnosis = new Diagnosis(Diagnosis.Kind.SERVER_UNREACHABLE, why);
    Duration wait = schedule.failed(loop.now(), unknown);
    say.line(why + "; trying again in " + wait.toSeconds() + " s");
  }

  /**
   * Withdraws every record (clean shutdown): one UPDATE deleting them, answered or not within
   * {@code timeout}. Completes on the loop.
   */
  CompletableFuture<Boolean> withdraw(Duration timeout) {
    stopping = true;
    timer.cancel();
    if (session == null || desired == null) {
      return CompletableFuture.completedFuture(false);
    }
    return session
        .request(
            UpdatePlan.build(
                desired.zone(), desired.host(), schedule.registered(), RecordSet.EMPTY, LEASE))
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .handle((reply, error) -> {
          boolean ok = error == null && reply.ok();
          if (ok) {
            schedule.withdrawn();
            metrics.lease(Instant.MIN);
          }
          return ok;
        });
  }

  /** The lease to ask: 7200 s, never past the port mapping's end (RFC 9664 leases end records). */
  private long lease() {
    long lease = LEASE;
    if (mappingExpiry.isPresent()) {
      long left = Duration.between(loop.now(), mappingExpiry.get()).toSeconds();
      lease = Math.max(MIN_LEASE, Math.min(lease, left));
    }
    return lease;
  }

  private static Optional<Long> grantedLease(Reply reply) {
    if (EdnsOptions.updateLease(reply.message())
        instanceof OptionResult.Present<UpdateLeaseOption> p) {
      return Optional.of(p.option().lease());
    }
    return Optional.empty();
  }

  /** "mbp AAAA fd..., public 198.18.1.2:51820, LAN 192.168.1.2:51820, tunnel key". */
  private static String summary(HostRegistration r) {
    return r.host()
        + " AAAA "
        + IpText.address(r.ula())
        + r.publicAddress()
            .map(a -> ", public " + a.getHostAddress() + ":" + r.publicPort())
            .orElse(", no public endpoint")
        + r.lanAddress()
            .filter(a -> !a.equals(r.publicAddress().orElse(null)))
            .map(a -> ", LAN " + a.getHostAddress() + ":" + r.port())
            .orElse("")
        + (r.tunnelKey().isPresent() ? ", tunnel key" : "")
        + r.natProblem().map(p -> ", nat=" + p).orElse("");
  }

  private static String cause(Throwable e) {
    Throwable t = e.getCause() != null ? e.getCause() : e;
    return t instanceof java.util.concurrent.TimeoutException
        ? "timed out"
        : String.valueOf(t.getMessage());
  }
}
