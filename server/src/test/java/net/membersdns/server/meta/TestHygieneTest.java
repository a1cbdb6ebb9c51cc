package net.membersdns.server.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tests synchronise on conditions ({@code testing.Await}), never on a fixed sleep, and share that
 * one helper instead of each keeping a copy.
 */
class TestHygieneTest {
  private static final Path TESTS = Path.of("src", "test", "java", "net", "membersdns", "server");

  /**
   * Where a sleep is not synchronisation: the poll itself, pacing a slow client, a start-up poll.
   */
  private static final Set<String> MAY_SLEEP =
      Set.of(
          "testing/Await.java", // the one poll
          "transport/DnsServerIT.java", // a slowloris trickling one byte per 100 ms
          "deploy/DashboardQueriesIT.java", // traffic paced at four rounds a second
          "e2e/RateLimitEndToEndIT.java", // a UDP flood paced at 2,000 queries a second
          "testing/ServerProcess.java"); // polls /ready while watching the process

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(TESTS)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.endsWith("TestHygieneTest.java")) // names what it looks for
          .toList();
    }
  }

  private static String relative(Path p) {
    return TESTS.relativize(p).toString().replace('\\', '/');
  }

  @Test
  void noTestSleepsAFixedTimeToSynchronise() throws IOException {
    for (Path p : sources()) {
      if (!MAY_SLEEP.contains(relative(p))) {
        assertThat(Files.readString(p)).as(relative(p)).doesNotContain("Thread.sleep(");
      }
    }
  }

  @Test
  void oneAwaitHelper() throws IOException {
    for (Path p : sources()) {
      if (!relative(p).equals("testing/Await.java")) {
        assertThat(Files.readString(p))
            .as(relative(p))
            .doesNotContainPattern("static (boolean|void) await\\(");
      }
    }
  }
}
