package net.membersdns.server.transport;

import static net.membersdns.server.transport.DnsTestClient.ECHO;
import static net.membersdns.server.transport.DnsTestClient.closedByPeer;
import static net.membersdns.server.transport.DnsTestClient.framed;
import static net.membersdns.server.transport.DnsTestClient.query;
import static net.membersdns.server.transport.DnsTestClient.readFramed;
import static net.membersdns.server.transport.DnsTestClient.tcp;
import static net.membersdns.server.transport.DnsTestClient.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import net.membersdns.server.config.ServerConfig.TcpLimits;
import net.membersdns.server.config.ServerConfig.TlsConfig;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/** UDP and TCP listeners on real sockets (RFC 1035 §4.2, RFC 7766). TLS: {@link DnsTlsIT}. */
class DnsServerIT {
  static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
  static final TcpLimits DEFAULT_LIMITS = new TcpLimits(Duration.ofSeconds(10), 100, 20);

  @TempDir static Path dataDir;
  static SslContext tls;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TransportMetrics metrics = new TransportMetrics(new DnsMetrics(registry));
  DnsServer server;

  @BeforeAll
  static void certificate() throws Exception {
    tls =
        TlsContextFactory.create(
            new TlsConfig(Optional.empty(), Optional.empty()), dataDir, "dns.members.example");
  }

  DnsServer start(TcpLimits limits) throws Exception {
    server = new DnsServer(ANY_PORT, ANY_PORT, 2, limits, tls, ECHO, metrics);
    server.start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void answersOverUdp() throws Exception {
    start(DEFAULT_LIMITS);
    Message q = query("a.members.example.");
    Message r = udp(server.udpAddress(), q);
    assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(server.tcpAddress().getPort()).isEqualTo(server.udpAddress().getPort());
  }

  @Test
  void dropsDatagramsShorterThanAHeaderSilently() throws Exception {
    start(DEFAULT_LIMITS);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5000);
      socket.send(new DatagramPacket(new byte[5], 5, server.udpAddress()));
      byte[] wire = query("b.members.example.").toWire();
      socket.send(new DatagramPacket(wire, wire.length, server.udpAddress()));
      DatagramPacket in = new DatagramPacket(new byte[600], 600);
      socket.receive(in); // same socket pair, same server socket: in order after the short one
      assertThat(in.getLength()).isEqualTo(wire.length);
    }
    assertThat(dropped(Transport.UDP, "short")).isEqualTo(1);
  }

  @Test
  void answersOverTcpAndKeepsTheConnectionForMore() throws Exception {
    start(DEFAULT_LIMITS);
    try (Socket socket = tcp(server.tcpAddress())) {
      for (int i = 0; i < 3; i++) {
        Message q = query("c" + i + ".members.example.");
        socket.getOutputStream().write(framed(q));
        Message r = readFramed(socket.getInputStream());
        assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
      }
    }
  }

  @Test
  void answersPipelinedQueriesOutOfOrder() throws Exception {
    start(DEFAULT_LIMITS);
    try (Socket socket = tcp(server.tcpAddress())) {
      Message slow = query("slow.members.example.");
      Message fast = query("fast.members.example.");
      socket.getOutputStream().write(framed(slow, fast)); // RFC 7766 §6.2.1.1, one write

      Message first = readFramed(socket.getInputStream());
      Message second = readFramed(socket.getInputStream());
      assertThat(first.getHeader().getID()).isEqualTo(fast.getHeader().getID());
      assertThat(second.getHeader().getID()).isEqualTo(slow.getHeader().getID());
      assertThat(metrics.openConnections(Transport.TCP)).isEqualTo(1);
    }
    Await.until(() -> metrics.openConnections(Transport.TCP) == 0);
  }

  @Test
  void closesAConnectionOnAFrameTooShortForAHeader() throws Exception {
    start(DEFAULT_LIMITS);
    try (Socket socket = tcp(server.tcpAddress())) {
      socket.getOutputStream().write(new byte[] {0, 3, 1, 2, 3});
      assertThat(closedByPeer(socket)).isTrue();
    }
    assertThat(dropped(Transport.TCP, "short")).isEqualTo(1);
  }

  @Test
  void closesAnIdleConnection() throws Exception {
    start(new TcpLimits(Duration.ofMillis(300), 100, 20));
    try (Socket socket = tcp(server.tcpAddress())) {
      long start = System.nanoTime();
      assertThat(closedByPeer(socket)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    }
    Await.until(() ->
        registry.get("dns.connections.idle.closed").tag("transport", "tcp").counter().count() == 1);
  }

  @Test
  void closesASlowLorisThatNeverFinishesItsMessage() throws Exception {
    start(new TcpLimits(Duration.ofMillis(300), 100, 20));
    byte[] message = framed(query("loris.members.example."));
    try (Socket socket = tcp(server.tcpAddress())) {
      OutputStream out = socket.getOutputStream();
      boolean refused = false;
      for (int i = 0; i < 20 && i < message.length - 1 && !refused; i++) {
        try {
          out.write(message[i]); // a byte per 100 ms: reads keep arriving, a message never does
          Thread.sleep(100);
        } catch (java.io.IOException e) {
          refused = true; // already closed and reset
        }
      }
      assertThat(refused || closedByPeer(socket)).isTrue();
    }
    assertThat(registry.get("dns.connections.idle.closed").counter().count()).isEqualTo(1);
  }

  @Test
  void refusesConnectionsPastThePerAddressLimit() throws Exception {
    start(new TcpLimits(Duration.ofSeconds(10), 100, 2));
    Socket a = tcp(server.tcpAddress());
    try (Socket b = tcp(server.tcpAddress())) {
      roundTrip(a);
      roundTrip(b);
      try (Socket c = tcp(server.tcpAddress())) {
        assertThat(closedByPeer(c)).isTrue();
      }
      assertThat(rejected("per_address")).isEqualTo(1);
      a.close();
      Await.until(() -> metrics.openConnections(Transport.TCP) == 1);
      try (Socket d = tcp(server.tcpAddress())) {
        roundTrip(d);
      }
    } finally {
      a.close();
    }
  }

  @Test
  void refusesConnectionsPastTheTotalLimit() throws Exception {
    start(new TcpLimits(Duration.ofSeconds(10), 1, 10));
    try (Socket a = tcp(server.tcpAddress())) {
      roundTrip(a);
      try (Socket b = tcp(server.tcpAddress())) {
        assertThat(closedByPeer(b)).isTrue();
      }
      assertThat(rejected("total")).isEqualTo(1);
    }
  }

  @Test
  void servesUdpAndTcpOnPortableNio() throws Exception {
    server = new DnsServer(ANY_PORT, ANY_PORT, 2, DEFAULT_LIMITS, tls, ECHO, metrics, IoFlavor.NIO);
    server.start();
    Message q = query("nio.members.example.");
    assertThat(udp(server.udpAddress(), q).getHeader().getID()).isEqualTo(q.getHeader().getID());
    try (Socket socket = tcp(server.tcpAddress())) {
      roundTrip(socket);
    }
  }

  @Test
  void stopReleasesThePortsAndIsIdempotent() throws Exception {
    start(DEFAULT_LIMITS);
    InetSocketAddress bound = server.udpAddress();
    Socket open = tcp(server.tcpAddress());
    server.stop();
    server.stop();
    assertThat(closedByPeer(open)).isTrue();
    open.close();

    server = new DnsServer(bound, ANY_PORT, 1, DEFAULT_LIMITS, tls, ECHO, metrics);
    server.start();
    assertThat(server.udpAddress()).isEqualTo(bound);
    Message q = query("again.members.example.");
    assertThat(udp(bound, q).getHeader().getID()).isEqualTo(q.getHeader().getID());
  }

  @Test
  void failsToStartWhenThePortIsTakenAndLeavesTheOtherServerServing() throws Exception {
    start(DEFAULT_LIMITS);
    InetSocketAddress taken = server.tcpAddress();
    DnsServer second = new DnsServer(taken, ANY_PORT, 2, DEFAULT_LIMITS, tls, ECHO, metrics);
    // TCP cannot share the port, so start fails before binding UDP (which SO_REUSEPORT could).
    assertThatThrownBy(second::start)
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining(taken.toString());
    second.stop();
    for (int i = 0; i < 10; i++) { // every datagram reaches the first server's sockets again
      Message q = query("taken" + i + ".members.example.");
      assertThat(udp(server.udpAddress(), q).getHeader().getID()).isEqualTo(q.getHeader().getID());
    }
  }

  @Test
  void servesUdpFromOneSocketPerEventLoopWithEpoll() throws Exception {
    start(DEFAULT_LIMITS);
    assertThat(server.udpSockets()).isEqualTo(IoFlavor.best().reusePort() ? 2 : 1);
    for (int i = 0; i < 20; i++) { // each client port hashes to one of the sockets: all answer
      Message q = query("spread" + i + ".members.example.");
      assertThat(udp(server.udpAddress(), q).getHeader().getID()).isEqualTo(q.getHeader().getID());
    }
  }

  private static void roundTrip(Socket socket) throws Exception {
    Message q = query("rt.members.example.");
    socket.getOutputStream().write(framed(q));
    assertThat(readFramed(socket.getInputStream()).getHeader().getID())
        .isEqualTo(q.getHeader().getID());
  }

  private double dropped(Transport transport, String reason) {
    return registry
        .get("dns.requests.dropped")
        .tag("transport", transport.tag())
        .tag("reason", reason)
        .counter()
        .count();
  }

  private double rejected(String limit) {
    return registry
        .get("dns.connections.rejected")
        .tag("transport", "tcp")
        .tag("limit", limit)
        .counter()
        .count();
  }
}
