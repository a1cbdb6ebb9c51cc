package net.membersdns.server.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every long option {@code --foo-bar} may also come from the environment as {@code
 * MEMBERSDNS_FOO_BAR} (design.md §6), which is how containers configure the server. The command
 * line wins over the environment, the environment over the built-in default.
 */
public final class EnvDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;

  public EnvDefaults() {
    this(System.getenv());
  }

  public EnvDefaults(Map<String, String> env) {
    this.env = env;
  }

  /** {@code --tls-listen} → {@code MEMBERSDNS_TLS_LISTEN}. */
  public static String variableFor(String longOption) {
    return "MEMBERSDNS_"
        + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (argSpec instanceof OptionSpec option && option.longestName().startsWith("--")) {
      String value = env.get(variableFor(option.longestName()));
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return argSpec.defaultValue();
  }
}
