package net.membersdns.server.transport;

import static net.membersdns.server.transport.DnsTestClient.ECHO;
import static net.membersdns.server.transport.DnsTestClient.framed;
import static net.membersdns.server.transport.DnsTestClient.query;
import static net.membersdns.server.transport.DnsTestClient.readFramed;
import static net.membersdns.server.transport.DnsTestClient.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import net.membersdns.server.config.ServerConfig.TlsConfig;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;

/** DNS over TLS (RFC 7858) with the generated certificate, on real sockets. */
class DnsTlsIT {
  private static final String SERVER_NAME = "dns.members.example";

  @TempDir Path dataDir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TransportMetrics metrics = new TransportMetrics(new DnsMetrics(registry));
  private DnsServer server;
  private Path certificate;

  @BeforeEach
  void start() throws Exception {
    var tls =
        TlsContextFactory.create(
            new TlsConfig(Optional.empty(), Optional.empty()), dataDir, SERVER_NAME);
    certificate = dataDir.resolve("tls/server.crt");
    server =
        new DnsServer(
            DnsServerIT.ANY_PORT,
            DnsServerIT.ANY_PORT,
            2,
            DnsServerIT.DEFAULT_LIMITS,
            tls,
            ECHO,
            metrics);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void answersOverTls13WithPipelining() throws Exception {
    try (SSLSocket socket =
        DnsTestClient.tls(server.tlsAddress(), certificate, SERVER_NAME, "TLSv1.3")) {
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      Message slow = query("slow.alice.members.example.");
      Message fast = query("fast.alice.members.example.");
      socket.getOutputStream().write(framed(slow, fast));
      assertThat(readFramed(socket.getInputStream()).getHeader().getID())
          .isEqualTo(fast.getHeader().getID());
      assertThat(readFramed(socket.getInputStream()).getHeader().getID())
          .isEqualTo(slow.getHeader().getID());
      assertThat(metrics.openConnections(Transport.TLS)).isEqualTo(1);
    }
  }

  @Test
  void answersOverTls12() throws Exception {
    try (SSLSocket socket =
        DnsTestClient.tls(server.tlsAddress(), certificate, SERVER_NAME, "TLSv1.2")) {
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(socket.getSession().getCipherSuite()).contains("_GCM_");
      Message q = query("a.alice.members.example.");
      socket.getOutputStream().write(framed(q));
      assertThat(readFramed(socket.getInputStream()).getHeader().getID())
          .isEqualTo(q.getHeader().getID());
    }
  }

  @Test
  void refusesTls11AndCountsTheFailedHandshake() throws Exception {
    try (Socket socket = tcp(server.tlsAddress())) {
      socket.getOutputStream().write(TLS11_CLIENT_HELLO);
      InputStream in = socket.getInputStream();
      int first;
      try {
        first = in.read();
      } catch (java.net.SocketException reset) {
        first = -1;
      }
      // An alert record (21) or a plain close, never a ServerHello (handshake record, 22).
      assertThat(first).isIn(-1, 21);
    }
    Await.until(() -> registry.get("dns.tls.handshake.failures").counter().count() == 1);
  }

  @Test
  void answersKdigOverTlsVerifyingTheCertificate() throws Exception {
    Path kdig = Path.of("/usr/bin/kdig");
    assumeTrue(Files.isExecutable(kdig), "kdig not installed (CI installs knot-dnsutils)");
    Process p =
        new ProcessBuilder(
                kdig.toString(),
                "+tls",
                "+tls-ca=" + certificate,
                "+tls-hostname=" + SERVER_NAME,
                "+timeout=5",
                "@127.0.0.1",
                "-p",
                Integer.toString(server.tlsAddress().getPort()),
                "mbp.alice.members.example.",
                "AAAA")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("TLS1.3")
        .contains("status: NOERROR")
        .contains("mbp.alice.members.example.");
  }

  /**
   * A TLS 1.1 ClientHello without the supported_versions extension: client_version 0x0302,
   * ECDHE/RSA CBC suites, supported_groups P-256, uncompressed points. Hand-built so the test does
   * not depend on whether this JDK's client still allows TLS 1.1.
   */
  static final byte[] TLS11_CLIENT_HELLO =
      HexFormat.of()
          .parseHex(
              "16030100410100003d0302"
                  + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                  + "00"
                  + "0006c009c013002f"
                  + "0100"
                  + "000e000a000400020017000b00020100");
}
