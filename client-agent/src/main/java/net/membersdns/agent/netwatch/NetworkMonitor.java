package net.membersdns.agent.netwatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the host's IPv4 {@link NetworkState} and reports each change once. Three sources: kernel
 * messages through {@link IpMonitor} (debounced: act after {@link #QUIET} of quiet, at most {@link
 * #MAX_DELAY} after the first message), a poll every {@link #POLL} in case messages were missed,
 * and a wall-clock jump detector ticking every second (sleep and wake). It reports only when the
 * state read afresh differs from the one reported before, except a clock jump, which always counts.
 *
 * <p>Threads: everything, the consumer included, runs on one daemon thread named {@code netwatch};
 * the consumer must return quickly (hand work to its own thread). {@link #current()} may be called
 * from any thread.
 */
public final class NetworkMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkMonitor.class);
  public static final Duration QUIET = Duration.ofMillis(250);
  public static final Duration MAX_DELAY = Duration.ofSeconds(1);
  public static final Duration POLL = Duration.ofSeconds(10);
  static final Duration JUMP_TICK = Duration.ofSeconds(1);
  static final Duration JUMP_THRESHOLD = Duration.ofSeconds(3);

  private final Supplier<NetworkState> reader;
  private final Clock clock;
  private final LongSupplier monoNanos;
  private final ScheduledExecutorService executor;
  private final IpMonitor ipMonitor;
  private final Debouncer debouncer = new Debouncer(QUIET, MAX_DELAY);
  private final ClockJumpDetector jumps = new ClockJumpDetector(JUMP_THRESHOLD);
  private final TreeSet<String> pendingKinds = new TreeSet<>();
  private volatile NetworkState current = NetworkState.none();
  private Consumer<NetworkChange> consumer;

  /** Watches this process's network namespace with the system clock. */
  public NetworkMonitor() {
    this(new NetworkStateReader(), Clock.systemUTC(), System::nanoTime, IpMonitor.COMMAND);
  }

  NetworkMonitor(
      Supplier<NetworkState> reader, Clock clock, LongSupplier monoNanos, List<String> command) {
    this.reader = reader;
    this.clock = clock;
    this.monoNanos = monoNanos;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("netwatch").unstarted(r));
    this.ipMonitor =
        new IpMonitor(
            command,
            executor,
            line -> executor.execute(() -> onKernelMessage(IpMonitor.kindOf(line))),
            () -> evaluate(NetworkChange.Trigger.POLL, "the netlink watcher restarted"));
  }

  /**
   * Starts watching. The first report (trigger {@link NetworkChange.Trigger#INITIAL}) carries the
   * state at start and comes at once; later ones only on change.
   */
  public void start(Consumer<NetworkChange> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    executor.execute(() -> {
      this.consumer = consumer;
      ipMonitor.start(); // before the first read, so no change falls between the two
      NetworkState first = reader.get();
      current = first;
      jumps.observe(clock.instant(), monoNanos.getAsLong());
      deliver(
          new NetworkChange(
              NetworkState.none(),
              first,
              NetworkChange.Trigger.INITIAL,
              "at start: " + first.describe(),
              clock.instant()));
    });
    executor.scheduleWithFixedDelay(
        () -> evaluate(NetworkChange.Trigger.POLL, "the periodic check"),
        POLL.toMillis(),
        POLL.toMillis(),
        TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(
        this::checkClock, JUMP_TICK.toMillis(), JUMP_TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The state last reported. */
  public NetworkState current() {
    return current;
  }

  private void onKernelMessage(String kind) {
    pendingKinds.add(kind);
    debouncer.event(clock.instant());
    scheduleDebounced();
  }

  private void scheduleDebounced() {
    Optional<Instant> due = debouncer.due();
    if (due.isEmpty()) {
      return;
    }
    long millis = Math.max(1, Duration.between(clock.instant(), due.get()).toMillis());
    executor.schedule(this::debounced, millis, TimeUnit.MILLISECONDS);
  }

  private void debounced() {
    if (debouncer.takeIfDue(clock.instant())) {
      String kinds = String.join(", ", pendingKinds);
      pendingKinds.clear();
      evaluate(NetworkChange.Trigger.NETLINK, "netlink: " + kinds);
    } else {
      scheduleDebounced(); // a later message moved the deadline, or the timer fired a hair early
    }
  }

  private void checkClock() {
    jumps
        .observe(clock.instant(), monoNanos.getAsLong())
        .ifPresent(skew ->
            evaluate(
                NetworkChange.Trigger.CLOCK_JUMP,
                "clock jump: the wall clock moved "
                    + Math.abs(skew.toSeconds())
                    + " s "
                    + (skew.isNegative() ? "back" : "ahead")
                    + " of the monotonic clock (sleep and wake, or a clock step)"));
  }

  private void evaluate(NetworkChange.Trigger trigger, String cause) {
    if (consumer == null) {
      return; // not started yet
    }
    NetworkChange.between(current, reader.get(), trigger, cause, clock.instant())
        .ifPresent(change -> {
          current = change.current();
          deliver(change);
        });
  }

  private void deliver(NetworkChange change) {
    try {
      consumer.accept(change);
    } catch (RuntimeException e) {
      log.warn("netwatch: the change consumer failed on {}", change.reason(), e);
    }
  }

  /** Stops the child process and the thread; no report follows. */
  @Override
  public void close() {
    ipMonitor.close();
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
