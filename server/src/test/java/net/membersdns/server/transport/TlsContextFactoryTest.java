package net.membersdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.membersdns.server.config.ServerConfig.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextFactoryTest {
  private static final TlsConfig GENERATE = new TlsConfig(Optional.empty(), Optional.empty());

  @TempDir Path dataDir;

  @Test
  void generatesASelfSignedPairOnceAndReusesIt() throws Exception {
    SslContext first = TlsContextFactory.create(GENERATE, dataDir, "dns.members.example");
    Path crt = dataDir.resolve("tls/server.crt");
    Path key = dataDir.resolve("tls/server.key");
    byte[] crtBytes = Files.readAllBytes(crt);
    byte[] keyBytes = Files.readAllBytes(key);

    SslContext second = TlsContextFactory.create(GENERATE, dataDir, "dns.members.example");

    assertThat(first.isServer()).isTrue();
    assertThat(second.isServer()).isTrue();
    assertThat(Files.readAllBytes(crt)).isEqualTo(crtBytes);
    assertThat(Files.readAllBytes(key)).isEqualTo(keyBytes);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(new String(keyBytes, "US-ASCII")).startsWith("-----BEGIN PRIVATE KEY-----");
    try (var files = Files.list(dataDir.resolve("tls"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("server.crt", "server.key");
    }
  }

  @Test
  void generatedCertificateNamesTheServerAndLoopbackForTenYears() throws Exception {
    TlsContextFactory.create(GENERATE, dataDir, "dns.members.example");
    X509Certificate cert = TlsContextFactory.readChain(dataDir.resolve("tls/server.crt")).get(0);

    assertThat(cert.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(
            List.of(2, "dns.members.example"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(cert.getNotAfter().toInstant())
        .isAfter(Instant.now().plus(Duration.ofDays(3649)))
        .isBefore(Instant.now().plus(Duration.ofDays(3651)));
    cert.verify(cert.getPublicKey()); // self-signed
    assertThat(TlsContextFactory.fingerprint(cert)).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
  }

  @Test
  void usesConfiguredPemFilesAndGeneratesNothing(@TempDir Path elsewhere) throws Exception {
    var pem = GeneratedCertificate.ensure(elsewhere, "dns.example.net");
    TlsConfig configured =
        new TlsConfig(Optional.of(pem.certificate()), Optional.of(pem.privateKey()));

    SslContext context = TlsContextFactory.create(configured, dataDir, "ignored.example");

    assertThat(context.isServer()).isTrue();
    assertThat(dataDir.resolve("tls")).doesNotExist();
  }

  @Test
  void refusesACertificateWithoutItsKey() {
    TlsConfig half = new TlsConfig(Optional.of(dataDir.resolve("x.crt")), Optional.empty());
    assertThatThrownBy(() -> TlsContextFactory.create(half, dataDir, "dns.members.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both");
  }
}
