package net.membersdns.agent.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One UDP socket bound to the host's local address and connected to the gateway's port 5351, and
 * the request/response exchange over it: send, wait, retransmit with the given timeouts, and return
 * the first datagram the caller's matcher accepts. Connecting makes the kernel drop datagrams from
 * anyone but the gateway and report ICMP port unreachable (RFC 6886 §3.1: give up at once); the
 * source is still checked here. Everything else that arrives is counted and dropped: garbage, stale
 * responses, unsolicited packets.
 *
 * <p>Threads: one thread exchanges at a time (the mapper's); {@link #cancel()} may come from any.
 */
final class UdpExchange implements AutoCloseable {
  /** What an exchange ended with. */
  sealed interface Result<R> {}

  record Answered<R>(R reply) implements Result<R> {}

  record TimedOut<R>() implements Result<R> {}

  /** ICMP port unreachable, no route, or another socket error; {@code why} in plain words. */
  record Failed<R>(String why) implements Result<R> {}

  record Cancelled<R>() implements Result<R> {}

  private final DatagramChannel channel;
  private final Selector selector;
  private final InetSocketAddress server;
  private final Consumer<String> ignored;
  private final ByteBuffer buffer = ByteBuffer.allocate(Pcp.MAX_LENGTH + 4);
  private volatile boolean cancelled;

  /**
   * @param ignored told the reason of every datagram dropped ("wrong source", "unmatched")
   */
  UdpExchange(Inet4Address local, InetSocketAddress server, Consumer<String> ignored)
      throws IOException {
    this.server = server;
    this.ignored = ignored;
    this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      channel.bind(new InetSocketAddress(local, 0));
      channel.connect(server);
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The local port, for logs and tests. */
  int localPort() {
    return channel.socket().getLocalPort();
  }

  /** Makes the running and every later exchange end with {@link Cancelled}; permanent. */
  void cancel() {
    cancelled = true;
    selector.wakeup();
  }

  /**
   * Sends {@code request}, then again after each timeout but the last, until {@code matcher}
   * accepts a datagram (bytes and length).
   */
  <R> Result<R> exchange(
      byte[] request, List<Duration> timeouts, Function<byte[], Optional<R>> matcher) {
    try {
      drain();
      for (Duration timeout : timeouts) {
        if (cancelled) {
          return new Cancelled<>();
        }
        channel.write(ByteBuffer.wrap(request));
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
          selector.select(Math.max(1, left / 1_000_000));
          selector.selectedKeys().clear();
          if (cancelled) {
            return new Cancelled<>();
          }
          Optional<R> reply = readMatching(matcher);
          if (reply.isPresent()) {
            return new Answered<>(reply.get());
          }
        }
      }
      return new TimedOut<>();
    } catch (PortUnreachableException e) {
      return new Failed<>("ICMP port unreachable from " + server.getAddress().getHostAddress());
    } catch (IOException e) {
      return new Failed<>(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private <R> Optional<R> readMatching(Function<byte[], Optional<R>> matcher) throws IOException {
    SocketAddress from;
    while ((from = receive()) != null) {
      if (!server.equals(from)) {
        ignored.accept("wrong source");
        continue;
      }
      Optional<R> reply = matcher.apply(Arrays.copyOf(buffer.array(), buffer.position()));
      if (reply.isPresent()) {
        return reply;
      }
      ignored.accept("unmatched");
    }
    return Optional.empty();
  }

  /** Whatever arrived between exchanges is stale or unsolicited: drop it before asking. */
  private void drain() throws IOException {
    try {
      while (receive() != null) {
        ignored.accept("unsolicited");
      }
    } catch (PortUnreachableException e) {
      // an ICMP error left over from an earlier exchange; the next send finds out afresh
    }
  }

  private SocketAddress receive() throws IOException {
    buffer.clear();
    return channel.receive(buffer);
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException e) {
      // nothing left to release
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
