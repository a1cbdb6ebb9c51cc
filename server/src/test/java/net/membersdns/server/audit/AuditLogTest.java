package net.membersdns.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuditLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void aLineIsTheEventThenItsFieldsAsTextAndAsKeyValuePairs() {
    AuditLog.event("update")
        .with("key", "alice.key.members.example.")
        .with("zone", "alice.members.example.")
        .with("lease", 3600L)
        .with("nothing", null)
        .with("reason", "two words")
        .log();
    assertThat(lines.list).hasSize(1);
    ILoggingEvent e = lines.list.get(0);
    assertThat(e.getFormattedMessage())
        .isEqualTo(
            "update key=alice.key.members.example. zone=alice.members.example. lease=3600"
                + " reason=\"two words\"");
    assertThat(e.getKeyValuePairs())
        .extracting(p -> p.key + "=" + p.value)
        .containsExactly(
            "event=update",
            "key=alice.key.members.example.",
            "zone=alice.members.example.",
            "lease=3600",
            "reason=two words");
  }

  @Test
  void adminLinesSayWhoRanTheCommand() {
    AuditLog.admin("key.remove").with("key", "ops.").log();
    List<String> keys = lines.list.get(0).getKeyValuePairs().stream().map(p -> p.key).toList();
    assertThat(keys).containsExactly("event", "by", "key");
  }
}
