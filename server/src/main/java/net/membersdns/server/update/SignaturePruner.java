package net.membersdns.server.update;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets used update signatures once they can no longer verify (RFC 8945 §5.2.3: Time Signed
 * outside the Fudge is BADTIME, so a replay of them fails without the record). Every {@code
 * interval}, on its own daemon thread, it deletes in chunks until a chunk comes back short. Any
 * process sharing the database may prune: the rows are the same for all.
 */
public final class SignaturePruner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignaturePruner.class);

  /** Rows per delete statement: bounds one transaction's work. */
  static final int CHUNK = 10_000;

  private final UsedSignatures used;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("membersdns-signature-pruner").daemon().unstarted(r));

  public SignaturePruner(UsedSignatures used) {
    this.used = used;
  }

  /** Prunes every {@code interval}, the first time after one interval. */
  public void start(Duration interval) {
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::pruneQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One round; returns the rows deleted. */
  public int pruneOnce() {
    int total = 0;
    int n;
    do {
      n = used.prune(CHUNK);
      total += n;
    } while (n == CHUNK);
    return total;
  }

  private void pruneQuietly() {
    try {
      int n = pruneOnce();
      if (n > 0) {
        log.debug("signature-pruner: {} expired update signatures forgotten", n);
      }
    } catch (RuntimeException e) {
      log.warn("signature-pruner: round failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
