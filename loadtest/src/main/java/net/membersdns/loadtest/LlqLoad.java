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
 * (udp|tls), n (100), fanout (4), zone, key (ALGORITHM:NAME:BASE64, the key line {@code member add}
 * prints; {@link KeyLine}), sockets (8), connections (8), window (500), lease (7200), update-mode
 * (dns|none), rate (20/s), duration (10 s), metrics (http://127.0.0.1:9153/metrics), server-pid
 * (for jcmd GC.run before heap readings). The server needs --llq-max-per-key and
 * --llq-max-per-address at least n.
 */
public final class LlqLoad {
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
    long t0 = System.nanoTime();
    try (Subscribers subs =
        transport.equals("tls")
            ? new TlsSubscribers(
                new InetSocketAddress(host, Integer.parseInt(o.getOrDefault("tls-port", "8853"))),
                tsig,
                n,
                fanout,
                zone,
                lease,
                Integer.parseInt(o.getOrDefault("connections", "8")),
                commits)
            : new UdpSubscribers(
                new InetSocketAddress(host, Integer.parseInt(o.getOrDefault("port", "5300"))),
                tsig,
                n,
                fanout,
                zone,
                lease,
                Integer.parseInt(o.getOrDefault("sockets", "8")),
                commits)) {
      subs.setup(Integer.parseInt(o.getOrDefault("window", "500")));
      double setupSeconds = (System.nanoTime() - t0) / 1e9;
      double heapAfter = stats.heapUsed();
      System.out.printf(
          "setup: %d LLQs over %s established, %d failed, in %.1f s (%.0f/s)%n",
          subs.established.get(),
          transport,
          subs.failed.get(),
          setupSeconds,
          subs.established.get() / setupSeconds);
      System.out.printf(
          "server heap: %.1f MiB before, %.1f MiB after setup → %.0f bytes per LLQ%n",
          heapBefore / 1048576,
          heapAfter / 1048576,
          (heapAfter - heapBefore) / Math.max(1, subs.established.get()));

      if (!mode.equals("none")) {
        double cpu0 = stats.cpuSeconds();
        long w0 = System.nanoTime();
        Updater updater =
            new Updater(
                new InetSocketAddress(host, Integer.parseInt(o.getOrDefault("port", "5300"))),
                tsig.get(),
                zone,
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
        String after = stats.scrape();
        System.out.printf(
            "server commit → event sent: p50 %.2f ms, p99 %.2f ms (dns_llq_push_latency)%n",
            1000 * ServerStats.quantile(after, "dns_llq_push_latency_seconds_bucket", 0.50),
            1000 * ServerStats.quantile(after, "dns_llq_push_latency_seconds_bucket", 0.99));
        System.out.printf(
            "server CPU: %.2f s in %.1f s wall = %.1f%% of one core%n",
            cpu, wall, 100 * cpu / wall);
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
