package net.membersdns.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the server says about itself: its Prometheus endpoint (heap, CPU time, LLQ gauges) and, when
 * it runs on this machine, {@code jcmd PID GC.class_histogram} so heap is the live objects after a
 * full GC.
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

  /**
   * Live heap, bytes: with the server's PID, the total of {@code jcmd PID GC.class_histogram} (a
   * full collection, then every live object counted) less the filler arrays the collector leaves in
   * unused space; else the heap in use from /metrics. (That gauge, read after {@code jcmd GC.run},
   * said 195 MiB before the 1 M setup where the histogram counted 95 MB live, and 712 bytes per LLQ
   * where the histograms before and after said 512: it counts whatever young-generation space is in
   * use at the scrape.)
   */
  double heapUsed() throws Exception {
    if (pid == null) {
      return sum(scrape(), "jvm_memory_used_bytes{area=\"heap\"");
    }
    String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p =
        new ProcessBuilder(jcmd, pid, "GC.class_histogram").redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    lastHistogram = out;
    return liveBytes(out);
  }

  /** The class histogram {@link #heapUsed} read last, or empty. */
  private String lastHistogram = "";

  String lastHistogram() {
    return lastHistogram;
  }

  /**
   * The classes that grew most from histogram {@code before} to {@code after}, as bytes per {@code
   * per} (one line each, the {@code top} largest): what each LLQ holds.
   */
  static String growth(String before, String after, double per, int top) {
    java.util.Map<String, Double> bytes = new java.util.HashMap<>();
    for (String[] h : new String[][] {{before, "-1"}, {after, "1"}}) {
      for (String line : h[0].split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[0].endsWith(":")) {
          bytes.merge(f[3], Double.parseDouble(h[1]) * Double.parseDouble(f[2]), Double::sum);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    bytes.entrySet().stream()
        .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(top)
        .forEach(e -> out.append(String.format("  %7.1f B  %s%n", e.getValue() / per, e.getKey())));
    return out.toString();
  }

  /** The {@code Total} bytes of a class histogram less its {@code FillerElement} arrays. */
  static double liveBytes(String histogram) {
    double total = Double.NaN;
    double fillers = 0;
    for (String line : histogram.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && f[0].equals("Total")) {
        total = Double.parseDouble(f[2]);
      } else if (f.length >= 4 && f[3].startsWith("[Ljdk.internal.vm.FillerElement")) {
        fillers += Double.parseDouble(f[2]);
      }
    }
    return total - fillers;
  }

  /** Server process CPU time in seconds, or NaN if not exported. */
  double cpuSeconds() throws Exception {
    String text = scrape();
    double ns = sum(text, "process_cpu_time_ns_total");
    return ns > 0 ? ns / 1e9 : Double.NaN;
  }

  /**
   * The cumulative buckets of a Prometheus histogram ({@code le} bound in seconds → count at or
   * under it), summed over label sets.
   */
  static java.util.TreeMap<Double, Double> buckets(String text, String bucketPrefix) {
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
    return buckets;
  }

  /** {@code after − before}, bucket by bucket: what was observed between two scrapes. */
  static java.util.TreeMap<Double, Double> minus(
      java.util.TreeMap<Double, Double> after, java.util.TreeMap<Double, Double> before) {
    java.util.TreeMap<Double, Double> out = new java.util.TreeMap<>();
    after.forEach((le, c) -> out.put(le, c - before.getOrDefault(le, 0.0)));
    return out;
  }

  /**
   * The {@code q} quantile (seconds) of cumulative {@code buckets}, interpolated linearly within
   * the bucket holding it (as Prometheus' histogram_quantile does; the first bucket from 0); NaN if
   * empty, the last finite bound if it falls in +Inf.
   */
  static double quantile(java.util.TreeMap<Double, Double> buckets, double q) {
    if (buckets.isEmpty() || buckets.lastEntry().getValue() == 0) {
      return Double.NaN;
    }
    double target = q * buckets.lastEntry().getValue();
    double lower = 0;
    double below = 0;
    for (var e : buckets.entrySet()) {
      if (e.getValue() >= target) {
        if (e.getKey().isInfinite()) {
          return lower;
        }
        double inBucket = e.getValue() - below;
        return inBucket == 0
            ? e.getKey()
            : lower + (e.getKey() - lower) * (target - below) / inBucket;
      }
      lower = e.getKey();
      below = e.getValue();
    }
    return Double.NaN;
  }

  /**
   * The share (0..1) of observations at or under {@code seconds}, interpolated linearly within the
   * bucket that bound falls in; NaN if empty.
   */
  static double shareAtOrBelow(java.util.TreeMap<Double, Double> buckets, double seconds) {
    if (buckets.isEmpty() || buckets.lastEntry().getValue() == 0) {
      return Double.NaN;
    }
    double total = buckets.lastEntry().getValue();
    double lower = 0;
    double below = 0;
    for (var e : buckets.entrySet()) {
      if (seconds <= e.getKey()) {
        if (e.getKey().isInfinite()) {
          return below / total;
        }
        double f = (seconds - lower) / (e.getKey() - lower);
        return (below + f * (e.getValue() - below)) / total;
      }
      lower = e.getKey();
      below = e.getValue();
    }
    return 1;
  }

  /** The observation count of cumulative {@code buckets}. */
  static double count(java.util.TreeMap<Double, Double> buckets) {
    return buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
  }

  /** Resident set size of the server process in bytes (Linux {@code /proc}), or NaN. */
  double rssBytes() {
    if (pid == null) {
      return Double.NaN;
    }
    try {
      byte[] status =
          java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", pid, "status"));
      for (String line :
          new String(status, java.nio.charset.StandardCharsets.ISO_8859_1).split("\n")) {
        if (line.startsWith("VmRSS:")) {
          return 1024 * Double.parseDouble(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
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
