package net.membersdns.server.store;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database can be reached, so that the update path answers at once while it cannot
 * instead of queueing every update for the pool's connection timeout (UDP clients would retry and
 * pile up). Fed by the failures of the parts that use the database ({@link #failed}: commits, the
 * change feed's line); while down, a probe thread makes one cheap round trip every {@code interval}
 * and marks it up again when one succeeds. The transitions are logged once each: a WARN when it
 * goes down, an INFO with the outage's length when it is back; nothing per failed request.
 *
 * <p>Thread-safe; {@link #isUp} is a volatile read, cheap on any thread.
 */
public final class DatabaseHealth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);

  /** One round trip to the database; throws when it cannot be made. */
  @FunctionalInterface
  public interface Probe {
    void ping() throws Exception;
  }

  private final Probe probe;
  private final long intervalMillis;
  private volatile boolean up = true;
  private volatile boolean closed;
  private long downSince; // nanoTime; guarded by this
  private Thread prober; // guarded by this

  /**
   * @param probe one round trip (a pooled connection's validity check)
   * @param interval between probes while down
   */
  public DatabaseHealth(Probe probe, Duration interval) {
    this.probe = probe;
    this.intervalMillis = interval.toMillis();
  }

  /** Whether the database was reachable at the last contact. */
  public boolean isUp() {
    return up;
  }

  /**
   * Reports a failure of database work. When it says that the database cannot be reached (no
   * connection, a connection lost, the server shutting down), the health turns down (logged once)
   * and the probe starts.
   *
   * @return whether {@code failure} is the database being unreachable: the caller need not log it
   */
  public boolean failed(Throwable failure) {
    if (!unreachable(failure)) {
      return false;
    }
    synchronized (this) {
      if (up && !closed) {
        up = false;
        downSince = System.nanoTime();
        log.warn(
            "database: unreachable ({}); updates are answered SERVFAIL at once and /ready is 503"
                + " until it is back",
            rootMessage(failure));
        prober =
            Thread.ofPlatform()
                .name("membersdns-database-probe")
                .daemon()
                .start(this::probeUntilUp);
      }
    }
    return true;
  }

  /**
   * Background database work (the lease reaper's backstop round, the signature pruner): runs {@code
   * work} while the database is reachable and gives {@code otherwise} while it is not, or when this
   * attempt finds it gone (the outage is logged once, by the health, not by every round that meets
   * it). Other failures are the work's own and propagate.
   */
  public <T> T whileReachable(Supplier<T> work, T otherwise) {
    if (!up) {
      return otherwise;
    }
    try {
      return work.get();
    } catch (RuntimeException e) {
      if (failed(e)) {
        return otherwise;
      }
      throw e;
    }
  }

  private void probeUntilUp() {
    while (!up && !closed) {
      try {
        Thread.sleep(intervalMillis);
        probe.ping();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        log.debug("database: probe failed: {}", rootMessage(e));
        continue;
      }
      synchronized (this) {
        log.info(
            "database: reachable again after {} s; updates are accepted",
            String.format("%.1f", (System.nanoTime() - downSince) / 1e9));
        prober = null;
        up = true; // after the line: whoever sees it up finds it logged
      }
    }
  }

  /**
   * Whether {@code e} (or a cause) says the database cannot be reached: SQLSTATE class 08
   * (connection exception), 57P01-57P03 (shut down, crashed, not accepting connections yet), or a
   * socket failure. Other failures (a constraint, a serialization conflict, a bug) are the
   * request's, not the database's.
   */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.matches("57P0[123]")) {
          return true;
        }
      }
      if (t instanceof ConnectException
          || t instanceof SocketException
          || t instanceof EOFException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** Stops the probe. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = prober;
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
