package net.membersdns.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.llq.PyLlqClient;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.RequiredTool;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard against a real Prometheus (Debian's): the server runs, Prometheus scrapes
 * it every second, queries, updates, garbage and LLQs (one cancelled, one receiving events) flow,
 * and then every PromQL expression of the dashboard, its template variables filled from Prometheus,
 * is evaluated through Prometheus' HTTP API: each must return a series with a value. Generic over
 * the dashboard: new panels and variables are checked as they come.
 */
class DashboardQueriesIT {
  private static final Name ZONE = Name.fromConstantString("alice.members.example.");

  @Test
  void everyDashboardExpressionReturnsData(@TempDir Path tmp) throws Exception {
    Path prometheus = RequiredTool.require("prometheus", "prometheus");
    assumeTrue(Tool.present("python3"), "python3-dnspython drives the LLQs");
    Dashboard dashboard = Dashboard.read();
    assertThat(dashboard.targets).isNotEmpty();
    try (TestDatabase db = TestDatabase.create()) {
      ServerProcess.Result enrol =
          ServerProcess.run(tmp, List.of("member", "add", "alice", "--db-url", db.url()));
      assertThat(enrol.exitCode()).as(enrol.output()).isZero();
      KeyLine alice = KeyLine.parse(enrol.keyLine());
      try (ServerProcess server = ServerProcess.start(tmp, List.of("--db-url", db.url()));
          PyLlqClient subscriber =
              new PyLlqClient("udp", server.dnsPort, alice.format(), "mbp." + ZONE, "AAAA", 3600);
          PyLlqClient cancelled =
              new PyLlqClient("tls", server.tlsPort, alice.format(), "x." + ZONE, "A", 3600)) {
        subscriber.next("established", 30);
        cancelled.next("established", 30);
        cancelled.command("refresh 0"); // an LLQ cancelled: dns.llq.deletions
        cancelled.next("refresh", 30);
        int web = ServerProcess.freePort();
        Process prom = startPrometheus(prometheus, tmp, server.httpPort, web);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread traffic = Thread.ofPlatform().start(() -> traffic(server, alice, running));
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> lacking = new LinkedHashMap<>();
        try {
          Await.until(
              Duration.ofSeconds(120),
              "every dashboard expression returns data",
              () -> {
                lacking.clear();
                values.clear();
                for (Dashboard.Variable v : dashboard.variables) {
                  values.put(v.name(), value(v, web));
                }
                values.putAll(GRAFANA_BUILTINS);
                for (Dashboard.Target t : dashboard.targets) {
                  String expr = Dashboard.substitute(t.expr(), n -> values.getOrDefault(n, ".*"));
                  if (!hasData(query(web, expr))) {
                    lacking.put(t.panel() + ": " + expr, "");
                  }
                }
                return lacking.isEmpty();
              });
          System.out.println(
              "dashboard: " + dashboard.targets.size() + " expressions returned data; " + values);
        } catch (AssertionError e) {
          throw new AssertionError(
              e.getMessage()
                  + "; lacking: "
                  + lacking.keySet()
                  + " with "
                  + values
                  + "\nprometheus "
                  + (prom.isAlive() ? "running" : "exited " + prom.exitValue())
                  + ", its log:\n"
                  + Files.readString(tmp.resolve("prometheus.log")),
              e);
        } finally {
          running.set(false);
          traffic.join(10_000);
          prom.destroy();
          prom.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Grafana's own variables, as a dashboard over the last hour would set them. */
  private static final Map<String, String> GRAFANA_BUILTINS =
      Map.of(
          "__rate_interval",
          "1m",
          "__interval",
          "15s",
          "__range",
          "1h",
          "__range_s",
          "3600",
          "__interval_ms",
          "15000");

  private static final java.util.regex.Pattern LABEL_VALUES =
      java.util.regex.Pattern.compile("label_values\\(\\s*(?:(.+),\\s*)?(\\w+)\\s*\\)");

  /** A value of template variable {@code v}: the first label value Prometheus holds for it. */
  private static String value(Dashboard.Variable v, int web) throws Exception {
    if (!v.options().isEmpty() && !"query".equals(v.type())) {
      return v.options().get(0);
    }
    java.util.regex.Matcher m = LABEL_VALUES.matcher(v.query());
    if (!"query".equals(v.type()) || !m.find()) {
      return ".*"; // datasource, interval, textbox: not part of the PromQL
    }
    String path = "/api/v1/label/" + m.group(2) + "/values";
    if (m.group(1) != null) {
      path += "?match[]=" + URLEncoder.encode(m.group(1).strip(), StandardCharsets.UTF_8);
    }
    Map<String, Object> r = get(web, path);
    List<Object> data = Repository.list(r.get("data"), "label values");
    return data.isEmpty() ? "none-yet" : String.valueOf(data.get(0));
  }

  private static Map<String, Object> query(int web, String expr) throws Exception {
    return get(web, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  /** A result with at least one series whose value is a number (not NaN: no traffic). */
  private static boolean hasData(Map<String, Object> response) {
    if (!"success".equals(response.get("status"))) {
      throw new AssertionError("Prometheus refused a query: " + response);
    }
    Map<String, Object> data = Repository.map(response.get("data"), "data");
    for (Object s : Repository.list(data.get("result"), "result")) {
      List<Object> value = Repository.list(Repository.map(s, "series").get("value"), "value");
      String v = String.valueOf(value.get(1));
      if (!v.equals("NaN")) {
        return true;
      }
    }
    return false;
  }

  /**
   * One client, so its connections to Prometheus are kept alive: a client per query left a
   * connection in TIME_WAIT per query, and polling every expression of the dashboard ran the
   * machine out of ephemeral ports (ConnectException).
   */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Map<String, Object> get(int web, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Yaml().load(r.body());
  }

  private static Process startPrometheus(Path binary, Path tmp, int target, int web)
      throws Exception {
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: membersdns
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(target));
    return new ProcessBuilder(
            binary.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + tmp.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + web,
            "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("prometheus.log").toFile())
        .start();
  }

  /**
   * Until stopped: queries over UDP and TCP, a datagram that is not a query (dropped), and leased
   * updates that flip the subscribed name (each one an LLQ event).
   */
  private static void traffic(ServerProcess server, KeyLine key, AtomicBoolean running) {
    InetSocketAddress dns = new InetSocketAddress("127.0.0.1", server.dnsPort);
    try (DatagramSocket garbage = new DatagramSocket()) {
      SimpleResolver plain = new SimpleResolver(dns);
      SimpleResolver tcp = new SimpleResolver(dns);
      tcp.setTCP(true);
      SimpleResolver signed = new SimpleResolver(dns);
      signed.setTSIGKey(new TSIG(key.algorithm().wireName(), key.name(), key.secret()));
      Message soa = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN));
      byte[] response = soa.toWire();
      response[2] |= (byte) 0x80; // QR set: a response sent to a server is dropped
      for (int i = 0; running.get(); i++) {
        plain.send(soa);
        tcp.send(soa);
        garbage.send(new DatagramPacket(response, response.length, dns));
        Update u = new Update(ZONE);
        if (i % 2 == 0) {
          u.add(Name.fromString("mbp", ZONE), Type.AAAA, 60, "fd12::1");
        } else {
          u.delete(Name.fromString("mbp", ZONE), Type.AAAA, "fd12::1");
        }
        u.addRecord(
            new OPTRecord(1232, 0, 0, 0, UpdateLeaseOption.of(3600).toOption()),
            Section.ADDITIONAL);
        signed.send(u);
        Thread.sleep(250); // pacing, not waiting for anything: Prometheus sees steady rates
      }
    } catch (Exception e) {
      if (running.get()) {
        throw new IllegalStateException("traffic stopped: " + e, e);
      }
    }
  }
}
