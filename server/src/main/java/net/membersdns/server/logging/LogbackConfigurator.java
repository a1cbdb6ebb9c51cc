package net.membersdns.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from {@link LogSettings}: one console appender on stderr (stdout carries the
 * commands' own output, such as the key line of {@code member add}), text or JSON lines, levels per
 * logger. Logback calls {@link #configure} once, found through {@code META-INF/services}, with the
 * settings of the environment; {@link #apply} replaces them later (the options of {@code serve}).
 * Thread-safe: Logback's context is.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
  /** The environment variables read at start-up. */
  public static final String FORMAT_ENV = "MEMBERSDNS_LOG_FORMAT";

  public static final String LEVEL_ENV = "MEMBERSDNS_LOG_LEVEL";

  /** Text lines: UTC time, level, thread, the class logging; the message names its component. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{0} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogSettings settings;
    String problem = null;
    try {
      settings = fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      // Nothing can fail the process this early; serve re-validates and exits 2 naming the option.
      settings = LogSettings.defaults();
      problem = e.getMessage();
    }
    configure(context, settings);
    if (problem != null) {
      context.getLogger(getClass()).warn("{} (using text, info)", problem);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The settings {@code env} asks for. */
  public static LogSettings fromEnvironment(Map<String, String> env) {
    return LogSettings.parse(env.get(FORMAT_ENV), env.get(LEVEL_ENV));
  }

  /** Replaces the running configuration with {@code settings}. */
  public static void apply(LogSettings settings) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      configure(context, settings);
    }
  }

  private static void configure(LoggerContext context, LogSettings settings) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stderr");
    console.setTarget("System.err");
    console.setEncoder(encoder(context, settings.format()));
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(console);
    settings.levels().forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogSettings.Format format) {
    if (format == LogSettings.Format.JSON) {
      JsonLayout layout = new JsonLayout();
      layout.setContext(context);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> json = new LayoutWrappingEncoder<>();
      json.setContext(context);
      json.setLayout(layout);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern(TEXT_PATTERN);
    text.start();
    return text;
  }
}
