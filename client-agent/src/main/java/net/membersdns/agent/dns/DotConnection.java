package net.membersdns.agent.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.protocol.wire.TcpFraming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * One DNS-over-TLS connection (RFC 7858) carrying pipelined requests (RFC 7766 §6.2.1.1) and the
 * server's unsolicited messages — LLQ events pushed on the connection (RFC 8764 §6.2).
 *
 * <p>A reader thread takes every framed message off the socket: a response whose ID matches a
 * request in flight completes that request; anything else (an LLQ EVENT carries a fresh ID chosen
 * by the server, and may by chance reuse one in flight, so EVENTs are never taken as responses)
 * goes to the unsolicited-message consumer. When the connection ends, every request in flight fails
 * and {@link #closed()} completes with the cause. Thread-safe.
 */
public final class DotConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DotConnection.class);

  private final SSLSocket socket;
  private final OutputStream out;
  private final Map<Integer, CompletableFuture<Received>> inFlight = new ConcurrentHashMap<>();
  private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  private final Consumer<Received> unsolicited;

  /**
   * Takes over {@code socket} (handshake done) and starts reading.
   *
   * @param unsolicited receives messages that answer no request; called on the reader thread
   */
  public DotConnection(SSLSocket socket, Consumer<Received> unsolicited) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.unsolicited = unsolicited;
    Thread.ofPlatform()
        .daemon()
        .name("agent-dot-reader")
        .start(() -> readLoop(socketInput(socket)));
  }

  private static InputStream socketInput(SSLSocket socket) {
    try {
      return socket.getInputStream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code wire} (a request with DNS ID {@code id}) and returns its response; fails after
   * {@code timeoutMillis} or when the connection ends.
   */
  public CompletableFuture<Received> exchange(int id, byte[] wire, long timeoutMillis) {
    CompletableFuture<Received> answer = new CompletableFuture<>();
    if (inFlight.putIfAbsent(id, answer) != null) {
      return CompletableFuture.failedFuture(new IOException("DNS ID " + id + " already in flight"));
    }
    answer.whenComplete((r, e) -> inFlight.remove(id, answer));
    try {
      send(wire);
    } catch (IOException e) {
      answer.completeExceptionally(e);
      return answer;
    }
    return answer.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Sends one message that expects no answer. */
  public void send(byte[] wire) throws IOException {
    byte[] framed = TcpFraming.frame(wire);
    synchronized (out) {
      out.write(framed);
      out.flush();
    }
  }

  /** Whether a request with this ID is in flight (to pick an unused one). */
  public boolean inFlight(int id) {
    return inFlight.containsKey(id);
  }

  /** Completes, with the cause (null for a clean end), when the connection is gone. */
  public CompletableFuture<Throwable> closed() {
    return closed;
  }

  public boolean isOpen() {
    return !closed.isDone();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("dot: close: {}", e.toString());
    }
    end(null);
  }

  private void readLoop(InputStream in) {
    Throwable cause = null;
    try {
      byte[] wire;
      while ((wire = TcpFraming.read(in)) != null) {
        dispatch(wire);
      }
    } catch (IOException e) {
      cause = e;
    } catch (RuntimeException e) {
      log.warn("dot: reader failed", e);
      cause = e;
    } finally {
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
      end(cause);
    }
  }

  private void dispatch(byte[] wire) {
    Message m;
    try {
      m = new Message(wire);
    } catch (IOException e) {
      log.debug("dot: unparseable message of {} bytes ignored: {}", wire.length, e.getMessage());
      return;
    }
    Received r = new Received(m, wire);
    CompletableFuture<Received> waiting = isEvent(m) ? null : inFlight.get(m.getHeader().getID());
    if (waiting != null) {
      waiting.complete(r);
    } else {
      unsolicited.accept(r);
    }
  }

  private static boolean isEvent(Message m) {
    List<OptionResult<LlqOption>> llq = EdnsOptions.llq(m);
    return !llq.isEmpty()
        && llq.get(0) instanceof OptionResult.Present<LlqOption> p
        && p.option().opcode() == LlqOption.EVENT;
  }

  private void end(Throwable cause) {
    if (closed.complete(cause)) {
      IOException failure =
          new IOException("connection closed" + (cause == null ? "" : ": " + cause.getMessage()));
      for (CompletableFuture<Received> f : inFlight.values()) {
        f.completeExceptionally(failure);
      }
    }
  }
}
