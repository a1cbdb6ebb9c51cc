package net.membersdns.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSettingsTest {
  @Test
  void unsetMeansTextAtInfoWithQuietLibraries() {
    LogSettings s = LogSettings.parse(null, "");
    assertThat(s.format()).isEqualTo(LogSettings.Format.TEXT);
    assertThat(s.levels())
        .containsEntry(Logger.ROOT_LOGGER_NAME, Level.INFO)
        .containsEntry("com.zaxxer.hikari", Level.WARN)
        .containsEntry("com.zaxxer.hikari.pool", Level.ERROR) // DatabaseHealth speaks of outages
        .containsEntry("io.netty", Level.WARN);
  }

  @Test
  void componentsAreThePackagesOfTheServerAndDottedNamesAreLoggers() {
    LogSettings s =
        LogSettings.parse(
            "JSON", " debug , llq=trace,audit=off, org.postgresql=debug,io.netty=info");
    assertThat(s.format()).isEqualTo(LogSettings.Format.JSON);
    assertThat(s.levels())
        .containsEntry(Logger.ROOT_LOGGER_NAME, Level.DEBUG)
        .containsEntry("net.membersdns.server.llq", Level.TRACE)
        .containsEntry("net.membersdns.server.audit", Level.OFF)
        .containsEntry("org.postgresql", Level.DEBUG)
        .containsEntry("io.netty", Level.INFO); // the operator's word beats the quiet default
    assertThat(LogSettings.parse("text", "server=warn,root=error").levels())
        .containsEntry("net.membersdns.server", Level.WARN)
        .containsEntry(Logger.ROOT_LOGGER_NAME, Level.ERROR);
  }

  @Test
  void refusalsNameWhatIsWrong() {
    assertThatThrownBy(() -> LogSettings.parse("xml", "info"))
        .hasMessageContaining("'xml' is neither text nor json");
    assertThatThrownBy(() -> LogSettings.parse("text", "info,updates=debug"))
        .hasMessageContaining("unknown component 'updates'")
        .hasMessageContaining("update");
    assertThatThrownBy(() -> LogSettings.parse("text", "llq=loud"))
        .hasMessageContaining("'loud' is not one of trace, debug, info, warn, error, off");
    assertThatThrownBy(() -> LogSettings.parse("text", "all")).hasMessageContaining("'all'");
  }

  @Test
  void everyPackageOfTheServerIsAComponent() throws IOException {
    Path root = Path.of("src/main/java/net/membersdns/server");
    Set<String> packages;
    try (Stream<Path> dirs = Files.list(root)) {
      packages =
          dirs.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .collect(Collectors.toSet());
    }
    assertThat(LogSettings.COMPONENTS).isEqualTo(packages);
  }
}
