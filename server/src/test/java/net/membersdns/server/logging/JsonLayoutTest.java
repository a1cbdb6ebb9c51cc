package net.membersdns.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import org.yaml.snakeyaml.Yaml;

class JsonLayoutTest {
  private final LoggerContext context = new LoggerContext();

  private Map<String, Object> layout(LoggingEvent event) {
    JsonLayout layout = new JsonLayout();
    layout.setContext(context);
    layout.start();
    String line = layout.doLayout(event);
    assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
    // JSON is YAML: a strict enough parser to prove the line is one well-formed object.
    return new Yaml().load(line);
  }

  @Test
  void fieldsAreFlatAndNumbersStayNumbers() {
    LoggingEvent e =
        new LoggingEvent(
            "x",
            context.getLogger("net.membersdns.server.audit"),
            Level.INFO,
            "update",
            null,
            null);
    e.addKeyValuePair(new KeyValuePair("event", "update"));
    e.addKeyValuePair(new KeyValuePair("zone", "alice.members.example."));
    e.addKeyValuePair(new KeyValuePair("lease", 3600L));
    Map<String, Object> json = layout(e);
    assertThat(json)
        .containsEntry("level", "INFO")
        .containsEntry("logger", "net.membersdns.server.audit")
        .containsEntry("message", "update")
        .containsEntry("event", "update")
        .containsEntry("zone", "alice.members.example.")
        .containsEntry("lease", 3600)
        .containsKeys("time", "thread");
    assertThat((String) json.get("time"))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  }

  @Test
  void quotesBackslashesAndControlCharactersAreEscapedAndExceptionsKept() {
    String nasty = "a \"quoted\" \\path\\ with\nnewline\ttab and \u0001";
    LoggingEvent e =
        new LoggingEvent(
            "x",
            context.getLogger("t"),
            Level.WARN,
            nasty,
            new IllegalStateException("boom \"x\""),
            null);
    Map<String, Object> json = layout(e);
    assertThat(json.get("message")).isEqualTo(nasty);
    assertThat((String) json.get("exception"))
        .contains("IllegalStateException: boom \"x\"")
        .contains("JsonLayoutTest");
  }
}
