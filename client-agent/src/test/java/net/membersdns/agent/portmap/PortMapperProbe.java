package net.membersdns.agent.portmap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import net.membersdns.agent.netwatch.Ipv4;
import net.membersdns.agent.netwatch.NetworkMonitor;

/**
 * The agent's network side in a child JVM, for tests that run it inside a network namespace: a
 * {@link NetworkMonitor} feeding a {@link PortMapper}, optionally a UDP socket on the mapped port
 * (where WireGuard would listen). It prints one line per event on stdout and obeys commands on
 * stdin: {@code status}, {@code metrics}, {@code refresh}, {@code close}.
 *
 * <p>Arguments: {@code STATE_DIR PORT CHECK_SECONDS [PROBE_TARGET|-] [listen]}.
 */
public final class PortMapperProbe {
  private PortMapperProbe() {}

  public static void main(String[] args) throws Exception {
    Path stateDir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Duration check = Duration.ofSeconds(Long.parseLong(args[2]));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PortMapperBuilder b =
        PortMapper.builder(stateDir, s -> say("STATE " + describe(s)))
            .internalPort(port)
            .checkInterval(check)
            .meterRegistry(registry);
    if (args.length > 3 && !args[3].equals("-")) {
      b.probeTarget(Ipv4.parse(args[3]));
    }
    if (args.length > 4 && args[4].equals("listen")) {
      listen(port);
    }
    PortMapper mapper = b.build();
    NetworkMonitor monitor = new NetworkMonitor();
    monitor.start(change -> {
      say("CHANGE " + change.trigger() + " " + change.reason());
      mapper.networkChanged(change);
    });
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.trim()) {
        case "status" -> say("STATUS " + describe(mapper.current()));
        case "metrics" -> say("METRICS " + metrics(registry));
        case "refresh" -> mapper.refresh();
        case "close" -> {
          monitor.close();
          mapper.close();
          say("CLOSED " + describe(mapper.current()));
          System.exit(0);
        }
        default -> say("UNKNOWN " + line);
      }
    }
  }

  /** One line: fields as key=value, the diagnosis words last. */
  static String describe(MappingState s) {
    return "protocol="
        + s.protocol().id()
        + " external="
        + s.external().map(e -> e.getAddress().getHostAddress() + ":" + e.getPort()).orElse("-")
        + " expiry="
        + s.expiry().map(Object::toString).orElse("-")
        + " epoch="
        + (s.epoch().isPresent() ? Long.toString(s.epoch().getAsLong()) : "-")
        + " kind="
        + s.diagnosis().kind().id()
        + " words="
        + s.diagnosis().words();
  }

  private static String metrics(SimpleMeterRegistry registry) {
    Map<String, Double> sums = new HashMap<>();
    for (Counter c : registry.find("agent.portmap.requests").counters()) {
      sums.merge("requests." + c.getId().getTag("op"), c.count(), Double::sum);
    }
    for (Counter c : registry.find("agent.portmap.ignored").counters()) {
      sums.merge("ignored." + c.getId().getTag("reason"), c.count(), Double::sum);
    }
    return sums.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue().longValue())
        .collect(Collectors.joining(" "));
  }

  private static void listen(int port) throws Exception {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(port));
    Thread.ofPlatform()
        .daemon()
        .start(() -> {
          byte[] buf = new byte[1500];
          while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
              socket.receive(p);
            } catch (Exception e) {
              return;
            }
            say(
                "RECEIVED "
                    + new String(buf, 0, p.getLength(), StandardCharsets.UTF_8).trim()
                    + " FROM "
                    + p.getAddress().getHostAddress());
          }
        });
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
