package net.membersdns.agent.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A UDP gateway on loopback that answers each request with whatever its script returns: a list of
 * datagrams (possibly none, possibly garbage first). It records every request.
 */
final class ScriptedGateway implements AutoCloseable {
  final List<byte[]> requests = new CopyOnWriteArrayList<>();
  private final DatagramSocket socket;

  ScriptedGateway(Function<byte[], List<byte[]>> script) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform()
        .daemon()
        .start(() -> {
          byte[] buf = new byte[1500];
          while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
              socket.receive(p);
              byte[] request = Arrays.copyOf(buf, p.getLength());
              requests.add(request);
              for (byte[] answer : script.apply(request)) {
                socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
              }
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Requests of version {@code v} (0 NAT-PMP, 2 PCP). */
  long count(int version) {
    return requests.stream().filter(r -> r.length > 0 && r[0] == version).count();
  }

  @Override
  public void close() {
    socket.close();
  }
}
