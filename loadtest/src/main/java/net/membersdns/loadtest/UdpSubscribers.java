package net.membersdns.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import net.membersdns.protocol.edns.LlqOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * LLQs over UDP: the four-way setup (RFC 8764 §5.2) spread over a few sockets, events acknowledged
 * like mDNSResponder (RFC 8764 §6.3).
 *
 * <p>Retransmission as RFC 8764 §5.1 has a client do it: an unanswered setup request, and then an
 * unanswered challenge response, is sent again after 2 s and after 4 more, and given up 8 s after
 * the third attempt (14 s in all per phase); {@code attempts} other than 3 keeps the doubling. A
 * setup then fails as "no answer" (naming the phase), or with the LLQ error code or DNS RCODE the
 * server answered.
 */
final class UdpSubscribers extends Subscribers {
  /** RFC 8764 §5.1: at least 2 s before the first retransmission, doubling after. */
  private static final long FIRST_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final class Sub {
    final int index;
    final int socket;
    final int dnsId;
    volatile int state; // 0 request sent, 1 challenge answered, 2 done
    volatile long llqId;
    volatile long lease;
    volatile long deadline; // nanoTime when the current attempt counts as unanswered
    volatile long started;
    int attempts; // of the current phase
    boolean retransmitted;

    Sub(int index, int socket, int dnsId) {
      this.index = index;
      this.socket = socket;
      this.dnsId = dnsId;
    }
  }

  private final InetSocketAddress server;
  private final ThreadLocal<TSIG> tsig;
  private final long lease;
  private final int attempts;
  private final DatagramChannel[] channels;
  private final Sub[] subs;
  private final ConcurrentHashMap<Integer, Sub>[] pending;
  private final ConcurrentHashMap<Long, Sub> byId = new ConcurrentHashMap<>();

  /** Setup messages sent again (request or challenge response). */
  final AtomicLong retransmissions = new AtomicLong();

  /** Setups that needed at least one retransmission. */
  final AtomicLong retransmittedSetups = new AtomicLong();

  /** Sends the kernel refused (e.g. no buffer space); the retransmission timer covers them. */
  final AtomicLong sendErrors = new AtomicLong();

  /** First request sent → ACK received, per established LLQ. */
  final Latencies setupTimes = new Latencies(2_000_000);

  private Semaphore window;
  private volatile boolean closed;

  @SuppressWarnings("unchecked")
  UdpSubscribers(
      InetSocketAddress server,
      Supplier<TSIG> tsig,
      int n,
      int fanout,
      Layout layout,
      long lease,
      int sockets,
      int attempts,
      int receiveBuffer,
      AtomicLongArray commits)
      throws IOException {
    super(n, fanout, layout, commits);
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts " + attempts);
    }
    this.server = server;
    this.tsig = ThreadLocal.withInitial(tsig);
    this.lease = lease;
    this.attempts = attempts;
    channels = new DatagramChannel[sockets];
    pending = new ConcurrentHashMap[sockets];
    for (int s = 0; s < sockets; s++) {
      channels[s] = DatagramChannel.open();
      channels[s].bind(
          new InetSocketAddress(
              server.getAddress().isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0", 0));
      // The kernel caps this at net.core.rmem_max.
      channels[s].setOption(java.net.StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      pending[s] = new ConcurrentHashMap<>();
      int socket = s;
      Thread.ofPlatform().daemon().name("udp-reader-" + s).start(() -> read(socket));
    }
    subs = new Sub[n];
    for (int i = 0; i < n; i++) {
      subs[i] = new Sub(i, i % sockets, (i / sockets) & 0xFFFF);
    }
  }

  /** The local ports of this client's sockets (for {@link UdpDrops}). */
  Set<Integer> ports() throws IOException {
    Set<Integer> out = new HashSet<>();
    for (DatagramChannel c : channels) {
      out.add(((InetSocketAddress) c.getLocalAddress()).getPort());
    }
    return out;
  }

  @Override
  void setup(int windowSize) throws Exception {
    window = new Semaphore(windowSize);
    Thread retry = Thread.ofPlatform().daemon().name("udp-retry").start(this::retryLoop);
    for (Sub s : subs) {
      window.acquire();
      s.started = System.nanoTime();
      s.attempts = 1;
      // Before it is pending: the retry loop must not see a deadline of 0 and send it again (a
      // duplicate request gets a duplicate challenge, which can pass for the ACK).
      s.deadline = s.started + FIRST_WAIT_NANOS;
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
    long now = System.nanoTime();
    // Waits of 2, 4, 8 s after the first, second and third attempt (RFC 8764 §5.1).
    s.deadline = now + (FIRST_WAIT_NANOS << Math.min(20, s.attempts - 1));
    byte[] wire =
        s.state == 0
            ? LlqMessages.request(
                s.dnsId, qname(s), Type.AAAA, LlqOption.SETUP, 0, lease, tsig.get())
            : LlqMessages.request(
                s.dnsId, qname(s), Type.AAAA, LlqOption.SETUP, s.llqId, s.lease, tsig.get());
    try {
      channels[s.socket].send(ByteBuffer.wrap(wire), server);
    } catch (IOException e) {
      sendErrors.incrementAndGet(); // retransmitted when its wait runs out
    }
  }

  private org.xbill.DNS.Name qname(Sub s) {
    return layout.name(s.index / fanout);
  }

  /** Ends the setup of {@code s}: established, or failed for {@code reason}. */
  private void done(Sub s, String reason) {
    if (pending[s.socket].remove(s.dnsId, s)) {
      s.state = 2;
      if (reason == null) {
        established.incrementAndGet();
        setupTimes.record(System.nanoTime() - s.started);
      } else {
        failed(reason);
      }
      if (s.retransmitted) {
        retransmittedSetups.incrementAndGet();
      }
      window.release();
    }
  }

  private void retryLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (ConcurrentHashMap<Integer, Sub> p : pending) {
        for (Sub s : p.values()) {
          synchronized (s) {
            if (s.state == 2 || now - s.deadline < 0) {
              continue;
            }
            if (s.attempts >= attempts) {
              done(
                  s,
                  s.state == 0
                      ? "no challenge after " + attempts + " requests"
                      : "no ACK after " + attempts + " challenge responses");
            } else {
              s.attempts++;
              s.retransmitted = true;
              retransmissions.incrementAndGet();
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
        if (o != null && o.opcode() == LlqOption.EVENT) {
          channels[socket].send(ByteBuffer.wrap(LlqMessages.ack(m)), from);
          event(m, now);
          continue;
        }
        Sub s = pending[socket].get(m.getHeader().getID());
        if (s == null) {
          continue; // a late duplicate, or the answer to a cancel
        }
        synchronized (s) {
          answered(s, m, o);
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** A setup reply for pending {@code s}: the challenge, the ACK, or an error. */
  private void answered(Sub s, Message m, LlqOption o) {
    if (o == null) {
      if (m.getRcode() != Rcode.NOERROR) {
        done(s, "rcode " + Rcode.string(m.getRcode())); // e.g. REFUSED, NOTAUTH: not an LLQ reply
      }
      return;
    }
    if (o.opcode() != LlqOption.SETUP) {
      return;
    }
    if (o.error() != LlqOption.NO_ERROR) {
      done(s, errorName(o.error()));
    } else if (s.state == 0) {
      s.llqId = o.id();
      s.lease = o.lease();
      s.state = 1;
      s.attempts = 1; // the challenge response has attempts of its own (RFC 8764 §5.1)
      send(s);
    } else if (s.state == 1 && o.id() == s.llqId) {
      // The ACK. (A late duplicate of the challenge looks the same when the name has no data: the
      // server's count of established LLQs, printed after the setup, tells whether that happened.)
      byId.put(o.id(), s);
      done(s, null);
    }
  }

  private static String errorName(int error) {
    return switch (error) {
      case LlqOption.SERV_FULL -> "SERV-FULL";
      case LlqOption.STATIC -> "STATIC";
      case LlqOption.FORMAT_ERR -> "FORMAT-ERR";
      case LlqOption.NO_SUCH_LLQ -> "NO-SUCH-LLQ";
      case LlqOption.BAD_VERS -> "BAD-VERS";
      default -> "LLQ error " + error;
    };
  }

  /**
   * Cancels every LLQ (refresh with lease 0, RFC 8764 §7) so the server drops them at once, paced
   * so the server's receive buffer keeps up (a cancel lost only leaves its LLQ to expire).
   */
  @Override
  public void close() {
    int sent = 0;
    for (Sub s : byId.values()) {
      try {
        channels[s.socket].send(
            ByteBuffer.wrap(
                LlqMessages.request(
                    s.dnsId, qname(s), Type.AAAA, LlqOption.REFRESH, s.llqId, 0, tsig.get())),
            server);
        if (++sent % 1000 == 0) {
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException e) {
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
