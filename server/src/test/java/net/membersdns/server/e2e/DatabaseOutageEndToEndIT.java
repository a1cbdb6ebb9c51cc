package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.Dig;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TcpProxy;
import net.membersdns.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.yaml.snakeyaml.Yaml;

/**
 * PostgreSQL unreachable (issue 11, item 3), cut by a proxy between the server process and the
 * shared test database: signed updates are answered SERVFAIL with Extended DNS Error 14 within
 * about two seconds (asserted under 4 s, generous for a loaded CI box; not a benchmark), queries
 * are still answered from memory, {@code /ready} is 503, the log says so in exactly one line (and
 * one more when it is back); with the database back everything recovers by itself and updates
 * commit.
 */
class DatabaseOutageEndToEndIT {
  private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");
  private static final Name ZONE = Name.fromConstantString("alice.members.example.");

  @Test
  void updatesFailFastWhileTheDatabaseIsDownAndRecoverWhenItIsBack(@TempDir Path work)
      throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      Matcher m = HOST_PORT.matcher(db.url());
      assertThat(m.find()).as(db.url()).isTrue();
      ServerProcess.Result add =
          ServerProcess.run(work, List.of("member", "add", "alice", "--db-url", db.url()));
      assertThat(add.exitCode()).as(add.output()).isZero();
      KeyLine alice = KeyLine.parse(add.keyLine());
      try (TcpProxy proxy =
              new TcpProxy(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
          ServerProcess server =
              ServerProcess.start(
                  work,
                  List.of(
                      "--db-url",
                      m.replaceFirst("//127.0.0.1:" + proxy.port() + "/"),
                      // Backstop rounds during the outage too: they must not say it again.
                      "--reaper-interval",
                      "0.5"),
                  Map.of("MEMBERSDNS_LOG_FORMAT", "json"))) {
        SimpleResolver updates =
            new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort));
        updates.setTimeout(Duration.ofSeconds(10));
        updates.setTSIGKey(new TSIG(alice.algorithm().wireName(), alice.name(), alice.secret()));
        assertThat(updates.send(update("before")).getRcode()).isEqualTo(Rcode.NOERROR);

        int logBefore = server.log().length();
        proxy.cut();
        long cut = System.nanoTime();
        int[] sentDuring = {0};
        List<Long> answeredMs = new ArrayList<>();
        // Updates all through the first 4 s of the outage (the feed and the probe retry meanwhile,
        // and must not say so again), each answered SERVFAIL within the bound.
        Await.until(
            Duration.ofSeconds(30),
            "4 s of updates answered SERVFAIL",
            () -> {
              int i = sentDuring[0]++;
              long sent = System.nanoTime();
              Message reply;
              try {
                reply = updates.send(update("during" + i));
              } catch (java.io.IOException e) {
                throw new AssertionError("update " + i + " unanswered during the outage", e);
              }
              long ms = (System.nanoTime() - sent) / 1_000_000;
              assertThat(reply.getRcode())
                  .as("update %d during the outage", i)
                  .isEqualTo(Rcode.SERVFAIL);
              assertThat(ms).as("update %d answered after (ms)", i).isLessThan(4_000);
              answeredMs.add(ms);
              assertThat(extendedErrors(reply))
                  .as("EDE")
                  .containsExactly(ExtendedErrorCodeOption.NOT_READY);
              assertThat(reply.isVerified()).as("signed").isTrue();
              return System.nanoTime() - cut > 4_000_000_000L && i >= 4;
            });
        System.out.printf(
            "outage: %d updates answered SERVFAIL, first after %d ms, slowest %d ms%n",
            answeredMs.size(),
            answeredMs.get(0),
            answeredMs.stream().mapToLong(Long::longValue).max().orElseThrow());
        Dig.Answer soa = Dig.dig(server.dnsPort, ZONE.toString(), "SOA");
        assertThat(soa.status()).as("queries from memory").isEqualTo("NOERROR");
        assertThat(Dig.dig(server.dnsPort, "before." + ZONE, "A").answer())
            .containsExactly("before." + ZONE + " 60 IN A 192.0.2.1");
        Await.until(Duration.ofSeconds(15), "/ready 503", () -> server.httpStatus("/ready") == 503);
        assertThat(server.http("/metrics")).containsPattern("(?m)^dns_database_up 0(\\.0)?$");
        List<Map<String, Object>> outage = lines(server.log().substring(logBefore));

        int logRestored = server.log().length();
        proxy.restore();
        Await.until(
            Duration.ofSeconds(60), "/ready 200 again", () -> server.httpStatus("/ready") == 200);
        assertThat(updates.send(update("after")).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(Dig.dig(server.dnsPort, "after." + ZONE, "A").answer()).hasSize(1);
        List<Map<String, Object>> recovery = lines(server.log().substring(logRestored));

        assertThat(warnings(outage))
            .as("WARN and ERROR lines during the outage")
            .singleElement()
            .satisfies(
                l -> assertThat(l.get("message").toString()).startsWith("database: unreachable"));
        assertThat(warnings(recovery)).as("WARN and ERROR lines after it").isEmpty();
        assertThat(recovery)
            .filteredOn(l -> l.get("message").toString().startsWith("database: reachable again"))
            .hasSize(1);
        assertThat(outage)
            .filteredOn(l -> l.get("message").toString().startsWith("database: "))
            .hasSize(1);
      }
    }
  }

  private static Message update(String label) throws Exception {
    Update u = new Update(ZONE);
    u.add(Name.fromString(label, ZONE), Type.A, 60, "192.0.2.1");
    u.addRecord(new OPTRecord(1232, 0, 0), org.xbill.DNS.Section.ADDITIONAL);
    return u;
  }

  private static List<Integer> extendedErrors(Message reply) {
    List<Integer> codes = new ArrayList<>();
    OPTRecord opt = reply.getOPT();
    if (opt != null) {
      for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
        codes.add(((ExtendedErrorCodeOption) o).getErrorCode());
      }
    }
    return codes;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> lines(String log) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.startsWith("{")) {
        out.add((Map<String, Object>) new Yaml().load(line));
      }
    }
    return out;
  }

  private static List<Map<String, Object>> warnings(List<Map<String, Object>> lines) {
    return lines.stream()
        .filter(l -> "WARN".equals(l.get("level")) || "ERROR".equals(l.get("level")))
        .toList();
  }
}
