package net.membersdns.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.membersdns.server.testing.RequiredTool;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/systemd: each unit passes {@code systemd-analyze verify} without a warning on it and
 * scores OK in {@code systemd-analyze security}; the server's unit runs as its own user with
 * CAP_NET_BIND_SERVICE alone, state under StateDirectory, reload by SIGHUP.
 */
class SystemdUnitsTest {
  /** {@code [Service]} keys of a unit (repeated keys joined by a space). */
  private static Map<String, String> service(Path unit) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(unit)) {
      String t = line.strip();
      if (t.startsWith("[")) {
        section = t;
      } else if (section.equals("[Service]") && !t.startsWith("#") && t.contains("=")) {
        String k = t.substring(0, t.indexOf('='));
        String v = t.substring(t.indexOf('=') + 1);
        out.merge(k, v, (a, b) -> a + " " + b);
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"membersdns.service", "membersdns-agent.service"})
  void verifiesCleanlyAndScoresOk(String name, @TempDir Path tmp) throws Exception {
    Path analyze = RequiredTool.require("systemd-analyze", "systemd");
    // /opt/membersdns is where an install puts the launchers; here they are the repository's.
    Path unit = tmp.resolve(name);
    Files.writeString(
        unit,
        Files.readString(Repository.file("deploy/systemd/" + name))
            .replace(
                "ExecStart=/opt/membersdns/bin/", "ExecStart=" + Repository.file("bin") + "/"));
    Tool.Output verify = Tool.run(List.of(analyze.toString(), "verify", unit.toString()));
    assertThat(verify.exitCode()).as(verify.stdout()).isZero();
    assertThat(verify.stdout().lines().filter(l -> l.contains(name)).toList())
        .as("warnings on " + name)
        .isEmpty();
    Tool.Output security =
        Tool.run(
            List.of(
                analyze.toString(), "security", "--offline=true", "--no-pager", unit.toString()));
    assertThat(security.stdout())
        .containsPattern("Overall exposure level for " + name + ": [0-9.]+ OK");
  }

  @Test
  void theServerRunsAsItsOwnUserWithOnlyTheCapabilityForPort53() throws Exception {
    Map<String, String> s = service(Repository.file("deploy/systemd/membersdns.service"));
    assertThat(s.get("User")).isEqualTo("membersdns");
    assertThat(s.get("AmbientCapabilities")).isEqualTo("CAP_NET_BIND_SERVICE");
    assertThat(s.get("CapabilityBoundingSet")).isEqualTo("CAP_NET_BIND_SERVICE");
    assertThat(s).containsEntry("ProtectSystem", "strict").containsEntry("NoNewPrivileges", "yes");
    assertThat(s.get("StateDirectory")).isEqualTo("membersdns");
    assertThat(s.get("Environment"))
        .contains("MEMBERSDNS_DATA_DIR=/var/lib/membersdns")
        .contains("MEMBERSDNS_LISTEN=0.0.0.0:53");
    assertThat(s.get("ExecReload")).contains("kill -HUP $MAINPID");
    assertThat(s.get("KillSignal")).isEqualTo("SIGTERM");
    assertThat(Integer.parseInt(s.get("TimeoutStopSec"))).isGreaterThan(5 + 10);
    List<String> unknown = new ArrayList<>();
    for (String word : s.get("Environment").split(" ")) {
      String key = word.substring(0, word.indexOf('='));
      if (!Repository.serveEnvironment().contains(key)) {
        unknown.add(key);
      }
    }
    assertThat(unknown).as("environment no option reads").isEmpty();
  }
}
