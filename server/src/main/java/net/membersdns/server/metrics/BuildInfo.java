package net.membersdns.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code dns.build.info}: a gauge that is always 1, tagged with what is running, so a dashboard can
 * tell instances and versions apart (as Prometheus' own {@code *_build_info} metrics do).
 */
public final class BuildInfo {
  private BuildInfo() {}

  /** The server's version from the jar manifest, {@code dev} when run from classes. */
  public static String version() {
    String v = BuildInfo.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static void bindTo(MeterRegistry registry) {
    Gauge.builder("dns.build.info", () -> 1)
        .description("1, tagged with the running server's version and Java version")
        .tag("version", version())
        .tag("java", Runtime.version().feature() + "")
        .register(registry);
  }
}
