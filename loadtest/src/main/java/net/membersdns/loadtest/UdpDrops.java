package net.membersdns.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full: the {@code drops} column
 * of {@code /proc/net/udp} and {@code /proc/net/udp6} (per socket, since it was opened) and {@code
 * RcvbufErrors} of {@code /proc/net/snmp} (the whole host). Linux only; zeros elsewhere. Read
 * before and after the setup, they tell whether unanswered setups were lost in a full buffer, and
 * at which end.
 */
final class UdpDrops {
  private UdpDrops() {}

  /** Drops summed over the UDP sockets (both families) bound to one of {@code ports}. */
  static long onPorts(Set<Integer> ports) {
    return onPorts(Path.of("/proc/net/udp"), ports) + onPorts(Path.of("/proc/net/udp6"), ports);
  }

  private static long onPorts(Path table, Set<Integer> ports) {
    long sum = 0;
    try {
      for (String line : Files.readAllLines(table)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        // ref pointer drops
        if (f.length < 13 || !f[1].contains(":")) {
          continue;
        }
        int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        if (ports.contains(port)) {
          sum += Long.parseLong(f[12]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0; // not Linux, or a format this does not know
    }
    return sum;
  }

  /** The host's {@code Udp: RcvbufErrors} and {@code Udp6: Udp6RcvbufErrors} together. */
  static long hostRcvbufErrors() {
    return counter(Path.of("/proc/net/snmp"), "Udp:", "RcvbufErrors")
        + counter(Path.of("/proc/net/snmp6"), "Udp6RcvbufErrors", null);
  }

  /** The host's {@code Udp: SndbufErrors} (a send refused for want of buffer space). */
  static long hostSndbufErrors() {
    return counter(Path.of("/proc/net/snmp"), "Udp:", "SndbufErrors");
  }

  /**
   * A counter of {@code file}: in {@code /proc/net/snmp} a header line {@code prefix names...}
   * followed by a value line; in {@code /proc/net/snmp6} one {@code name value} line ({@code
   * column} null).
   */
  private static long counter(Path file, String prefix, String column) {
    try {
      var lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (!f[0].equals(prefix)) {
          continue;
        }
        if (column == null) {
          return Long.parseLong(f[1]);
        }
        String[] values = lines.get(i + 1).trim().split("\\s+");
        for (int c = 1; c < f.length; c++) {
          if (f[c].equals(column)) {
            return Long.parseLong(values[c]);
          }
        }
        return 0;
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
