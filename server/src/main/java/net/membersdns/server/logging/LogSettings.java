package net.membersdns.server.logging;

import ch.qos.logback.classic.Level;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the log looks like: the line {@link Format} and a level per logger, parsed from the
 * operator's two strings ({@code MEMBERSDNS_LOG_FORMAT}, {@code MEMBERSDNS_LOG_LEVEL}). Immutable.
 *
 * @param levels logger name to level; {@link org.slf4j.Logger#ROOT_LOGGER_NAME} for the default
 */
public record LogSettings(Format format, Map<String, Level> levels) {
  /** Lines as people read them, or one JSON object per line for a log pipeline. */
  public enum Format {
    TEXT,
    JSON
  }

  /** Where the server's own loggers live; a component is the package below it. */
  public static final String OUR_LOGGERS = "net.membersdns.server";

  /**
   * The server's packages, each a component of {@code MEMBERSDNS_LOG_LEVEL} ({@code server} is all
   * of them). A test keeps this list and the source tree in step.
   */
  public static final Set<String> COMPONENTS =
      Set.of(
          "admin",
          "audit",
          "auth",
          "backup",
          "cli",
          "codec",
          "config",
          "feed",
          "importer",
          "keys",
          "lease",
          "lifecycle",
          "llq",
          "logging",
          "member",
          "metrics",
          "pipeline",
          "query",
          "request",
          "store",
          "transport",
          "update",
          "zone");

  /**
   * Libraries speak only when something is wrong: their INFO lines (pool started, schema validated)
   * say nothing an operator acts on. The pool's own warnings (one per pooled connection found dead
   * when the database went away) repeat what {@code store.DatabaseHealth} says once per outage, so
   * the pool speaks only of errors. An operator's own setting for them wins.
   */
  private static final Map<String, Level> QUIET_LIBRARIES =
      Map.of(
          "org.flywaydb",
          Level.WARN,
          "com.zaxxer.hikari",
          Level.WARN,
          "com.zaxxer.hikari.pool",
          Level.ERROR,
          "io.netty",
          Level.WARN);

  public LogSettings {
    levels = Map.copyOf(levels);
  }

  /** Text lines, INFO, quiet libraries: what an unset environment means. */
  public static LogSettings defaults() {
    return parse("text", "info");
  }

  /**
   * Parses the two settings.
   *
   * @param format {@code text} or {@code json} (any case); null or blank means text
   * @param levels comma-separated: a bare level sets the default, {@code NAME=LEVEL} sets one
   *     component (or dotted logger name); null or blank means {@code info}
   * @throws IllegalArgumentException naming what is wrong
   */
  public static LogSettings parse(String format, String levels) {
    Format f;
    String fmt = format == null || format.isBlank() ? "text" : format.strip();
    try {
      f = Format.valueOf(fmt.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("log format '" + fmt + "' is neither text nor json");
    }
    Map<String, Level> out = new LinkedHashMap<>(QUIET_LIBRARIES);
    out.put(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO);
    String spec = levels == null || levels.isBlank() ? "info" : levels;
    for (String item : spec.split(",")) {
      String t = item.strip();
      if (t.isEmpty()) {
        continue;
      }
      int eq = t.indexOf('=');
      if (eq < 0) {
        out.put(org.slf4j.Logger.ROOT_LOGGER_NAME, level(t));
      } else {
        out.put(loggerName(t.substring(0, eq).strip()), level(t.substring(eq + 1).strip()));
      }
    }
    return new LogSettings(f, out);
  }

  /** The logger a component stands for; dotted names are logger names already. */
  static String loggerName(String component) {
    if (component.contains(".")) {
      return component;
    }
    String c = component.toLowerCase(Locale.ROOT);
    if (c.equals("root")) {
      return org.slf4j.Logger.ROOT_LOGGER_NAME;
    }
    if (c.equals("server")) {
      return OUR_LOGGERS;
    }
    if (!COMPONENTS.contains(c)) {
      throw new IllegalArgumentException(
          "log level: unknown component '"
              + component
              + "' (one of server, "
              + String.join(", ", new TreeSet<>(COMPONENTS))
              + ", or a dotted logger name)");
    }
    return OUR_LOGGERS + "." + c;
  }

  private static Level level(String text) {
    Level l = Level.toLevel(text, null);
    if (l == null || text.equalsIgnoreCase("all")) {
      throw new IllegalArgumentException(
          "log level '" + text + "' is not one of trace, debug, info, warn, error, off");
    }
    return l;
  }
}
