package net.membersdns.agent.tunnel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wireguard-go that serves one interface: started here as a child ({@code wireguard-go -f IF},
 * {@code WG_PROCESS_FOREGROUND=1}, {@code LOG_LEVEL=error}: it stays our child and logs errors
 * only), or adopted by pid from a run that crashed. {@link #stop()} sends SIGTERM, on which
 * wireguard-go closes the TUN device and removes its socket.
 *
 * <p>Its output goes to this class's logger. Not thread-safe (one owner).
 */
final class WireGuardGoProcess {
  private static final Logger LOG = LoggerFactory.getLogger(WireGuardGoProcess.class);
  private static final int TAIL = 20;

  private final ProcessHandle handle;
  private final String name;
  private final Path socket;
  private final TunnelOptions options;
  private final Deque<String> tail = new ArrayDeque<>();

  private WireGuardGoProcess(ProcessHandle handle, String name, Path socket, TunnelOptions o) {
    this.handle = handle;
    this.name = name;
    this.socket = socket;
    this.options = o;
  }

  /**
   * Starts wireguard-go for {@code name} and waits until its socket answers.
   *
   * @throws IOException if it cannot start, exits, or does not answer within the start timeout
   */
  static WireGuardGoProcess start(String name, Path socket, TunnelOptions o) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(o.wireguardGo(), "-f", name).redirectErrorStream(true);
    pb.environment().put("WG_PROCESS_FOREGROUND", "1");
    pb.environment().put("LOG_LEVEL", "error");
    Process p = pb.start();
    p.getOutputStream().close();
    WireGuardGoProcess w = new WireGuardGoProcess(p.toHandle(), name, socket, o);
    Thread relay = Thread.ofVirtual().name("wireguard-go " + name).start(() -> w.relay(p));
    long deadline = System.nanoTime() + o.startTimeout().toNanos();
    while (!WireGuardInterface.answers(socket, o.commandTimeout())) {
      if (!p.isAlive() || System.nanoTime() - deadline > 0) {
        String why = p.isAlive() ? "did not answer within " + o.startTimeout() : "exited";
        w.stop();
        joinQuietly(relay); // its last words are the reason
        throw new IOException("wireguard-go -f " + name + " " + why + ": " + w.tail());
      }
      pause();
    }
    LOG.info("{}: started wireguard-go (pid {})", name, p.pid());
    return w;
  }

  /**
   * The wireguard-go of pid {@code pid} if it still runs and serves {@code name} (a pid of a
   * crashed run may have been reused by another program since).
   */
  static Optional<WireGuardGoProcess> adopt(long pid, String name, TunnelOptions o) {
    Path exe = Path.of(o.wireguardGo()).getFileName();
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h ->
            h.info().command().map(c -> Path.of(c).getFileName().equals(exe)).orElse(false)
                && h.info().arguments().map(a -> List.of(a).contains(name)).orElse(false))
        .map(h -> new WireGuardGoProcess(h, name, UapiDevice.socketOf(name), o));
  }

  long pid() {
    return handle.pid();
  }

  /** SIGTERM, then SIGKILL if it lingers; deletes a socket a killed process left. */
  void stop() throws IOException {
    handle.destroy();
    if (!exited()) {
      LOG.warn("{}: wireguard-go (pid {}) ignored SIGTERM; killing it", name, pid());
      handle.destroyForcibly();
      exited();
    }
    if (!handle.isAlive() && !WireGuardInterface.answers(socket, options.commandTimeout())) {
      Files.deleteIfExists(socket);
    }
  }

  private boolean exited() throws IOException {
    try {
      handle.onExit().get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IOException("waiting for wireguard-go to exit", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for wireguard-go to exit", e);
    }
  }

  private void relay(Process p) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        LOG.warn("wireguard-go {}: {}", name, line);
        synchronized (tail) {
          if (tail.size() == TAIL) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
    } catch (IOException e) {
      LOG.debug("wireguard-go {}: output closed: {}", name, e.toString());
    }
  }

  private String tail() {
    synchronized (tail) {
      return tail.isEmpty() ? "(no output)" : String.join(" | ", tail);
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for wireguard-go", e);
    }
  }
}
