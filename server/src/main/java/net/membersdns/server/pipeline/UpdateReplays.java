package net.membersdns.server.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.membersdns.server.update.JobResult;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.Name;

/**
 * Tells a retransmission of a signed UPDATE from a replay, in this process, before anything is
 * queued. The store is what refuses replays for good: every evaluated update's signature is
 * recorded in its commit's transaction (V7), on every process sharing the database. But a client
 * that lost our reply sends the same bytes again (nsupdate and dnspython over UDP, a client whose
 * TCP connection broke), and should get the answer the first copy got rather than an error. So the
 * first answer to each signature is kept here, and the same request again gets it again while:
 *
 * <ul>
 *   <li>it is the same message: same signature (RFC 8945 §4.2: key, Time Signed, MAC) and the same
 *       message ID. The MAC does not cover the ID (§4.3.1 digests the Original ID instead), so a
 *       new ID with an old MAC verifies; it is no retransmission, but a replay;
 *   <li>the zone is still at the version this process published when it answered: the copy asks for
 *       nothing the owner has changed since. Once the zone changed (the owner deleted what the
 *       update added, another host wrote, a lease ran out) the same bytes are a replay;
 *   <li>this process still holds the answer: the last {@link #CAPACITY} signatures, each until it
 *       stops verifying. After a restart, on another process, or once evicted, the same bytes are a
 *       replay: the store refuses them, and the client re-signs to try again.
 * </ul>
 *
 * A copy that arrives while the first is still queued waits for the first's answer. Answers of a
 * failed transaction (SERVFAIL) are not kept: nothing of them was recorded, and the copy is
 * evaluated afresh.
 *
 * <p>Thread-safe: event loops ask, committer threads answer.
 */
final class UpdateReplays {
  /** Signatures remembered at most (about 200 bytes each). */
  static final int CAPACITY = 65_536;

  /** What became of a signed update that passed every check before its zone's queue. */
  enum Seen {
    /** Not seen here before: queue it, and call {@link Pending#answered} with its result. */
    FIRST,
    /** The same message again: it was, or will be, answered with the first copy's result. */
    RETRANSMISSION,
    /** Its signature was used by another message, or the zone changed since: refuse it. */
    REPLAY
  }

  /** The first copy of a signature while it is queued; its waiters are later copies. */
  final class Pending {
    private final UpdateSignature signature;
    private final int id;
    private final Name apex;
    private final List<Consumer<JobResult>> waiters = new ArrayList<>();

    private Pending(UpdateSignature signature, int id, Name apex) {
      this.signature = signature;
      this.id = id;
      this.apex = apex;
    }

    /**
     * The first copy's result: kept for later copies (unless the transaction failed), and handed to
     * the copies that waited. Call after the zone version is published.
     */
    void answered(JobResult result) {
      List<Consumer<JobResult>> waiting;
      synchronized (UpdateReplays.this) {
        waiting = List.copyOf(waiters);
        waiters.clear();
        if (entries.get(signature) == this) {
          if (result instanceof JobResult.Failed) {
            entries.remove(signature);
          } else {
            ZoneData zone = served.get(apex);
            entries.put(
                signature,
                new Answered(id, apex, zone == null ? Long.MIN_VALUE : zone.generation(), result));
          }
        }
      }
      for (Consumer<JobResult> w : waiting) {
        w.accept(result);
      }
    }

    /** The first copy was not queued (its zone's queue was full): later copies are new again. */
    void abandoned() {
      answered(new JobResult.Failed("not queued"));
    }
  }

  /** The first copy's answer, given at zone generation {@code generation}. */
  private record Answered(int id, Name apex, long generation, JobResult result) {}

  private final ServedZones served;
  private final Clock clock;

  /** Pending or Answered, by signature, oldest first. Guarded by {@code this}. */
  private final LinkedHashMap<UpdateSignature, Object> entries = new LinkedHashMap<>();

  UpdateReplays(ServedZones served, Clock clock) {
    this.served = served;
    this.clock = clock;
  }

  /**
   * What {@link #classify} found.
   *
   * @param pending for {@link Seen#FIRST}, the entry to complete with the update's result
   */
  record Verdict(Seen seen, Pending pending) {
    static final Verdict RETRANSMISSION = new Verdict(Seen.RETRANSMISSION, null);
    static final Verdict REPLAY = new Verdict(Seen.REPLAY, null);
  }

  /**
   * Classifies a verified update of the zone at {@code apex}, message ID {@code id}. For a {@link
   * Seen#RETRANSMISSION}, {@code answer} is called with the first copy's result, now (on this
   * thread, before this returns) or when it comes.
   */
  Verdict classify(UpdateSignature signature, int id, Name apex, Consumer<JobResult> answer) {
    JobResult now = null;
    synchronized (this) {
      forgetExpired();
      Object entry = entries.get(signature);
      switch (entry) {
        case null -> {
          Pending p = new Pending(signature, id, apex);
          entries.put(signature, p);
          if (entries.size() > CAPACITY) {
            Iterator<Object> oldest = entries.values().iterator();
            oldest.next();
            oldest.remove();
          }
          return new Verdict(Seen.FIRST, p);
        }
        case Pending p when p.id == id -> {
          p.waiters.add(answer);
          return Verdict.RETRANSMISSION;
        }
        case Answered a when a.id == id && unchanged(a) -> now = a.result;
        default -> {
          return Verdict.REPLAY;
        }
      }
    }
    answer.accept(now);
    return Verdict.RETRANSMISSION;
  }

  private boolean unchanged(Answered a) {
    ZoneData zone = served.get(a.apex);
    return zone != null && zone.generation() == a.generation;
  }

  /** Drops the oldest entries whose signature no longer verifies (caller holds the lock). */
  private void forgetExpired() {
    long now = clock.millis() / 1000;
    Iterator<Map.Entry<UpdateSignature, Object>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<UpdateSignature, Object> e = it.next();
      if (e.getKey().expiresSeconds() >= now) {
        return;
      }
      it.remove();
    }
  }

  /** Signatures held (tests). */
  synchronized int size() {
    return entries.size();
  }
}
