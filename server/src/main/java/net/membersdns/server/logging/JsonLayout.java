package net.membersdns.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line, flat, so log pipelines (Loki, Elasticsearch, jq) filter on fields
 * without parsing messages: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code
 * message}, then the event's key-value pairs as top-level fields (numbers stay numbers; the audit
 * lines carry {@code event}, {@code key}, {@code zone}, {@code rcode}, ...), and {@code exception}
 * with the stack trace when there is one. Logback's own JsonEncoder nests the pairs in a list of
 * one-entry objects and repeats the logger context on every line.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(256);
    b.append('{');
    field(b, "time", TIME.format(event.getInstant()));
    b.append(',');
    field(b, "level", event.getLevel().toString());
    b.append(',');
    field(b, "logger", event.getLoggerName());
    b.append(',');
    field(b, "thread", event.getThreadName());
    b.append(',');
    field(b, "message", event.getFormattedMessage());
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair p : pairs) {
        b.append(',');
        string(b, p.key);
        b.append(':');
        if (p.value instanceof Number || p.value instanceof Boolean) {
          b.append(p.value);
        } else {
          string(b, String.valueOf(p.value));
        }
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      b.append(',');
      field(b, "exception", ThrowableProxyUtil.asString(thrown));
    }
    return b.append("}\n").toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    string(b, name);
    b.append(':');
    string(b, value);
  }

  /** A JSON string (RFC 8259 §7): quote, backslash and control characters escaped. */
  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
