package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A wireguard-go device through its UAPI socket ({@code /var/run/wireguard/IF.sock}, a Unix stream
 * socket; cross-platform UAPI): one connection per operation, the request written whole, the reply
 * read until its terminating empty line. The socket path is global across network namespaces, so
 * this works from any namespace.
 *
 * <p>Every operation is bounded by a deadline (non-blocking channel and a selector), so a hung
 * wireguard-go fails the call instead of freezing the agent. Thread-safe: no shared state.
 */
public final class UapiDevice implements WireGuardDevice {
  /** Where wireguard-go puts its sockets (compiled into it). */
  public static final Path SOCKET_DIR = Path.of("/var/run/wireguard");

  private final Path socket;
  private final Duration timeout;

  public UapiDevice(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /** The socket of interface {@code name} in {@link #SOCKET_DIR}. */
  public static Path socketOf(String interfaceName) {
    return SOCKET_DIR.resolve(interfaceName + ".sock");
  }

  @Override
  public DeviceState get() throws IOException {
    return UapiCodec.parseGet(call(UapiCodec.GET));
  }

  @Override
  public void set(DeviceUpdate update) throws IOException {
    UapiCodec.checkSetReply(call(UapiCodec.set(update)));
  }

  @Override
  public String describe() {
    return "UAPI " + socket;
  }

  /** One request and its reply. */
  String call(String request) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
      }
      ch.configureBlocking(false);
      ByteBuffer out = StandardCharsets.US_ASCII.encode(request);
      SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
      while (out.hasRemaining()) {
        await(selector, deadline);
        ch.write(out);
      }
      key.interestOps(SelectionKey.OP_READ);
      StringBuilder reply = new StringBuilder();
      ByteBuffer in = ByteBuffer.allocate(8192);
      while (!UapiCodec.complete(reply)) {
        await(selector, deadline);
        in.clear();
        if (ch.read(in) < 0) {
          break; // closed early: the codec reports the missing errno
        }
        in.flip();
        reply.append(StandardCharsets.US_ASCII.decode(in));
      }
      return reply.toString();
    }
  }

  private void await(Selector selector, long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && past(deadline)) {
      throw new IOException(socket + " did not answer within " + timeout);
    }
    selector.selectedKeys().clear();
  }

  private static boolean past(long deadline) {
    return System.nanoTime() - deadline >= 0;
  }
}
