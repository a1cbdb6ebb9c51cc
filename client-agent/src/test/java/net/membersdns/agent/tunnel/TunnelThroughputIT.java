package net.membersdns.agent.tunnel;

import static net.membersdns.agent.tunnel.NetTools.map;
import static net.membersdns.agent.tunnel.NetTools.measured;
import static net.membersdns.agent.tunnel.NetTools.pingUntilAnswered;
import static net.membersdns.agent.tunnel.NetTools.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import net.membersdns.agent.testing.Netns;
import org.junit.jupiter.api.Test;

/**
 * Throughput over a {@link Tunnel} against wireguard-go configured by hand with {@code wg set}, in
 * the same network (prefix {@code wgtp-}), both across the two home NATs: 100 MiB of zeros through
 * socat, three rounds, alternating. A measurement, not a check (it only fails if a transfer fails):
 * it runs with {@code -Dmembersdns.measure=true} and prints its numbers.
 */
class TunnelThroughputIT {
  private static final int MIB = 100;

  @Test
  void tunnelVersusHandConfiguredWireguardGo() throws Exception {
    assumeTrue(
        Boolean.getBoolean("membersdns.measure"), "set -Dmembersdns.measure=true to measure");
    Netns net = Netns.setUp("wgtp-");
    try {
      // ours: map, then open and reconcile through the Tunnel
      String aPublic = map(net, "host-a", 51820);
      String bPublic = map(net, "host-b", 51820);
      try (Probe a = new Probe(net, "host-a", "probe-a");
          Probe b = new Probe(net, "host-b", "probe-b")) {
        String keyA = key(a.call(open("wgpa", 51820, "fd6d:6474:6200::a", net.state(), "a")));
        String keyB = key(b.call(open("wgpb", 51820, "fd6d:6474:6200::b", net.state(), "b")));
        a.ok("reconcile " + TunnelIT.peer("b", keyB, "fd6d:6474:6200::b", bPublic));
        b.ok("reconcile " + TunnelIT.peer("a", keyA, "fd6d:6474:6200::a", aPublic));
        pingUntilAnswered(net, "host-a", "fd6d:6474:6200::b");

        // by hand: the testbed recipe (docs/testbed.md), other names, ports and ULAs
        handConfigured(net, "host-a", "wgpha", 51841, "fd6d:6474:6200::1a");
        handConfigured(net, "host-b", "wgphb", 51842, "fd6d:6474:6200::1b");
        String pubA =
            net.exec("host-a", "sh", "-c", "wg pubkey < " + keyFile(net, "wgpha")).strip();
        String pubB =
            net.exec("host-b", "sh", "-c", "wg pubkey < " + keyFile(net, "wgphb")).strip();
        peerByHand(net, "host-a", "wgpha", pubB, "198.18.2.2:51842", "fd6d:6474:6200::1b");
        peerByHand(net, "host-b", "wgphb", pubA, "198.18.1.2:51841", "fd6d:6474:6200::1a");
        pingUntilAnswered(net, "host-a", "fd6d:6474:6200::1b");

        for (int round = 1; round <= 3; round++) {
          measured(
              "round " + round + ", " + MIB + " MiB a→b over Tunnel (UAPI)",
              transfer(net, "fd6d:6474:6200::b", 7001));
          measured(
              "round " + round + ", " + MIB + " MiB a→b over hand-configured wireguard-go",
              transfer(net, "fd6d:6474:6200::1b", 7002));
        }
      }
    } finally {
      net.close();
    }
  }

  private static String open(String ifname, int port, String ula, Path state, String dir) {
    return "open " + ifname + " " + port + " " + ula + " " + state.resolve(dir) + " uapi";
  }

  private static String key(List<String> answer) {
    return answer.get(answer.size() - 1).split(" ")[1];
  }

  private static String keyFile(Netns net, String ifname) {
    return net.state().resolve(ifname + ".key").toString();
  }

  private static void handConfigured(Netns net, String node, String ifname, int port, String ula)
      throws Exception {
    net.start(
        node,
        ifname,
        List.of("WG_PROCESS_FOREGROUND=1", "LOG_LEVEL=error"),
        "wireguard-go",
        "-f",
        ifname);
    waitFor(net, node, ifname, "test -S /var/run/wireguard/" + ifname + ".sock");
    map(net, node, port); // before the peer learns of us (testbed pitfall 13)
    net.exec(node, "sh", "-c", "umask 077; wg genkey > " + keyFile(net, ifname));
    net.exec(
        node, "wg", "set", ifname, "listen-port", "" + port, "private-key", keyFile(net, ifname));
    net.exec(node, "ip", "addr", "add", ula + "/128", "dev", ifname, "nodad");
    net.exec(node, "ip", "link", "set", ifname, "up");
  }

  private static void peerByHand(
      Netns net, String node, String ifname, String pub, String endpoint, String ula)
      throws Exception {
    net.exec(
        node,
        "wg",
        "set",
        ifname,
        "peer",
        pub,
        "endpoint",
        endpoint,
        "allowed-ips",
        ula + "/128",
        "persistent-keepalive",
        "25");
    net.exec(node, "ip", "-6", "route", "add", ula + "/128", "dev", ifname);
  }

  /** 100 MiB from host-a to {@code ula}:{@code port} on host-b; returns "N s, M Mbit/s". */
  private static String transfer(Netns net, String ula, int port) throws Exception {
    Process sink =
        net.start(
            "host-b",
            "sink-" + port,
            List.of(),
            "sh",
            "-c",
            "socat -u TCP6-LISTEN:" + port + ",bind=[" + ula + "],reuseaddr - | wc -c");
    waitFor(net, "host-b", "sink", "ss -Htln | grep -q ':" + port + "'");
    String out =
        net.exec(
            "host-a",
            "bash",
            "-c",
            "t0=$EPOCHREALTIME; dd if=/dev/zero bs=1M count="
                + MIB
                + " status=none | socat -u - TCP6:["
                + ula
                + "]:"
                + port
                + "; t1=$EPOCHREALTIME; echo $t0 $t1");
    String[] t = out.strip().split("\\s+");
    double seconds = Double.parseDouble(t[t.length - 1]) - Double.parseDouble(t[t.length - 2]);
    assertThat(sink.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(net.log("sink-" + port).strip()).isEqualTo("" + MIB * 1024 * 1024);
    return String.format(Locale.ROOT, "%.2f s, %.0f Mbit/s", seconds, MIB * 8 * 1.048576 / seconds);
  }
}
