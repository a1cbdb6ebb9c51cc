package net.membersdns.server.audit;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes audit lines. Each is an {@code event} word ({@code update}, {@code member.add}, ...) and
 * fields; the message reads {@code event k=v k=v} for people and the fields go along as key-value
 * pairs, which the JSON log format turns into top-level fields. Callers pass names and outcomes
 * only: this class cannot tell a secret from a name, so none may be handed to it.
 *
 * <p>Thread-safe; a line costs what one log line costs (written synchronously, so an answer is sent
 * only after its audit line).
 */
public final class AuditLog {
  /** The audit logger's name: the {@code audit} component of {@code MEMBERSDNS_LOG_LEVEL}. */
  public static final String LOGGER = "net.membersdns.server.audit";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private AuditLog() {}

  /** Starts the line of {@code event}. */
  public static Line event(String event) {
    return new Line(event);
  }

  /**
   * Starts the line of an administrative {@code event} (a command changing members, hosts or keys),
   * with {@code by}: the user who ran it ({@code SUDO_USER} when run through sudo).
   */
  public static Line admin(String event) {
    String sudo = System.getenv("SUDO_USER");
    return new Line(event)
        .with("by", sudo != null && !sudo.isBlank() ? sudo : System.getProperty("user.name"));
  }

  /** Whether audit lines are written at all ({@code audit=warn} silences them). */
  public static boolean enabled() {
    return log.isInfoEnabled();
  }

  /** One audit line being built; {@link #log} writes it. Not thread-safe; use once. */
  public static final class Line {
    private final String event;
    private final List<String> keys = new ArrayList<>(8);
    private final List<Object> values = new ArrayList<>(8);

    private Line(String event) {
      this.event = event;
    }

    /** Adds a field; a null value is left out (an unsigned update has no key). */
    public Line with(String key, Object value) {
      if (value != null) {
        keys.add(key);
        values.add(value);
      }
      return this;
    }

    public void log() {
      if (!log.isInfoEnabled()) {
        return;
      }
      StringBuilder message = new StringBuilder(event);
      LoggingEventBuilder b = log.atInfo().addKeyValue("event", event);
      for (int i = 0; i < keys.size(); i++) {
        Object v = values.get(i);
        message.append(' ').append(keys.get(i)).append('=').append(text(v));
        b = b.addKeyValue(keys.get(i), v);
      }
      b.log(message.toString());
    }

    /** A value as the text line shows it: quoted when it holds blanks or quotes. */
    private static String text(Object value) {
      String s = String.valueOf(value);
      if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c < 0x20)) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
      }
      return s;
    }
  }
}
