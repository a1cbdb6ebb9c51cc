package net.membersdns.agent.netwatch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code ip -4 -o monitor link address route} as a child process and hands every message line
 * to a callback: iproute2 already speaks netlink, so the JVM needs no native code to hear address,
 * route and link changes. The child is restarted when it dies (1 s, doubling to 30 s: a missing
 * {@code ip} must not spin) and killed on {@link #close()}.
 *
 * <p>Threads: one daemon thread reads the child's output and calls the callback; restarts are
 * scheduled on the owner's executor.
 */
final class IpMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IpMonitor.class);
  static final List<String> COMMAND =
      List.of("ip", "-4", "-o", "monitor", "link", "address", "route");
  private static final Duration FIRST_RESTART = Duration.ofSeconds(1);
  private static final Duration MAX_RESTART = Duration.ofSeconds(30);

  private final List<String> command;
  private final ScheduledExecutorService executor;
  private final Consumer<String> onLine;
  private final Runnable onRestart;
  private volatile boolean closed;
  private volatile Process process;
  private Duration restartDelay = FIRST_RESTART;

  /**
   * @param onLine called on the reader thread for each line
   * @param onRestart called on {@code executor} after a restart: messages may have been missed
   */
  IpMonitor(
      List<String> command,
      ScheduledExecutorService executor,
      Consumer<String> onLine,
      Runnable onRestart) {
    this.command = List.copyOf(command);
    this.executor = executor;
    this.onLine = onLine;
    this.onRestart = onRestart;
  }

  /** Kind of a monitor line, for reasons in plain words: "link", "address" or "route". */
  static String kindOf(String line) {
    String l = line.startsWith("Deleted ") ? line.substring(8) : line;
    if (l.matches("^\\d+: \\S+\\s+inet6? .*")) {
      return "address";
    }
    if (l.matches("^\\d+: \\S+: <.*")) {
      return "link";
    }
    return "route";
  }

  synchronized void start() {
    if (closed) {
      return;
    }
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      process = p;
      Thread.ofPlatform().daemon().name("netwatch-ip-monitor").start(() -> read(p));
    } catch (IOException e) {
      log.warn(
          "netwatch: cannot run {}: {}; polling only until it can", command.get(0), e.getMessage());
      scheduleRestart();
    }
  }

  private void read(Process p) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        restartDelay = FIRST_RESTART; // it works: a later death restarts quickly again
        onLine.accept(line);
      }
    } catch (IOException | RuntimeException e) {
      // the stream closes when the child dies or is killed; either way: see below
    }
    p.destroy();
    if (!closed) {
      log.warn("netwatch: {} ended (exit {}); restarting", command.get(0), exitOf(p));
      scheduleRestart();
    }
  }

  private synchronized void scheduleRestart() {
    if (closed) {
      return;
    }
    Duration delay = restartDelay;
    restartDelay =
        restartDelay.multipliedBy(2).compareTo(MAX_RESTART) > 0
            ? MAX_RESTART
            : restartDelay.multipliedBy(2);
    try {
      executor.schedule(
          () -> {
            start();
            onRestart.run();
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the owner is shutting down
    }
  }

  private static String exitOf(Process p) {
    try {
      return p.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** The running child, for tests that kill it. */
  Process process() {
    return process;
  }

  @Override
  public synchronized void close() {
    closed = true;
    Process p = process;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
