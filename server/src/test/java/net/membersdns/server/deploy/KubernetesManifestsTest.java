package net.membersdns.server.deploy;

import static net.membersdns.server.deploy.Repository.list;
import static net.membersdns.server.deploy.Repository.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.membersdns.server.testing.RequiredTool;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes: the Kubernetes schemas accept every manifest (npm kubernetes-models, run by
 * node), and the fields the issue asks for hold: two replicas, /health and /ready probes on the
 * metrics port, non-root with a read-only root filesystem, resources, Services for 53 UDP+TCP, 853
 * and metrics, ConfigMap and Secrets that exist for every reference, a PodDisruptionBudget.
 */
class KubernetesManifestsTest {
  private static final List<String> FILES =
      List.of(
          "configmap.yaml",
          "secret.yaml",
          "deployment.yaml",
          "service.yaml",
          "poddisruptionbudget.yaml");
  private static final Map<String, Map<String, Object>> byKindAndName = new HashMap<>();

  @BeforeAll
  static void load() throws Exception {
    for (String f : FILES) {
      for (Map<String, Object> doc : Repository.yamlDocuments("deploy/kubernetes/" + f)) {
        String name = (String) map(doc.get("metadata"), f).get("name");
        byKindAndName.put(doc.get("kind") + "/" + name, doc);
      }
    }
    String kustomization =
        Repository.yamlDocuments("deploy/kubernetes/kustomization.yaml").get(0).toString();
    for (String f : FILES) {
      assertThat(kustomization).as("kustomization lists " + f).contains(f);
    }
  }

  private static Map<String, Object> get(String kindAndName) {
    assertThat(byKindAndName).containsKey(kindAndName);
    return byKindAndName.get(kindAndName);
  }

  private static Map<String, Object> at(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      cur = map(cur.get(p), p);
    }
    return cur;
  }

  @Test
  void theSchemasAcceptEveryManifest() throws Exception {
    Path node = RequiredTool.require("node", "nodejs");
    Path modules =
        RequiredTool.requireDirectory(
            Path.of(
                System.getenv()
                    .getOrDefault(
                        "MEMBERSDNS_K8S_SCHEMA_MODULES",
                        "/var/cache/membersdns-ci/npm/node_modules")),
            ".ci/run installs kubernetes-models and js-yaml there with npm");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                node.toString(),
                Repository.file("deploy/kubernetes/schema-check.mjs").toString(),
                modules.toString()));
    for (String f : FILES) {
      cmd.add(Repository.file("deploy/kubernetes/" + f).toString());
    }
    Tool.Output out = Tool.run(cmd);
    assertThat(out.exitCode()).as(out.stdout()).isZero();
    assertThat(out.stdout().lines().filter(l -> l.startsWith("valid ")).count()).isEqualTo(7);
  }

  @Test
  void theDeploymentRunsTwoLockedDownReplicasWithProbesAndResources() {
    Map<String, Object> d = get("Deployment/membersdns");
    assertThat(at(d, "spec").get("replicas")).isEqualTo(2);
    Map<String, Object> pod = at(d, "spec", "template", "spec");
    assertThat(at(pod, "securityContext")).containsEntry("runAsNonRoot", true);
    Map<String, Object> c = map(list(pod.get("containers"), "containers").get(0), "container");
    assertThat(at(c, "securityContext"))
        .containsEntry("readOnlyRootFilesystem", true)
        .containsEntry("allowPrivilegeEscalation", false);
    assertThat(at(c, "securityContext", "capabilities").get("drop")).isEqualTo(List.of("ALL"));
    assertThat(at(c, "resources", "requests")).containsKeys("cpu", "memory");
    assertThat(at(c, "resources", "limits")).containsKey("memory");

    Map<String, Integer> ports = new HashMap<>();
    for (Object p : list(c.get("ports"), "ports")) {
      Map<String, Object> port = map(p, "port");
      ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
    }
    assertThat(ports)
        .containsEntry("dns-udp", 5300)
        .containsEntry("dns-tcp", 5300)
        .containsEntry("dns-tls", 8853)
        .containsEntry("metrics", 9153);
    assertThat(at(c, "readinessProbe", "httpGet"))
        .containsEntry("path", "/ready")
        .containsEntry("port", "metrics");
    assertThat(at(c, "livenessProbe", "httpGet"))
        .containsEntry("path", "/health")
        .containsEntry("port", "metrics");

    // A read-only root needs writable mounts where the server writes: /tmp and the data dir.
    List<String> mounts = new ArrayList<>();
    for (Object m : list(c.get("volumeMounts"), "volumeMounts")) {
      mounts.add((String) map(m, "mount").get("mountPath"));
    }
    assertThat(mounts).contains("/tmp", "/var/lib/membersdns", "/etc/membersdns/tls");

    // Every environment reference resolves, and every MEMBERSDNS_* is an option's.
    Map<String, Object> config = get("ConfigMap/membersdns");
    assertThat(Repository.serveEnvironment()).containsAll(at(config, "data").keySet());
    for (Object e : list(c.get("env"), "env")) {
      Map<String, Object> env = map(e, "env");
      assertThat(Repository.serveEnvironment()).contains((String) env.get("name"));
      if (env.get("valueFrom") != null) {
        Map<String, Object> ref = at(env, "valueFrom", "secretKeyRef");
        assertThat(at(get("Secret/" + ref.get("name")), "stringData"))
            .containsKey((String) ref.get("key"));
      }
    }
    String tlsSecret =
        (String)
            at(map(list(pod.get("volumes"), "volumes").get(0), "v"), "secret").get("secretName");
    assertThat(get("Secret/" + tlsSecret)).containsEntry("type", "kubernetes.io/tls");

    // The grace period outlasts the drain.
    int drain = Integer.parseInt((String) at(config, "data").get("MEMBERSDNS_DRAIN"));
    assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(drain + 10);
  }

  @Test
  void servicesPublishDnsTlsAndMetricsAndTheBudgetKeepsOneReplica() {
    Map<String, Object> labels =
        at(get("Deployment/membersdns"), "spec", "template", "metadata", "labels");
    List<String> dns = new ArrayList<>();
    for (Object p : list(at(get("Service/membersdns"), "spec").get("ports"), "ports")) {
      Map<String, Object> port = map(p, "port");
      dns.add(port.get("port") + "/" + port.get("protocol") + "->" + port.get("targetPort"));
    }
    assertThat(dns)
        .containsExactlyInAnyOrder("53/UDP->dns-udp", "53/TCP->dns-tcp", "853/TCP->dns-tls");
    Map<String, Object> metrics =
        map(list(at(get("Service/membersdns-metrics"), "spec").get("ports"), "p").get(0), "p");
    assertThat(metrics).containsEntry("port", 9153).containsEntry("targetPort", "metrics");
    for (String s : List.of("Service/membersdns", "Service/membersdns-metrics")) {
      assertThat(labels).containsAllEntriesOf(map(at(get(s), "spec").get("selector"), s));
    }
    Map<String, Object> pdb = at(get("PodDisruptionBudget/membersdns"), "spec");
    assertThat(pdb).containsEntry("minAvailable", 1);
    assertThat(labels).containsAllEntriesOf(at(pdb, "selector", "matchLabels"));
  }
}
