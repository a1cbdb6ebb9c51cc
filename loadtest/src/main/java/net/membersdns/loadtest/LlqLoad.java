package net.membersdns.loadtest;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import net.membersdns.protocol.tsig.KeyLine;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * Holds N LLQs against a running server while signed updates flow, then reports update-sent →
 * event-received latency (p50/p90/p99/max) and the server's own commit → event-sent histogram,
 * server heap per LLQ and server CPU. Example (see docs/benchmarks.md):
 *
 * <pre>
 * java -jar loadtest/target/membersdns-loadtest.jar --n=100000 --fanout=4 \
 *   --key=hmac-sha256:load.key.members.example.:SECRET --zone=load.members.example. \
 *   --rate=100 \
 *   --duration=60 --server-pid=$(pgrep -f 'membersdns-server.jar serve')
 * </pre>
 *
 * Options ({@code --name=value}): server (127.0.0.1), port (5300), tls-port (8853), transport
 * (udp|tls), n (100), fanout (4), zone, members (0: every name in {@code zone}; M: the names spread
 * over the member zones {@code m0..m<M-1>.<zone>}, {@link Layout}), key (ALGORITHM:NAME:BASE64, the
 * key line {@code member add} or {@code key add} prints, {@link KeyLine}; with members, a key
 * granted on every member zone), sockets (8), connections (8), window (500), attempts (3, per setup
 * phase, RFC 8764 §5.1), rcvbuf (4 MiB, per client socket), lease (7200), update-mode (dns|none),
 * rate (20/s), duration (10 s), metrics (http://127.0.0.1:9153/metrics), server-pid (for jcmd
 * GC.run before heap readings, and its RSS), hold (0: seconds to keep the LLQs before cancelling).
 * The server needs --llq-max-per-key, --llq-max-per-address and --llq-max at least n.
 */
public final class LlqLoad {
  private static final String PUSH_BUCKETS = "dns_llq_push_latency_seconds_bucket";

  private LlqLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        System.err.println("options are --name=value; see the class comment. Bad: " + a);
        System.exit(2);
      }
      o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    String host = o.getOrDefault("server", "127.0.0.1");
    String transport = o.getOrDefault("transport", "udp");
    int n = Integer.parseInt(o.getOrDefault("n", "100"));
    int fanout = Integer.parseInt(o.getOrDefault("fanout", "4"));
    Name zone = Name.fromString(o.getOrDefault("zone", "load.members.example."));
    Layout layout = new Layout(zone, Integer.parseInt(o.getOrDefault("members", "0")));
    if (!o.containsKey("key")) {
      System.err.println("--key=ALGORITHM:NAME:BASE64 is required (member add prints it)");
      System.exit(2);
    }
    KeyLine key;
    try {
      key = KeyLine.parse(o.get("key"));
    } catch (IllegalArgumentException e) {
      System.err.println("--key: " + e.getMessage());
      System.exit(2);
      return;
    }
    Supplier<TSIG> tsig = () -> new TSIG(key.algorithm().wireName(), key.name(), key.secret());
    long lease = Long.parseLong(o.getOrDefault("lease", "7200"));
    String mode = o.getOrDefault("update-mode", "dns");
    double rate = Double.parseDouble(o.getOrDefault("rate", "20"));
    Duration duration = Duration.ofSeconds(Long.parseLong(o.getOrDefault("duration", "10")));
    ServerStats stats =
        new ServerStats(
            o.getOrDefault("metrics", "http://127.0.0.1:9153/metrics"), o.get("server-pid"));
    int names = Subscribers.names(n, fanout);
    AtomicLongArray commits = new AtomicLongArray(names);

    double heapBefore = stats.heapUsed();
    String histogramBefore = stats.lastHistogram();
    double setupCpu0 = stats.cpuSeconds();
    int serverPort = Integer.parseInt(o.getOrDefault("port", "5300"));
    long serverDrops0 = UdpDrops.onPorts(java.util.Set.of(serverPort));
    long hostRcvbuf0 = UdpDrops.hostRcvbufErrors();
    long hostSndbuf0 = UdpDrops.hostSndbufErrors();
    long t0 = System.nanoTime();
    try (Subscribers subs =
        transport.equals("tls")
            ? new TlsSubscribers(
                new InetSocketAddress(host, Integer.parseInt(o.getOrDefault("tls-port", "8853"))),
                tsig,
                n,
                fanout,
                layout,
                lease,
                Integer.parseInt(o.getOrDefault("connections", "8")),
                commits)
            : new UdpSubscribers(
                new InetSocketAddress(host, Integer.parseInt(o.getOrDefault("port", "5300"))),
                tsig,
                n,
                fanout,
                layout,
                lease,
                Integer.parseInt(o.getOrDefault("sockets", "8")),
                Integer.parseInt(o.getOrDefault("attempts", "3")),
                Integer.parseInt(o.getOrDefault("rcvbuf", String.valueOf(4 << 20))),
                commits)) {
      long clientDrops0 = subs instanceof UdpSubscribers u ? UdpDrops.onPorts(u.ports()) : 0;
      subs.setup(Integer.parseInt(o.getOrDefault("window", "500")));
      double setupSeconds = (System.nanoTime() - t0) / 1e9;
      double setupCpu = stats.cpuSeconds() - setupCpu0;
      System.out.printf(
          "setup: %d LLQs over %s established, %d failed %s, in %.1f s (%.0f/s); server CPU %.1f s"
              + " (%.0f%% of one core)%n",
          subs.established.get(),
          transport,
          subs.failed.get(),
          subs.failures(),
          setupSeconds,
          subs.established.get() / setupSeconds,
          setupCpu,
          100 * setupCpu / setupSeconds);
      if (subs instanceof UdpSubscribers u) {
        System.out.printf(
            "setup over UDP: request → ACK %s; %d setups retransmitted (%d retransmissions), %d"
                + " send errors%n",
            u.setupTimes.summary(),
            u.retransmittedSetups.get(),
            u.retransmissions.get(),
            u.sendErrors.get());
        System.out.printf(
            "UDP receive-buffer drops during setup: server port %d: %d, client sockets: %d;"
                + " host RcvbufErrors +%d, SndbufErrors +%d%n",
            serverPort,
            UdpDrops.onPorts(java.util.Set.of(serverPort)) - serverDrops0,
            UdpDrops.onPorts(u.ports()) - clientDrops0,
            UdpDrops.hostRcvbufErrors() - hostRcvbuf0,
            UdpDrops.hostSndbufErrors() - hostSndbuf0);
      }
      String afterSetup = stats.scrape();
      System.out.printf(
          "server: dns_llq_sessions established %.0f, challenged %.0f%n",
          ServerStats.sum(afterSetup, "dns_llq_sessions{state=\"established\""),
          ServerStats.sum(afterSetup, "dns_llq_sessions{state=\"challenge"));
      double heapAfter = stats.heapUsed();
      System.out.printf(
          "server heap: %.1f MiB before, %.1f MiB after setup → %.0f bytes per LLQ; RSS %.0f MiB%n",
          heapBefore / 1048576,
          heapAfter / 1048576,
          (heapAfter - heapBefore) / Math.max(1, subs.established.get()),
          stats.rssBytes() / 1048576);
      if (!histogramBefore.isEmpty()) {
        System.out.print(
            "server heap per LLQ by class (class histograms before and after):\n"
                + ServerStats.growth(
                    histogramBefore,
                    stats.lastHistogram(),
                    Math.max(1, subs.established.get()),
                    14));
      }

      if (!mode.equals("none")) {
        var push0 = ServerStats.buckets(stats.scrape(), PUSH_BUCKETS);
        double cpu0 = stats.cpuSeconds();
        long w0 = System.nanoTime();
        Updater updater =
            new Updater(
                new InetSocketAddress(host, Integer.parseInt(o.getOrDefault("port", "5300"))),
                tsig.get(),
                layout,
                names,
                commits);
        long made = updater.run(rate, duration);
        Thread.sleep(3000); // let the last events arrive
        double wall = (System.nanoTime() - w0) / 1e9;
        double cpu = stats.cpuSeconds() - cpu0;
        System.out.printf(
            "updates: %d (%s, %.0f/s asked); events received: %d (expected about %d)%n",
            made, mode, rate, subs.events.get(), made * fanout);
        System.out.println("update sent → event received: " + subs.latencies.summary());
        var push = ServerStats.minus(ServerStats.buckets(stats.scrape(), PUSH_BUCKETS), push0);
        System.out.printf(
            "server commit → event sent (dns_llq_push_latency, interpolated): %.0f events, p50 %.3f"
                + " ms, p99 %.3f ms, %.2f%% ≤ 1 ms, %.2f%% ≤ 2 ms%n",
            ServerStats.count(push),
            1000 * ServerStats.quantile(push, 0.50),
            1000 * ServerStats.quantile(push, 0.99),
            100 * ServerStats.shareAtOrBelow(push, 0.001),
            100 * ServerStats.shareAtOrBelow(push, 0.002));
        StringBuilder shares = new StringBuilder("  share at or under each bound:");
        for (var e : push.entrySet()) {
          if (!e.getKey().isInfinite()) {
            shares.append(
                String.format(
                    " %s %.1f%%",
                    e.getKey() < 1e-3
                        ? Math.round(e.getKey() * 1e6) + "µs"
                        : e.getKey() * 1e3 + "ms",
                    100 * e.getValue() / Math.max(1, ServerStats.count(push))));
          }
        }
        System.out.println(shares);
        System.out.printf(
            "server CPU: %.2f s in %.1f s wall = %.1f%% of one core%n",
            cpu, wall, 100 * cpu / wall);
        System.out.printf("server RSS: %.0f MiB%n", stats.rssBytes() / 1048576);
      }
      long hold = Long.parseLong(o.getOrDefault("hold", "0"));
      if (hold > 0) {
        // LLQs still live: time for jcmd GC.class_histogram and the like.
        System.out.printf("holding the LLQs for %d s%n", hold);
        Thread.sleep(hold * 1000);
      }
      String m = stats.scrape();
      System.out.printf(
          "server: dns_llq_sessions established %.0f; events %.0f; retransmits %.0f%n",
          ServerStats.sum(m, "dns_llq_sessions{state=\"established\"}"),
          ServerStats.sum(m, "dns_llq_events_total"),
          ServerStats.sum(m, "dns_llq_retransmits_total"));
    }
  }
}
