package net.membersdns.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code membersdns-agent status} in plain words: one line per part, times shown as what is left
 * now (computed from the file's deadlines at the moment of reading). Pure.
 */
public final class StatusPrinter {
  private StatusPrinter() {}

  /**
   * @param running whether the agent process is alive
   */
  public static String render(AgentStatus s, boolean running, Instant now) {
    StringBuilder b = new StringBuilder();
    if (!running) {
      b.append(
          "agent       NOT RUNNING"
              + (s.stopped() ? " (stopped cleanly)" : " (it died: pid " + s.pid() + " is gone)")
              + "; what follows is from "
              + ago(s.updated(), now)
              + "\n");
    }
    line(b, "host", s.host() + " (ULA " + s.ula() + ")");
    line(b, "zone", s.zone());
    var sv = s.server();
    line(
        b,
        "server",
        sv == null || sv.endpoint() == null
            ? "not found yet"
            : sv.endpoint()
                + " ("
                + sv.tlsName()
                + ", "
                + sv.how()
                + "), "
                + (sv.connected() ? "connected" : "not connected"));
    var n = s.network();
    line(
        b,
        "network",
        n == null || n.gateway().isEmpty()
            ? "no IPv4 default route"
                + (n != null && !n.localAddress().isEmpty() ? ", address " + n.localAddress() : "")
            : "gateway "
                + n.gateway()
                + " on "
                + n.interfaceName()
                + ", address "
                + n.localAddress());
    var m = s.mapping();
    line(
        b,
        "mapping",
        m == null || m.expires() == null
            ? (m == null ? "none" : m.protocol())
            : m.protocol()
                + " on "
                + m.gateway()
                + ": "
                + m.externalAddress()
                + ":"
                + m.externalPort()
                + " → port "
                + m.internalPort()
                + ", "
                + left(m.expires(), now));
    var r = s.registration();
    line(
        b,
        "registered",
        r == null
            ? "not yet"
            : r.state()
                + (r.leaseExpires() != null ? ", lease " + left(r.leaseExpires(), now) : "")
                + (r.lastSuccess() != null
                    ? " (last update " + ago(r.lastSuccess(), now) + ")"
                    : ""));
    if (r != null) {
      for (String rec : r.records()) {
        b.append("            ").append(rec).append('\n');
      }
    }
    for (var f : s.diagnosis()) {
      line(b, f.problem() ? "PROBLEM" : "ok", f.kind() + ": " + f.words());
    }
    var p = s.peers();
    if (p != null) {
      line(
          b,
          "peers",
          p.list().size()
              + " other host(s); "
              + switch (p.mode()) {
                case "llq" -> "watched with LLQ (" + p.llqEstablished() + " LLQs)";
                case "polling" ->
                    "POLLING every 30-60 s: LLQ unavailable ("
                        + p.pollingReason()
                        + "; "
                        + p.llqEstablished()
                        + "/"
                        + p.llqWanted()
                        + " LLQs up)";
                default -> "not watched: no connection to the server";
              });
      for (var peer : p.list()) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %-10s %s  %s (%s)  %s: %s; rx %s, tx %s%n",
                peer.host(),
                peer.ula(),
                peer.endpoint() == null ? "-" : peer.endpoint(),
                peer.why(),
                peer.path(),
                peer.pathReason(),
                bytes(peer.rxBytes()),
                bytes(peer.txBytes())));
      }
    }
    line(
        b,
        "last error",
        s.lastError() == null ? "none" : s.lastError() + " (" + ago(s.lastErrorAt(), now) + ")");
    return b.toString();
  }

  /**
   * The other hosts as {@code /etc/hosts} lines: {@code <ULA> <host> <host>.<zone>}, so that the
   * short name reaches a host through the tunnel even where the resolver does not know the zone.
   */
  public static String hostsLines(AgentStatus s) {
    StringBuilder b = new StringBuilder();
    String zone = s.zone().endsWith(".") ? s.zone().substring(0, s.zone().length() - 1) : s.zone();
    if (s.peers() != null) {
      for (var p : s.peers().list()) {
        b.append(p.ula()).append(' ').append(p.host()).append(' ').append(p.host()).append('.');
        b.append(zone).append('\n');
      }
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String text) {
    b.append(String.format(Locale.ROOT, "%-11s %s%n", label, text));
  }

  /** "1h59m left", or "EXPIRED 3m ago". */
  static String left(Instant deadline, Instant now) {
    Duration d = Duration.between(now, deadline);
    return d.isNegative() ? "EXPIRED " + span(d.negated()) + " ago" : span(d) + " left";
  }

  static String ago(Instant t, Instant now) {
    return t == null ? "never" : span(Duration.between(t, now)) + " ago";
  }

  static String span(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    return s / 3600 + "h" + (s % 3600) / 60 + "m";
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }
}
