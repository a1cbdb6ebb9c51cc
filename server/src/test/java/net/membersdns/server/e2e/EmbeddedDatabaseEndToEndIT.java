package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.Dig;
import net.membersdns.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's path of the README: no database configured, so the server runs the embedded
 * PostgreSQL in its data directory; {@code member add} reaches it while the server runs, and the
 * member is still there after a restart.
 */
class EmbeddedDatabaseEndToEndIT {
  @TempDir Path work;

  @Test
  void serveOnTheEmbeddedDatabase() throws Exception {
    List<String> dataDir = List.of("--data-dir", work.resolve("data").toString());
    try (ServerProcess server = ServerProcess.start(work, dataDir)) {
      ServerProcess.Result add =
          ServerProcess.run(
              work,
              List.of(
                  "member",
                  "add",
                  "dave",
                  "--algorithm",
                  "hmac-md5",
                  "--data-dir",
                  work.resolve("data").toString()));
      assertThat(add.exitCode()).as(add.output()).isZero();
      assertThat(add.output())
          .containsPattern("(?m)^key: hmac-md5:dave\\.key\\.members\\.example\\.:\\S+$");
      Await.until(() -> {
        try {
          return Dig.dig(server.dnsPort, "dave.members.example.", "SOA").status().equals("NOERROR");
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(Dig.dig(server.dnsPort, "dave.members.example.", "SOA").aa()).isTrue();
      assertThat(server.log()).contains("embedded database");
    }
    try (ServerProcess again = ServerProcess.start(work, dataDir)) {
      assertThat(Dig.dig(again.dnsPort, "dave.members.example.", "SOA").status())
          .isEqualTo("NOERROR");
      ServerProcess.Result list =
          ServerProcess.run(
              work, List.of("member", "list", "--data-dir", work.resolve("data").toString()));
      assertThat(list.output()).contains("dave");
    }
  }
}
