package net.membersdns.server.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.cli.MembersDnsCommand;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The deploy files of the repository (tests run in {@code server/}) and what they may set. */
final class Repository {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private Repository() {}

  static Path file(String relative) {
    return ROOT.resolve(relative);
  }

  /** Every YAML document of {@code relative}, as maps. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(String relative) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file(relative))) {
      for (Object doc : new Yaml().loadAll(r)) {
        if (doc != null) {
          out.add((Map<String, Object>) doc);
        }
      }
    }
    return out;
  }

  /**
   * The environment variables {@code serve} reads: the {@code ${env:NAME}} defaults of its options,
   * plus the launcher's. A deploy file setting any other {@code MEMBERSDNS_*} has a typo.
   */
  static Set<String> serveEnvironment() {
    Set<String> names = new TreeSet<>(Set.of("MEMBERSDNS_JAR", "MEMBERSDNS_JAVA_OPTS"));
    Pattern env = Pattern.compile("\\$\\{env:(MEMBERSDNS_[A-Z_]+)");
    CommandLine serve = MembersDnsCommand.commandLine().getSubcommands().get("serve");
    for (OptionSpec o : serve.getCommandSpec().options()) {
      String raw = o.defaultValueString(false); // before ${env:...} is interpolated
      if (raw != null) {
        Matcher m = env.matcher(raw);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  /** A map's entry as a map (a YAML mapping), failing clearly when it is not one. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new AssertionError(what + " is not a mapping: " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o, String what) {
    if (!(o instanceof List)) {
      throw new AssertionError(what + " is not a list: " + o);
    }
    return (List<Object>) o;
  }
}
