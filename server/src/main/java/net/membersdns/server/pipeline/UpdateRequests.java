package net.membersdns.server.pipeline;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.request.Exchange;
import net.membersdns.server.request.Reply;
import net.membersdns.server.request.ResponseSkeleton;
import net.membersdns.server.update.JobResult;
import net.membersdns.server.update.Rejection;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.update.WriterJob;
import net.membersdns.server.update.ZoneSection;
import net.membersdns.server.update.ZoneSectionCheck;
import net.membersdns.server.update.ZoneWriters;
import net.membersdns.server.zone.ServedZones;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The UPDATE route of the dispatcher (RFC 2136 over UDP, TCP and TLS). On the event loop, in memory
 * only: TSIG verification over the original wire bytes (RFC 8945 §5.2), the zone section (RFC 2136
 * §3.1), and refusal of unsigned updates and of keys without a grant on the zone; then the update
 * is queued on its zone's writer, which evaluates prerequisites and policy, commits, and only then
 * completes the job; the {@link Reply} is handed to the {@link Exchange} from the writer's thread
 * (the {@link ReplyFinisher} signs it: BADKEY/BADSIG errors unsigned, as RFC 8945 §5.3.2 says).
 *
 * <p>Replays: the writer records each update's TSIG signature in its commit and refuses one used
 * before ({@link JobResult.Replayed}); {@link UpdateReplays} answers a retransmission of the same
 * message with the first copy's answer, and refuses a known replay before it is queued. A replay is
 * REFUSED, signed, with an Extended DNS Error saying so (EXTRA-TEXT {@link #REPLAYED}).
 */
public final class UpdateRequests {
  private static final Logger log = LoggerFactory.getLogger(UpdateRequests.class);

  private final ServedZones served;
  private final TsigVerifier verifier;
  private final UpdatePolicy policy;
  private final ZoneWriters writers;
  private final UpdateMetrics updateMetrics;
  private final UpdateReplays replays;
  private final BooleanSupplier storeReachable;

  /** The EXTRA-TEXT of the Extended DNS Error that answers a replay. */
  static final String REPLAYED = "replayed update: its TSIG signature was used before";

  /**
   * @param policy answers from the in-memory keyring; only its grant check is used here (the writer
   *     re-checks everything against the store inside its transaction)
   * @param storeReachable whether the database can be reached now ({@code DatabaseHealth}); while
   *     it cannot, verified updates are answered SERVFAIL at once instead of being queued
   */
  public UpdateRequests(
      ServedZones served,
      TsigVerifier verifier,
      UpdatePolicy policy,
      ZoneWriters writers,
      UpdateMetrics updateMetrics,
      Clock clock,
      BooleanSupplier storeReachable) {
    this.served = served;
    this.verifier = verifier;
    this.policy = policy;
    this.writers = writers;
    this.updateMetrics = updateMetrics;
    this.replays = new UpdateReplays(served, clock);
    this.storeReachable = storeReachable;
  }

  /**
   * SERVFAIL with Extended DNS Error 14 "Not Ready" (RFC 8914 §4.15: the server is not fully
   * functional; the client should retry later, as it would after any SERVFAIL), for updates that
   * cannot be committed because the database is unreachable. Code 23 "Network Error" was not
   * chosen: it is about reaching other DNS servers.
   */
  private static Reply unavailable(TsigOutcome tsig) {
    return new Reply.Failure(
        Rcode.SERVFAIL,
        tsig,
        List.of(
            new ExtendedErrorCodeOption(
                ExtendedErrorCodeOption.NOT_READY, "database unreachable")));
  }

  /** Handles one parsed UPDATE; answers now or after the commit. Never blocks. */
  public void handle(Exchange exchange) {
    Message message = exchange.message();
    TsigOutcome tsig = verifier.verify(message, exchange.request().wire());
    switch (tsig) {
      case TsigOutcome.Malformed m -> exchange.reply(Reply.Failure.tsig(m));
      case TsigOutcome.Failed f -> exchange.reply(Reply.Failure.tsig(f));
      case TsigOutcome.Unsigned u -> {
        if (ZoneSectionCheck.check(message, served::get) instanceof Rejection r) {
          exchange.reply(Reply.Failure.of(r.rcode()));
        } else {
          // RFC 2136 §3.3 permission: nothing is keyed on the source address (RFC 3007 §4).
          exchange.reply(Reply.Failure.of(Rcode.REFUSED));
        }
      }
      case TsigOutcome.Verified v -> {
        switch (ZoneSectionCheck.check(message, served::get)) {
          case Rejection r -> exchange.reply(Reply.Failure.of(r.rcode(), v));
          case ZoneSection.Served s -> {
            if (!policy.mayUpdate(Optional.of(v.key().name()), s.zone().apex())) {
              log.info(
                  "update: REFUSED: key {} has no update grant on {}",
                  v.key().name(),
                  s.zone().apex());
              exchange.reply(Reply.Failure.of(Rcode.REFUSED, v));
              return;
            }
            Optional<UpdateSignature> signature = UpdateSignature.of(message);
            UpdateReplays.Pending first = null;
            if (signature.isPresent()) {
              UpdateReplays.Verdict seen =
                  replays.classify(
                      signature.get(),
                      message.getHeader().getID(),
                      s.zone().apex(),
                      r -> answerCopy(exchange, v, r));
              switch (seen.seen()) {
                case RETRANSMISSION -> {
                  updateMetrics.retransmission();
                  return;
                }
                case REPLAY -> {
                  exchange.reply(replayed(v));
                  return;
                }
                case FIRST -> first = seen.pending();
              }
            }
            UpdateReplays.Pending pending = first;
            if (!storeReachable.getAsBoolean()) {
              // Not queued: it could only wait for the pool's timeout, and its client retry. A
              // first copy is forgotten, so the client's retry is evaluated afresh.
              if (pending != null) {
                pending.abandoned();
              }
              exchange.reply(unavailable(v));
              return;
            }
            WriterJob job =
                new WriterJob.Update(
                    message,
                    v.key().name(),
                    signature,
                    r -> {
                      complete(exchange, v, r);
                      if (pending != null) {
                        pending.answered(r);
                      }
                    });
            if (!writers.submit(s.zone().apex(), job)) {
              if (pending != null) {
                pending.abandoned();
              }
              // RFC 8914 §4.15 "Not Ready", as Knot answers a full DDNS queue: retry later.
              exchange.reply(
                  new Reply.Failure(
                      Rcode.REFUSED,
                      v,
                      List.of(
                          new ExtendedErrorCodeOption(
                              ExtendedErrorCodeOption.NOT_READY, "update queue full"))));
            }
          }
        }
      }
    }
  }

  /** The reply to a committed (or refused, or failed) update; on the committer's thread. */
  private void complete(Exchange exchange, TsigOutcome.Verified tsig, JobResult result) {
    if (result instanceof JobResult.Applied a) {
      a.leaseGranted().ifPresent(updateMetrics::leaseGranted);
    }
    exchange.reply(reply(exchange, tsig, result));
  }

  /** A retransmission's reply: the first copy's result, answered to this copy. */
  private void answerCopy(Exchange exchange, TsigOutcome.Verified tsig, JobResult result) {
    exchange.reply(reply(exchange, tsig, result));
  }

  /**
   * A replayed update: REFUSED, signed (the TSIG itself verified), with Extended DNS Error 0
   * "Other" (RFC 8914 §4.1: no code names replays) and the reason as EXTRA-TEXT.
   */
  private Reply replayed(TsigOutcome.Verified tsig) {
    updateMetrics.replay();
    log.info("update: REFUSED: replayed update (key {})", tsig.key().name());
    return new Reply.Failure(
        Rcode.REFUSED,
        tsig,
        List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.OTHER, REPLAYED)));
  }

  private Reply reply(Exchange exchange, TsigOutcome.Verified tsig, JobResult result) {
    return switch (result) {
      case JobResult.Applied a -> {
        yield new Reply.Answer(
            ResponseSkeleton.of(exchange.message()),
            Rcode.NOERROR,
            a.replyLease().map(l -> List.of(l.toOption())).orElse(List.of()),
            tsig);
      }
      case JobResult.Rejected r -> {
        // A policy refusal (RFC 2136 §3.3) of a verified key is worth an operator's look (a
        // host key writing another host's names); prerequisite failures are ordinary traffic.
        // The reason names keys and owner names, never secrets.
        if (r.rcode() == Rcode.REFUSED) {
          log.info("update: REFUSED: {}", r.reason());
        } else {
          log.debug("update: {}: {}", Rcode.string(r.rcode()), r.reason());
        }
        yield Reply.Failure.of(r.rcode(), tsig);
      }
      case JobResult.Failed f ->
          storeReachable.getAsBoolean()
              ? Reply.Failure.of(Rcode.SERVFAIL, tsig)
              : unavailable(tsig);
      case JobResult.KeyRevoked k ->
          // The key is gone since the request verified: BADKEY (RFC 8945 §5.2.1), unsigned.
          Reply.Failure.tsig(
              new TsigOutcome.Failed(Rcode.BADKEY, tsig.requestTsig(), Optional.empty()));
      case JobResult.Replayed r -> replayed(tsig);
      case JobResult.Reaped r -> throw new IllegalStateException("update job reaped");
    };
  }
}
