package net.membersdns.server.deploy;

import static net.membersdns.server.deploy.Repository.list;
import static net.membersdns.server.deploy.Repository.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.membersdns.server.testing.RequiredTool;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as Compose itself resolves it ({@code docker-compose config}): two membersdns
 * replicas on one PostgreSQL, published 53/udp, 53/tcp and 853 from high container ports without
 * capabilities, restart policies everywhere, a pinned Prometheus scraping both replicas, a pinned
 * Grafana with its provisioned datasource and dashboard, and no start without an advertised
 * address.
 */
class ComposeFileTest {
  private static Tool.Output compose(String advertise) throws Exception {
    Path tool = RequiredTool.require("docker-compose", "docker-compose");
    List<String> cmd = new ArrayList<>(List.of("env", "-u", "MEMBERSDNS_ADVERTISE_ADDRESS"));
    if (advertise != null) {
      cmd.add("MEMBERSDNS_ADVERTISE_ADDRESS=" + advertise);
    }
    cmd.addAll(
        List.of(tool.toString(), "-f", Repository.file("docker-compose.yml").toString(), "config"));
    return Tool.run(cmd);
  }

  /**
   * A published port as {@code PUBLISHED->TARGET/PROTOCOL}, from Compose's short syntax ({@code
   * [IP:]PUBLISHED:TARGET/PROTOCOL}, what docker-compose 1.x prints) or its long one.
   */
  private static String port(Object p) {
    if (p instanceof Map<?, ?> m) {
      return m.get("published") + "->" + m.get("target") + "/" + m.get("protocol");
    }
    String[] protocol = p.toString().split("/");
    String[] parts = protocol[0].split(":");
    return parts[parts.length - 2]
        + "->"
        + parts[parts.length - 1]
        + "/"
        + (protocol.length > 1 ? protocol[1] : "tcp");
  }

  @Test
  void refusesToStartWithoutAnAdvertisedAddress() throws Exception {
    Tool.Output out = compose(null);
    assertThat(out.exitCode()).isNotZero();
    assertThat(out.stdout()).contains("set MEMBERSDNS_ADVERTISE_ADDRESS to the public address");
  }

  @Test
  void resolvesToTwoReplicasOnOneDatabaseWithMonitoring() throws Exception {
    Tool.Output out = compose("203.0.113.7");
    assertThat(out.exitCode()).as(out.stdout()).isZero();
    Map<String, Object> services =
        map(map(new Yaml().load(out.stdout()), "compose").get("services"), "services");
    assertThat(services.keySet())
        .containsExactlyInAnyOrder(
            "postgres", "membersdns-a", "membersdns-b", "prometheus", "grafana");
    for (var e : services.entrySet()) {
      assertThat(map(e.getValue(), e.getKey()).get("restart"))
          .as(e.getKey() + " restart policy")
          .isEqualTo("unless-stopped");
    }
    Map<String, Object> postgres = map(services.get("postgres"), "postgres");
    assertThat(postgres).containsKey("healthcheck");
    assertThat(list(postgres.get("volumes"), "postgres volumes").toString())
        .contains("/var/lib/postgresql/data");

    Object dbUrl = null;
    for (String name : List.of("membersdns-a", "membersdns-b")) {
      Map<String, Object> s = map(services.get(name), name);
      Map<String, Object> env = map(s.get("environment"), name + " environment");
      assertThat(env).containsEntry("MEMBERSDNS_ADVERTISE_ADDRESS", "203.0.113.7");
      assertThat(Repository.serveEnvironment()).containsAll(env.keySet());
      if (dbUrl == null) {
        dbUrl = env.get("MEMBERSDNS_DB_URL");
      }
      assertThat(env.get("MEMBERSDNS_DB_URL")).as("one database").isEqualTo(dbUrl);
      assertThat(s).doesNotContainKeys("cap_add", "privileged", "user");
      assertThat(map(map(s.get("depends_on"), name).get("postgres"), name))
          .containsEntry("condition", "service_healthy");
      List<String> ports = new ArrayList<>();
      for (Object p : list(s.get("ports"), name + " ports")) {
        ports.add(port(p));
      }
      if (name.equals("membersdns-a")) {
        assertThat(ports).contains("53->5300/udp", "53->5300/tcp", "853->8853/tcp");
      }
    }
    assertThat((String) dbUrl).startsWith("jdbc:postgresql://postgres:5432/");

    for (String pinned : List.of("prometheus", "grafana")) {
      String image = (String) map(services.get(pinned), pinned).get("image");
      assertThat(image).as(pinned + " image pinned").matches(".+:v?\\d+\\.\\d+\\.\\d+");
    }
    assertThat(
            list(map(services.get("prometheus"), "prometheus").get("volumes"), "volumes")
                .toString())
        .contains("deploy/prometheus.yml")
        .contains("prometheus:/prometheus");
    String targets = Repository.yamlDocuments("deploy/prometheus.yml").toString();
    assertThat(targets).contains("membersdns-a:9153").contains("membersdns-b:9153");
  }

  @Test
  void grafanaIsProvisionedWithThePrometheusDatasourceAndTheDashboard() throws Exception {
    Map<String, Object> compose = Repository.yamlDocuments("docker-compose.yml").get(0);
    Map<String, Object> grafana = map(map(compose.get("services"), "services").get("grafana"), "g");
    String mounts = grafana.get("volumes").toString();
    assertThat(mounts)
        .contains("./deploy/grafana/provisioning:/etc/grafana/provisioning")
        .contains("./deploy/grafana/membersdns.json:/etc/grafana/dashboards/membersdns.json");
    Map<String, Object> ds =
        map(
            list(
                    Repository.yamlDocuments(
                            "deploy/grafana/provisioning/datasources/prometheus.yml")
                        .get(0)
                        .get("datasources"),
                    "datasources")
                .get(0),
            "datasource");
    assertThat(ds)
        .containsEntry("type", "prometheus")
        .containsEntry("url", "http://prometheus:9090");
    Map<String, Object> provider =
        map(
            list(
                    Repository.yamlDocuments(
                            "deploy/grafana/provisioning/dashboards/membersdns.yml")
                        .get(0)
                        .get("providers"),
                    "providers")
                .get(0),
            "provider");
    assertThat(map(provider.get("options"), "options"))
        .containsEntry("path", "/etc/grafana/dashboards");
    assertThat(Files.readString(Repository.file("deploy/grafana/membersdns.json")))
        .contains("\"type\": \"prometheus\"");
  }
}
