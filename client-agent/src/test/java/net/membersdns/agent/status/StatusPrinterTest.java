package net.membersdns.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.membersdns.agent.hostid.StateDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code status} prints, computed from deadlines at the moment of reading. */
class StatusPrinterTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  @TempDir Path tmp;

  static AgentStatus status(boolean stopped, Instant updated) {
    return new AgentStatus(
        4242,
        updated,
        stopped,
        "mbp",
        "alice.members.example.",
        "fd12:3456:789a::1",
        new AgentStatus.Server(
            "198.18.0.53:853", "dns.members.example", "SRV _dns-update-tls._tcp…", true),
        new AgentStatus.Network("192.168.1.1", "eth0", "192.168.1.2"),
        new AgentStatus.Mapping(
            "PCP", "192.168.1.1", "198.18.1.2", 51820, 51820, NOW.plusSeconds(7080), 42),
        new AgentStatus.Registration(
            "registered", NOW.plusSeconds(5400), NOW.minusSeconds(1800), List.of("mbp… AAAA …")),
        List.of(
            new AgentStatus.Finding("mapped", false, "reachable at 198.18.1.2:51820"),
            new AgentStatus.Finding("double-nat", true, "behind two routers")),
        new AgentStatus.Peers(
            "polling",
            3,
            6,
            "the server is full (SERV-FULL)",
            List.of(
                new AgentStatus.Peer(
                    "mini",
                    "fd3a::1",
                    "198.18.2.2:51820",
                    "public endpoint 198.18.2.2:51820",
                    "direct",
                    "handshake 12 s ago",
                    NOW.minusSeconds(12),
                    2048,
                    5 * 1024 * 1024))),
        "cannot reach the server",
        NOW.minusSeconds(600));
  }

  @Test
  void aRunningAgentShowsWhatIsLeftNow() {
    String out = StatusPrinter.render(status(false, NOW.minusSeconds(5)), true, NOW);
    assertThat(out)
        .doesNotContain("NOT RUNNING")
        .contains("mapping     PCP on 192.168.1.1: 198.18.1.2:51820 → port 51820, 1h58m left")
        .contains("registered  registered, lease 1h30m left (last update 30m ago)")
        .contains("PROBLEM     double-nat: behind two routers")
        .contains(
            "POLLING every 30-60 s: LLQ unavailable (the server is full (SERV-FULL); 3/6 LLQs up)")
        .contains("mini")
        .contains("direct: handshake 12 s ago; rx 2.0 KiB, tx 5.0 MiB")
        .contains("last error  cannot reach the server (10m ago)");
  }

  @Test
  void aDeadAgentIsNeverShownAsAlive() {
    String out = StatusPrinter.render(status(false, NOW.minusSeconds(7200)), false, NOW);
    assertThat(out.lines().findFirst().orElseThrow())
        .contains("NOT RUNNING (it died: pid 4242 is gone); what follows is from 2h0m ago");
    String stopped = StatusPrinter.render(status(true, NOW.minusSeconds(60)), false, NOW);
    assertThat(stopped).contains("NOT RUNNING (stopped cleanly)");
  }

  @Test
  void anExpiredLeaseSaysSo() {
    String out = StatusPrinter.render(status(false, NOW), true, NOW.plusSeconds(6000));
    assertThat(out).contains("lease EXPIRED 10m ago");
  }

  @Test
  void theOtherHostsAsHostsFileLines() {
    assertThat(StatusPrinter.hostsLines(status(false, NOW)))
        .isEqualTo("fd3a::1 mini mini.alice.members.example\n");
  }

  @Test
  void theFileRoundTripsAsJson() throws Exception {
    StateDir dir = StateDir.open(tmp);
    AgentStatus s = status(false, NOW);
    StatusFile.write(dir, s);
    assertThat(StatusFile.read(tmp)).contains(s);
    assertThat(StatusFile.json(s, true))
        .contains("\"running\" : true")
        .contains("\"host\" : \"mbp\"");
  }
}
