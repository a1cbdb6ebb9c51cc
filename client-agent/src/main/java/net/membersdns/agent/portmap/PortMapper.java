package net.membersdns.agent.portmap;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import net.membersdns.agent.netwatch.NetworkChange;
import net.membersdns.agent.netwatch.NetworkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one UDP port of this host reachable from the Internet through the gateway's NAT, with PCP
 * (RFC 6887) or NAT-PMP (RFC 6886), across renewals, gateway reboots, address changes and moves
 * between networks, and says where things stand ({@link #current()}, {@link Listener}).
 *
 * <p>Feed it the network ({@link #update}, or {@link #networkChanged} straight from a {@code
 * NetworkMonitor}); it maps at once on a new gateway or local address, renews at half the granted
 * lifetime and re-checks external address, epoch and the mapping itself every {@link
 * #CHECK_INTERVAL}, listens for announcements, and deletes the mapping on {@link #close()}. A
 * ledger in the state dir lets the next run release what a crashed run left behind.
 *
 * <p>Threads: all work runs on one daemon thread ({@code portmap}), requests serialised as RFC 6886
 * §3.1 asks; the {@link Listener} is called there and must return quickly. The public methods are
 * thread-safe and do not block, except {@link #close()}.
 */
public final class PortMapper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortMapper.class);

  /** RFC 6886 §3.3's recommendation. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);

  /** How often a live mapping is re-checked (miniupnpd announces a change only once). */
  public static final Duration CHECK_INTERVAL = Duration.ofMinutes(1);

  /** RFC 6886 §3.7 and RFC 6887 §14.1.3: a uniformly random 0–5 s before re-mapping. */
  public static final Duration REBOOT_JITTER = Duration.ofSeconds(5);

  /** The longest the thread sleeps without looking at the clock: bounds a wall-clock jump. */
  private static final Duration MAX_SLEEP = Duration.ofSeconds(30);

  /**
   * Told on the mapper's thread of every change of protocol, external address, port or diagnosis.
   */
  @FunctionalInterface
  public interface Listener {
    void mappingChanged(MappingState state);
  }

  private final Clock clock;
  private final Listener listener;
  private final MappingKeeper keeper;
  private final ScheduledExecutorService executor;
  private final AnnouncementListener announcements;
  private volatile MappingState current;
  private volatile boolean closed;
  private ScheduledFuture<?> timer;
  private volatile Thread thread;

  /**
   * Maps UDP {@code internalPort} asking for {@code lifetime} (RFC 6886 recommends 7200 s), with no
   * metrics and no double-NAT probe; see {@link #builder} for those.
   */
  public PortMapper(
      Path stateDir, int internalPort, Duration lifetime, Clock clock, Listener listener) {
    this(builder(stateDir, listener).internalPort(internalPort).lifetime(lifetime).clock(clock));
  }

  /** Settings beyond the constructor's: metrics, the double-NAT probe, test timings. */
  public static PortMapperBuilder builder(Path stateDir, Listener listener) {
    return new PortMapperBuilder(stateDir, listener);
  }

  PortMapper(PortMapperBuilder b) {
    this.clock = b.clock;
    this.listener = b.listener;
    this.current = MappingState.initial(b.internalPort);
    PortMapMetrics metrics =
        new PortMapMetrics(
            b.registry, () -> (double) current.remaining(clock.instant()).toSeconds());
    MappingKeeper.Config cfg =
        new MappingKeeper.Config(
            b.internalPort,
            TransportProtocol.UDP,
            b.lifetime,
            b.clock,
            b.checkInterval,
            b.rebootJitter,
            RandomGenerator.getDefault(),
            b.probeTarget,
            b.hopProbe);
    this.keeper =
        new MappingKeeper(
            cfg,
            new MappingLedger(b.stateDir),
            (local, gateway) -> new PortMapClient(local, gateway, b.gatewayPort, metrics));
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> thread = Thread.ofPlatform().daemon().name("portmap").unstarted(r));
    this.announcements =
        new AnnouncementListener(
            b.announcementPort, a -> submit(() -> keeper.announcement(a)), metrics);
  }

  /** The network now; a new gateway or local address re-maps at once, the same does nothing. */
  public void update(NetworkState state) {
    Objects.requireNonNull(state, "state");
    keeper.cancelIfObsolete(state); // a 4 s request to a gateway we left must not delay the new one
    submit(() -> {
      announcements.follow(state); // first: hear a gateway that restarts while we map
      keeper.network(state);
    });
  }

  /** {@link #update} with the change's state, and a {@link #refresh} after a clock jump. */
  public void networkChanged(NetworkChange change) {
    update(change.current());
    if (change.trigger() == NetworkChange.Trigger.CLOCK_JUMP) {
      refresh();
    }
  }

  /** Re-checks the mapping now (after a sleep the gateway may have dropped or rebooted). */
  public void refresh() {
    submit(keeper::refresh);
  }

  /** The latest state; expiry and epoch move with every renewal. */
  public MappingState current() {
    return current;
  }

  private void submit(Runnable step) {
    if (closed) {
      return;
    }
    try {
      executor.execute(() -> {
        try {
          step.run();
        } catch (RuntimeException e) {
          log.warn("portmap: step failed", e);
        }
        afterStep();
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void afterStep() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    Optional<Instant> due = keeper.nextDue();
    if (due.isPresent() && !closed) {
      Duration wait = Duration.between(clock.instant(), due.get());
      long millis = Math.clamp(wait.toMillis(), 0, MAX_SLEEP.toMillis());
      timer = executor.schedule(() -> submit(keeper::due), millis, TimeUnit.MILLISECONDS);
    }
    MappingState before = current;
    MappingState now = keeper.state();
    current = now;
    if (!closed && !now.sameOutcome(before)) {
      try {
        listener.mappingChanged(now);
      } catch (RuntimeException e) {
        log.warn("portmap: listener failed", e);
      }
    }
  }

  /**
   * Deletes the mapping on the gateway and records what is left in the ledger, then stops. Blocks
   * until done: at most a request in flight (about 4 s) and the deletion (under 1 s). The listener
   * is not called any more.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Runnable stop =
        () -> {
          announcements.close();
          keeper.close();
          current = keeper.state();
        };
    try {
      if (Thread.currentThread() == thread) {
        stop.run(); // from the listener: waiting for our own thread would never end
      } else {
        executor.submit(stop).get(15, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.warn("portmap: clean shutdown incomplete: {}", e.toString());
    } finally {
      executor.shutdownNow();
    }
  }
}
