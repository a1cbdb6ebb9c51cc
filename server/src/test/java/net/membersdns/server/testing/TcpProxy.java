package net.membersdns.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy a test can cut and restore, to take a dependency (PostgreSQL) away from a
 * server without stopping the machine's database that other tests share. {@link #cut} closes every
 * proxied connection and refuses new ones, as a database that went down would; {@link #restore}
 * accepts again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;

  public TcpProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = s.getLocalPort();
    accept(s);
  }

  public int port() {
    return port;
  }

  /** Closes every connection through the proxy and refuses new ones. */
  public synchronized void cut() throws IOException {
    listener.close();
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  /** Accepts connections again, on the same port. */
  public synchronized void restore() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    accept(s);
  }

  private void accept(ServerSocket s) {
    listener = s;
    Thread.ofPlatform()
        .daemon()
        .name("tcp-proxy-" + port)
        .start(() -> {
          while (!s.isClosed()) {
            try {
              Socket client = s.accept();
              Socket server = new Socket(target.getAddress(), target.getPort());
              open.add(client);
              open.add(server);
              pump(client, server);
              pump(server, client);
            } catch (IOException e) {
              // closed by cut(), or the target refused: the client sees its socket close
            }
          }
        });
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform()
        .daemon()
        .start(() -> {
          try (from;
              to;
              InputStream in = from.getInputStream();
              OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException e) {
            // either side closed
          } finally {
            open.remove(from);
            open.remove(to);
          }
        });
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
