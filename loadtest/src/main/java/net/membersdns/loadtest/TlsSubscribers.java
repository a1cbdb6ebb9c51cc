package net.membersdns.loadtest;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import net.membersdns.protocol.edns.LlqOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * LLQs over DNS-over-TLS: the two-message setup (RFC 8764 §5.2, over a stream) pipelined on a few
 * connections; events arrive on the connections and need no acknowledgement. The server's
 * certificate is not checked (a load client against a test server).
 */
final class TlsSubscribers extends Subscribers {
  private final InetSocketAddress server;
  private final ThreadLocal<TSIG> tsig;
  private final long lease;
  private final SSLSocket[] sockets;
  private final ConcurrentHashMap<Integer, Integer>[] pending; // per connection: DNS ID → LLQ
  private final ConcurrentHashMap<Long, Held> held = new ConcurrentHashMap<>();

  private record Held(int conn, Name qname) {}

  private Semaphore window;
  private volatile boolean closed;

  @SuppressWarnings("unchecked")
  TlsSubscribers(
      InetSocketAddress server,
      Supplier<TSIG> tsig,
      int n,
      int fanout,
      Layout layout,
      long lease,
      int connections,
      AtomicLongArray commits)
      throws Exception {
    super(n, fanout, layout, commits);
    this.server = server;
    this.tsig = ThreadLocal.withInitial(tsig);
    this.lease = lease;
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
    sockets = new SSLSocket[connections];
    pending = new ConcurrentHashMap[connections];
    for (int c = 0; c < connections; c++) {
      sockets[c] =
          (SSLSocket) ctx.getSocketFactory().createSocket(server.getAddress(), server.getPort());
      sockets[c].startHandshake();
      pending[c] = new ConcurrentHashMap<>();
      int conn = c;
      Thread.ofPlatform().daemon().name("tls-reader-" + c).start(() -> read(conn));
    }
  }

  @Override
  void setup(int windowSize) throws Exception {
    window = new Semaphore(windowSize);
    for (int i = 0; i < n; i++) {
      window.acquire();
      int conn = i % sockets.length;
      int dnsId = (i / sockets.length) & 0xFFFF;
      while (pending[conn].putIfAbsent(dnsId, i) != null) {
        Thread.sleep(1);
      }
      byte[] wire =
          LlqMessages.request(
              dnsId, layout.name(i / fanout), Type.AAAA, LlqOption.SETUP, 0, lease, tsig.get());
      write(conn, wire);
    }
    if (!window.tryAcquire(windowSize, 120, java.util.concurrent.TimeUnit.SECONDS)) {
      int unanswered = windowSize - window.availablePermits();
      for (int i = 0; i < unanswered; i++) {
        failed("no answer in 120 s");
      }
      System.err.println(unanswered + " TLS setups got no answer in 120 s");
      return;
    }
    window.release(windowSize);
  }

  private void write(int conn, byte[] wire) throws IOException {
    OutputStream out = sockets[conn].getOutputStream();
    synchronized (sockets[conn]) {
      byte[] framed = new byte[wire.length + 2];
      framed[0] = (byte) (wire.length >>> 8);
      framed[1] = (byte) wire.length;
      System.arraycopy(wire, 0, framed, 2, wire.length);
      out.write(framed);
      out.flush();
    }
  }

  private void read(int conn) {
    try {
      DataInputStream in = new DataInputStream(sockets[conn].getInputStream());
      while (!closed) {
        byte[] wire = new byte[in.readUnsignedShort()];
        in.readFully(wire);
        long now = System.nanoTime();
        Message m = new Message(wire);
        LlqOption o = LlqMessages.llq(m);
        if (o == null) {
          continue;
        }
        if (o.opcode() == LlqOption.EVENT) {
          event(m, now);
        } else if (o.opcode() == LlqOption.SETUP
            && pending[conn].remove(m.getHeader().getID()) != null) {
          if (o.error() == 0) {
            established.incrementAndGet();
            held.put(o.id(), new Held(conn, m.getQuestion().getName()));
          } else {
            failed("LLQ error " + o.error());
          }
          window.release();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        System.err.println("tls connection " + conn + " ended: " + e);
      }
    }
  }

  /** Cancels every LLQ (lease 0), then closes the connections. */
  @Override
  public void close() {
    for (var e : held.entrySet()) {
      try {
        write(
            e.getValue().conn(),
            LlqMessages.request(
                0, e.getValue().qname(), Type.AAAA, LlqOption.REFRESH, e.getKey(), 0, tsig.get()));
      } catch (IOException ex) {
        break;
      }
    }
    closed = true;
    for (SSLSocket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing
      }
    }
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
