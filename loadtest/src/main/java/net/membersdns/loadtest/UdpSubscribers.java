package net.membersdns.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import net.membersdns.protocol.edns.LlqOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * LLQs over UDP: the four-way setup (RFC 8764 §5.1) spread over a few sockets, events acknowledged
 * like mDNSResponder (§6.3). A setup or challenge response unanswered for 2 s is sent again, five
 * times at most.
 */
final class UdpSubscribers extends Subscribers {
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final class Sub {
    final int index;
    final Name qname;
    final int socket;
    final int dnsId;
    volatile int state; // 0 request sent, 1 challenge answered, 2 established
    volatile long llqId;
    volatile long lease;
    volatile long sentNanos;
    int tries;

    Sub(int index, Name qname, int socket, int dnsId) {
      this.index = index;
      this.qname = qname;
      this.socket = socket;
      this.dnsId = dnsId;
    }
  }

  private final InetSocketAddress server;
  private final ThreadLocal<TSIG> tsig;
  private final long lease;
  private final DatagramChannel[] channels;
  private final Sub[] subs;
  private final ConcurrentHashMap<Integer, Sub>[] pending;
  private final ConcurrentHashMap<Long, Sub> byId = new ConcurrentHashMap<>();
  private Semaphore window;
  private volatile boolean closed;

  @SuppressWarnings("unchecked")
  UdpSubscribers(
      InetSocketAddress server,
      Supplier<TSIG> tsig,
      int n,
      int fanout,
      Name zone,
      long lease,
      int sockets,
      AtomicLongArray commits)
      throws IOException {
    super(n, fanout, zone, commits);
    this.server = server;
    this.tsig = ThreadLocal.withInitial(tsig);
    this.lease = lease;
    channels = new DatagramChannel[sockets];
    pending = new ConcurrentHashMap[sockets];
    for (int s = 0; s < sockets; s++) {
      channels[s] = DatagramChannel.open();
      channels[s].bind(
          new InetSocketAddress(
              server.getAddress().isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0", 0));
      channels[s].setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
      pending[s] = new ConcurrentHashMap<>();
      int socket = s;
      Thread.ofPlatform().daemon().name("udp-reader-" + s).start(() -> read(socket));
    }
    subs = new Sub[n];
    for (int i = 0; i < n; i++) {
      subs[i] = new Sub(i, name(i / fanout, zone), i % sockets, (i / sockets) & 0xFFFF);
    }
  }

  @Override
  void setup(int windowSize) throws Exception {
    window = new Semaphore(windowSize);
    Thread retry = Thread.ofPlatform().daemon().name("udp-retry").start(this::retryLoop);
    for (Sub s : subs) {
      window.acquire();
      while (pending[s.socket].putIfAbsent(s.dnsId, s) != null) {
        Thread.sleep(1); // an older setup with the same DNS ID is still out
      }
      send(s);
    }
    window.acquire(windowSize); // every setup finished
    window.release(windowSize);
    retry.interrupt();
  }

  private void send(Sub s) {
    s.sentNanos = System.nanoTime();
    byte[] wire =
        s.state == 0
            ? LlqMessages.request(
                s.dnsId, s.qname, Type.AAAA, LlqOption.SETUP, 0, lease, tsig.get())
            : LlqMessages.request(
                s.dnsId, s.qname, Type.AAAA, LlqOption.SETUP, s.llqId, s.lease, tsig.get());
    try {
      channels[s.socket].send(ByteBuffer.wrap(wire), server);
    } catch (IOException e) {
      // retried
    }
  }

  private void done(Sub s, boolean ok) {
    if (pending[s.socket].remove(s.dnsId, s)) {
      (ok ? established : failed).incrementAndGet();
      window.release();
    }
  }

  private void retryLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (ConcurrentHashMap<Integer, Sub> p : pending) {
        for (Sub s : p.values()) {
          if (now - s.sentNanos > RETRY_NANOS) {
            if (++s.tries > 5) {
              done(s, false);
            } else {
              send(s);
            }
          }
        }
      }
    }
  }

  private void read(int socket) {
    ByteBuffer buf = ByteBuffer.allocate(65535);
    while (!closed) {
      try {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) channels[socket].receive(buf);
        long now = System.nanoTime();
        buf.flip();
        byte[] wire = new byte[buf.remaining()];
        buf.get(wire);
        Message m = new Message(wire);
        LlqOption o = LlqMessages.llq(m);
        if (o == null) {
          continue;
        }
        if (o.opcode() == LlqOption.EVENT) {
          channels[socket].send(ByteBuffer.wrap(LlqMessages.ack(m)), from);
          event(m, now);
        } else if (o.opcode() == LlqOption.SETUP) {
          Sub s = pending[socket].get(m.getHeader().getID());
          if (s == null) {
            continue;
          }
          if (o.error() != 0) {
            done(s, false);
          } else if (s.state == 0) {
            s.llqId = o.id();
            s.lease = o.lease();
            s.state = 1;
            s.tries = 0;
            send(s);
          } else if (s.state == 1 && o.id() == s.llqId) {
            s.state = 2;
            byId.put(o.id(), s);
            done(s, true);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** Cancels every LLQ (refresh with lease 0, RFC 8764 §5.3) so the server drops them at once. */
  @Override
  public void close() {
    for (Sub s : byId.values()) {
      try {
        channels[s.socket].send(
            ByteBuffer.wrap(
                LlqMessages.request(
                    s.dnsId, s.qname, Type.AAAA, LlqOption.REFRESH, s.llqId, 0, tsig.get())),
            server);
      } catch (IOException e) {
        break;
      }
    }
    closed = true;
    for (DatagramChannel c : channels) {
      try {
        c.close();
      } catch (IOException e) {
        // closing
      }
    }
  }
}
