package net.membersdns.server.deploy;

import static net.membersdns.server.deploy.Repository.list;
import static net.membersdns.server.deploy.Repository.map;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * What deploy/grafana/membersdns.json asks Prometheus: every target expression of every panel
 * (rows' nested panels included), and its template variables, so a check keeps working whatever
 * panels and selectors the dashboard grows.
 */
final class Dashboard {
  /** A template variable: {@code query} is its PromQL or {@code label_values(...)} source. */
  record Variable(String name, String type, String query, List<String> options) {}

  /** One expression of one panel. */
  record Target(String panel, String expr) {}

  final List<Variable> variables = new ArrayList<>();
  final List<Target> targets = new ArrayList<>();

  @SuppressWarnings("unchecked")
  static Dashboard read() throws IOException {
    Map<String, Object> json;
    try (Reader r = Files.newBufferedReader(Repository.file("deploy/grafana/membersdns.json"))) {
      json = new Yaml().load(r); // JSON is YAML
    }
    Dashboard d = new Dashboard();
    Object templating = json.get("templating");
    if (templating != null) {
      for (Object v : list(map(templating, "templating").get("list"), "templating.list")) {
        Map<String, Object> var = map(v, "variable");
        Object q = var.get("query");
        String query =
            q instanceof Map<?, ?> m ? String.valueOf(m.get("query")) : String.valueOf(q);
        List<String> options = new ArrayList<>();
        if (var.get("options") instanceof List<?> os) {
          for (Object o : os) {
            options.add(String.valueOf(((Map<String, Object>) o).get("value")));
          }
        }
        d.variables.add(
            new Variable((String) var.get("name"), (String) var.get("type"), query, options));
      }
    }
    d.collect(list(json.get("panels"), "panels"));
    return d;
  }

  private void collect(List<Object> panels) {
    for (Object p : panels) {
      Map<String, Object> panel = map(p, "panel");
      if (panel.get("panels") instanceof List<?> nested) {
        collect(list(nested, "row panels"));
      }
      if (panel.get("targets") instanceof List<?> ts) {
        for (Object t : ts) {
          Object expr = map(t, "target").get("expr");
          if (expr instanceof String e && !e.isBlank()) {
            targets.add(new Target(String.valueOf(panel.get("title")), e));
          }
        }
      }
    }
  }

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)(?::[^]]*)?]]|\\$(\\w+)");

  /**
   * {@code expr} with every variable reference ({@code $v}, {@code ${v}}, {@code ${v:fmt}}, {@code
   * [[v]]}) replaced by {@code value.apply(v)}.
   */
  static String substitute(String expr, Function<String, String> value) {
    Matcher m = REFERENCE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(value.apply(name)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
