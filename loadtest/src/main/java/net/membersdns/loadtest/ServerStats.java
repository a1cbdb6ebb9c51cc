package net.membersdns.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the server says about itself: its Prometheus endpoint (heap, CPU time, LLQ gauges) and, when
 * it runs on this machine, {@code jcmd PID GC.run} so heap is measured after a full GC.
 */
final class ServerStats {
  private final URI metrics;
  private final String pid;
  private final HttpClient http = HttpClient.newHttpClient();

  ServerStats(String metricsUrl, String pid) {
    this.metrics = URI.create(metricsUrl);
    this.pid = pid;
  }

  String scrape() throws Exception {
    return http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Heap in use, bytes, after a full GC when the server's PID is known. */
  double heapUsed() throws Exception {
    if (pid != null) {
      String jcmd =
          java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      Process p = new ProcessBuilder(jcmd, pid, "GC.run").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    return sum(scrape(), "jvm_memory_used_bytes{area=\"heap\"");
  }

  /** Server process CPU time in seconds, or NaN if not exported. */
  double cpuSeconds() throws Exception {
    String text = scrape();
    double ns = sum(text, "process_cpu_time_ns_total");
    return ns > 0 ? ns / 1e9 : Double.NaN;
  }

  /**
   * The {@code q} quantile (seconds) of a Prometheus histogram from its cumulative {@code le}
   * buckets: the upper bound of the first bucket holding it (an upper estimate), NaN if empty.
   */
  static double quantile(String text, String bucketPrefix, double q) {
    java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(bucketPrefix)) {
        int le = line.indexOf("le=\"");
        String bound = line.substring(le + 4, line.indexOf('"', le + 4));
        double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
        double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        buckets.merge(upper, count, Double::sum);
      }
    }
    if (buckets.isEmpty() || buckets.lastEntry().getValue() == 0) {
      return Double.NaN;
    }
    double target = q * buckets.lastEntry().getValue();
    for (var e : buckets.entrySet()) {
      if (e.getValue() >= target) {
        return e.getKey();
      }
    }
    return Double.NaN;
  }

  /** Sum of every sample whose line starts with {@code prefix}. */
  static double sum(String text, String prefix) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
