package net.membersdns.loadtest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Update;

/**
 * Makes changes at a steady rate the way hosts do: each picks a random subscribed name and sends a
 * TSIG-signed RFC 2136 UPDATE to the name's zone adding an AAAA of this run if absent, else
 * deleting it, and notes the time just before sending in {@code commits} (so the client's latency
 * includes the commit; the server's {@code dns.llq.push.latency} times commit → event alone).
 */
final class Updater {
  private final InetSocketAddress server;
  private final TSIG tsig;
  private final Layout layout;
  private final int names;
  private final AtomicLongArray commits;
  private final boolean[] present;
  private final SplittableRandom random = new SplittableRandom(42);

  /**
   * Part of every address this run adds, so an add is never a no-op on a record an earlier run left
   * behind (the database outlives the run; an add of a present record changes nothing and pushes no
   * event).
   */
  private final int run = new SplittableRandom().nextInt(1, 0x10000);

  Updater(InetSocketAddress server, TSIG tsig, Layout layout, int names, AtomicLongArray commits) {
    this.server = server;
    this.tsig = tsig;
    this.layout = layout;
    this.names = names;
    this.commits = commits;
    this.present = new boolean[names];
  }

  /** Runs {@code perSecond} changes a second for {@code duration}; returns how many were made. */
  long run(double perSecond, Duration duration) throws Exception {
    long interval = (long) (1_000_000_000L / perSecond);
    long end = System.nanoTime() + duration.toNanos();
    long next = System.nanoTime();
    long made = 0;
    {
      while (System.nanoTime() < end) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        next += interval;
        int j = random.nextInt(names);
        AAAARecord rr =
            new AAAARecord(
                layout.name(j),
                DClass.IN,
                60,
                InetAddress.getByName(
                    "fd00::" + Integer.toHexString(run) + ":" + Integer.toHexString(j & 0xFFFF)));
        boolean add = !present[j];
        dns(j, rr, add);
        present[j] = add;
        made++;
      }
    }
    return made;
  }

  private void dns(int j, AAAARecord rr, boolean add) throws Exception {
    Update u = new Update(layout.zoneOf(j));
    if (add) {
      u.add(rr);
    } else {
      u.delete(rr);
    }
    SimpleResolver r = new SimpleResolver(server);
    r.setTSIGKey(tsig);
    r.setTimeout(Duration.ofSeconds(5));
    commits.set(j, System.nanoTime());
    Message reply = r.send(u);
    if (reply.getRcode() != Rcode.NOERROR) {
      System.err.println("update " + rr + " → " + Rcode.string(reply.getRcode()));
    }
  }
}
