package net.membersdns.server.pipeline;

import java.util.Locale;
import java.util.Optional;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.codec.DnsRequest;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.update.JobResult;
import net.membersdns.server.update.Rejection;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.update.UpdateResponseBuilder;
import net.membersdns.server.update.WriterJob;
import net.membersdns.server.update.ZoneSection;
import net.membersdns.server.update.ZoneSectionCheck;
import net.membersdns.server.update.ZoneWriters;
import net.membersdns.server.zone.ServedZones;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The UPDATE route of the dispatcher (RFC 2136 over UDP, TCP and TLS). On the event loop, in memory
 * only: TSIG verification over the original wire bytes (RFC 8945 §5.2), the zone section (RFC 2136
 * §3.1), and refusal of unsigned updates and of keys without a grant on the zone; then the update
 * is queued on its zone's writer, which evaluates prerequisites and policy, commits, and only then
 * completes the job; the reply is rendered and sent from the writer's thread. Replies to signed
 * requests are signed (BADKEY/BADSIG errors unsigned, as RFC 8945 §5.3.2 says).
 */
public final class UpdateRequests {
  private static final Logger log = LoggerFactory.getLogger(UpdateRequests.class);

  private final ServedZones served;
  private final TsigVerifier verifier;
  private final TsigSigner signer;
  private final UpdatePolicy policy;
  private final ZoneWriters writers;
  private final DnsMetrics metrics;
  private final UpdateMetrics updateMetrics;

  /**
   * @param policy answers from the in-memory keyring; only its grant check is used here (the writer
   *     re-checks everything against the store inside its transaction)
   */
  public UpdateRequests(
      ServedZones served,
      TsigVerifier verifier,
      TsigSigner signer,
      UpdatePolicy policy,
      ZoneWriters writers,
      DnsMetrics metrics,
      UpdateMetrics updateMetrics) {
    this.served = served;
    this.verifier = verifier;
    this.signer = signer;
    this.policy = policy;
    this.writers = writers;
    this.metrics = metrics;
    this.updateMetrics = updateMetrics;
  }

  /** Handles one parsed UPDATE; answers now or after the commit. Never blocks. */
  public void handle(DnsRequest request, Message message, Edns edns, Responder responder) {
    TsigOutcome tsig = verifier.verify(message, request.wire());
    Reply reply = new Reply(request, message, edns, tsig, responder);
    switch (tsig) {
      case TsigOutcome.Malformed m -> reply.send(Rcode.FORMERR, Optional.empty(), false);
      case TsigOutcome.Failed f -> reply.send(f.rcode(), Optional.empty(), false);
      case TsigOutcome.Unsigned u -> {
        if (ZoneSectionCheck.check(message, served::get) instanceof Rejection r) {
          reply.send(r.rcode(), Optional.empty(), false);
        } else {
          // RFC 2136 §3.3 permission: nothing is keyed on source address (protocols.md §3.4).
          reply.send(Rcode.REFUSED, Optional.empty(), false);
        }
      }
      case TsigOutcome.Verified v -> {
        switch (ZoneSectionCheck.check(message, served::get)) {
          case Rejection r -> reply.send(r.rcode(), Optional.empty(), false);
          case ZoneSection.Served s -> {
            if (!policy.mayUpdate(Optional.of(v.key().name()), s.zone().apex())) {
              log.info(
                  "update: REFUSED: key {} has no update grant on {}",
                  v.key().name(),
                  s.zone().apex());
              reply.send(Rcode.REFUSED, Optional.empty(), false);
              return;
            }
            WriterJob job = new WriterJob.Update(message, v.key().name(), reply::complete);
            if (!writers.submit(s.zone().apex(), job)) {
              reply.send(Rcode.REFUSED, Optional.empty(), true);
            }
          }
        }
      }
    }
  }

  /** Renders and sends the reply to one update, from whichever thread decides it. */
  private final class Reply {
    private final DnsRequest request;
    private final Message message;
    private final Edns edns;
    private final TsigOutcome tsig;
    private final Responder responder;

    Reply(DnsRequest request, Message message, Edns edns, TsigOutcome tsig, Responder responder) {
      this.request = request;
      this.message = message;
      this.edns = edns;
      this.tsig = tsig;
      this.responder = responder;
    }

    void complete(JobResult result) {
      switch (result) {
        case JobResult.Applied a -> {
          a.leaseGranted().ifPresent(updateMetrics::leaseGranted);
          send(Rcode.NOERROR, a.replyLease(), false);
        }
        case JobResult.Rejected r -> {
          // A policy refusal (RFC 2136 §3.3) of a verified key is worth an operator's look (a host
          // key writing another host's names); prerequisite failures are ordinary traffic. The
          // reason names keys and owner names, never secrets.
          if (r.rcode() == Rcode.REFUSED) {
            log.info("update: REFUSED: {}", r.reason());
          } else {
            log.debug("update: {}: {}", Rcode.string(r.rcode()), r.reason());
          }
          send(r.rcode(), Optional.empty(), false);
        }
        case JobResult.Failed f -> send(Rcode.SERVFAIL, Optional.empty(), false);
        case JobResult.KeyRevoked k -> {
          TsigOutcome.Verified v = (TsigOutcome.Verified) tsig;
          sendAs(
              new TsigOutcome.Failed(Rcode.BADKEY, v.requestTsig(), Optional.empty()),
              Rcode.NOTAUTH,
              Optional.empty(),
              false);
        }
        case JobResult.Reaped r -> throw new IllegalStateException("update job reaped");
      }
    }

    void send(int rcode, Optional<UpdateLeaseOption> lease, boolean queueFull) {
      sendAs(tsig, rcode, lease, queueFull);
    }

    private void sendAs(
        TsigOutcome outcome, int rcode, Optional<UpdateLeaseOption> lease, boolean queueFull) {
      Message out = UpdateResponseBuilder.build(message, rcode & 0xF, lease, Edns.OUR_PAYLOAD_SIZE);
      if (queueFull && message.getOPT() != null) {
        // RFC 8914 §4.15 "Not Ready", as Knot answers a full DDNS queue: retry later.
        Record opt = out.getOPT();
        out.removeRecord(opt, Section.ADDITIONAL);
        out.addRecord(
            new OPTRecord(
                Edns.OUR_PAYLOAD_SIZE,
                0,
                0,
                0,
                new ExtendedErrorCodeOption(
                    ExtendedErrorCodeOption.NOT_READY, "update queue full")),
            Section.ADDITIONAL);
      }
      int limit = request.transport().datagram() ? edns.udpLimit() : 65535;
      byte[] wire = signer.toWire(out, outcome, limit);
      int sent = wire[3] & 0xF;
      // Audited before it is answered: no acknowledged update goes without its line.
      UpdateAudit.log(request, message, outcome, tsigTag(outcome), sent, lease);
      responder.respond(wire);
      metrics.request(request.transport(), "update", sent, request.receivedNanos());
      updateMetrics.update(sent, tsigTag(outcome));
    }
  }

  private static String tsigTag(TsigOutcome outcome) {
    return switch (outcome) {
      case TsigOutcome.Unsigned u -> "none";
      case TsigOutcome.Verified v -> "ok";
      case TsigOutcome.Malformed m -> "malformed";
      case TsigOutcome.Failed f -> Rcode.TSIGstring(f.error()).toLowerCase(Locale.ROOT);
    };
  }
}
