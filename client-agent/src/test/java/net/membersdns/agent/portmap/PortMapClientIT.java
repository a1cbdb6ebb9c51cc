package net.membersdns.agent.portmap;

import static net.membersdns.agent.portmap.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;

/**
 * {@link PortMapClient} over real UDP on loopback against scripted gateways: protocol negotiation,
 * retransmission, matching, and what it does with garbage, silence and a closed port.
 */
class PortMapClientIT {
  static final Inet4Address LOOPBACK = Ipv4.parse("127.0.0.1");
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final PortMapMetrics metrics = new PortMapMetrics(Optional.of(registry), () -> 0.0);
  final GatewayClient.Ask ask =
      new GatewayClient.Ask(
          TransportProtocol.UDP,
          51820,
          51820,
          Optional.empty(),
          Duration.ofHours(2),
          PcpNonce.random());

  /** A PCP server granting what is asked, external 198.18.1.2, epoch 7. */
  static List<byte[]> pcpServer(byte[] request) {
    if (request[0] != Pcp.VERSION) {
      return List.of();
    }
    byte[] answer = Arrays.copyOf(request, request.length);
    answer[1] |= (byte) 0x80;
    ByteBuffer b = ByteBuffer.wrap(answer);
    b.putInt(8, 7); // epoch over the client address field
    for (int i = 12; i < 24; i++) {
      answer[i] = 0;
    }
    System.arraycopy(bytes("00000000000000000000ffffc6120102"), 0, answer, 44, 16);
    return List.of(answer);
  }

  /** A NAT-PMP-only gateway: PCP gets "unsupported version" in NAT-PMP's shape. */
  static List<byte[]> natPmpServer(byte[] request, boolean answerPcp) {
    if (request[0] == Pcp.VERSION) {
      return answerPcp ? List.of(bytes("0081 0001 00000007")) : List.of();
    }
    if (request[1] == 0) {
      return List.of(bytes("0080 0000 00000007 c6120102"));
    }
    ByteBuffer in = ByteBuffer.wrap(request);
    int internal = in.getShort(4) & 0xffff;
    int suggested = in.getShort(6) & 0xffff;
    long lifetime = Integer.toUnsignedLong(in.getInt(8));
    ByteBuffer out = ByteBuffer.allocate(16);
    out.put((byte) 0).put((byte) (128 + request[1])).putShort((short) 0).putInt(7);
    out.putShort((short) internal).putShort((short) (lifetime == 0 ? 0 : suggested));
    out.putInt((int) lifetime);
    return List.of(out.array());
  }

  @Test
  void aPcpGatewayGrantsThroughPcp() throws Exception {
    try (ScriptedGateway gw = new ScriptedGateway(PortMapClientIT::pcpServer);
        PortMapClient c = new PortMapClient(LOOPBACK, LOOPBACK, gw.port(), metrics)) {
      MapOutcome o = c.map(ask);
      assertThat(o)
          .isEqualTo(
              new MapOutcome.Granted(
                  MappingProtocol.PCP, Ipv4.parse("198.18.1.2"), 51820, Duration.ofHours(2), 7));
      assertThat(c.spoken()).isEqualTo(MappingProtocol.PCP);
      assertThat(c.delete(MappingProtocol.PCP, ask)).isInstanceOf(MapOutcome.Deleted.class);
      assertThat(gw.count(0)).isZero();
      assertThat(requests("pcp", "map", "success")).isEqualTo(1);
    }
  }

  @Test
  void aNatPmpGatewaySayingUnsupportedVersionIsAskedInNatPmp() throws Exception {
    try (ScriptedGateway gw = new ScriptedGateway(r -> natPmpServer(r, true));
        PortMapClient c = new PortMapClient(LOOPBACK, LOOPBACK, gw.port(), metrics)) {
      MapOutcome o = c.map(ask);
      assertThat(o)
          .isEqualTo(
              new MapOutcome.Granted(
                  MappingProtocol.NAT_PMP,
                  Ipv4.parse("198.18.1.2"),
                  51820,
                  Duration.ofHours(2),
                  7));
      assertThat(c.spoken()).isEqualTo(MappingProtocol.NAT_PMP);
      c.map(ask); // known now: NAT-PMP straight away
      assertThat(gw.count(Pcp.VERSION)).isEqualTo(1);
      assertThat(gw.count(NatPmp.VERSION)).isEqualTo(4); // map + address, twice
      assertThat(c.delete(MappingProtocol.NAT_PMP, ask)).isInstanceOf(MapOutcome.Deleted.class);
    }
  }

  @Test
  void aNatPmpGatewayIgnoringPcpIsAskedInNatPmpAfterThreeTries() throws Exception {
    try (ScriptedGateway gw = new ScriptedGateway(r -> natPmpServer(r, false));
        PortMapClient c = new PortMapClient(LOOPBACK, LOOPBACK, gw.port(), metrics)) {
      long t0 = System.nanoTime();
      assertThat(c.map(ask)).isInstanceOf(MapOutcome.Granted.class);
      assertThat(c.spoken()).isEqualTo(MappingProtocol.NAT_PMP);
      assertThat(gw.count(Pcp.VERSION)).isEqualTo(3); // 250 + 500 + 1000 ms
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1700));
      assertThat(requests("pcp", "map", "timeout")).isEqualTo(1);
    }
  }

  @Test
  void garbageAndAnotherNoncesAnswerAreDroppedAndTheRightAnswerTaken() throws Exception {
    try (ScriptedGateway gw =
            new ScriptedGateway(r -> {
              byte[] good = pcpServer(r).get(0);
              byte[] otherNonce = good.clone();
              otherNonce[24] ^= 1;
              return List.of(bytes("deadbeef"), Arrays.copyOf(good, 40), otherNonce, good);
            });
        PortMapClient c = new PortMapClient(LOOPBACK, LOOPBACK, gw.port(), metrics)) {
      assertThat(c.map(ask)).isInstanceOf(MapOutcome.Granted.class);
      assertThat(gw.requests).hasSize(1);
      assertThat(registry.get("agent.portmap.ignored").tag("reason", "unmatched").counter().count())
          .isEqualTo(3);
    }
  }

  @Test
  void silenceIsNoAnswerAfterAboutFourSeconds() throws Exception {
    try (ScriptedGateway gw = new ScriptedGateway(r -> List.of());
        PortMapClient c = new PortMapClient(LOOPBACK, LOOPBACK, gw.port(), metrics)) {
      long t0 = System.nanoTime();
      assertThat(c.map(ask)).isEqualTo(new MapOutcome.NoAnswer("PCP and NAT-PMP"));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).isBetween(Duration.ofMillis(3400), Duration.ofSeconds(8));
      assertThat(gw.count(Pcp.VERSION)).isEqualTo(3);
      assertThat(gw.count(NatPmp.VERSION)).isEqualTo(3);
      assertThat(c.spoken()).isEqualTo(MappingProtocol.NONE);
    }
  }

  @Test
  void aClosedPortIsUnreachableAtOnce() throws Exception {
    int closed;
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      closed = s.getLocalPort();
    }
    try (PortMapClient c = new PortMapClient(LOOPBACK, LOOPBACK, closed, metrics)) {
      long t0 = System.nanoTime();
      assertThat(c.map(ask)).isInstanceOf(MapOutcome.Unreachable.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void cancelEndsARequestInFlight() throws Exception {
    try (ScriptedGateway gw = new ScriptedGateway(r -> List.of());
        PortMapClient c = new PortMapClient(LOOPBACK, LOOPBACK, gw.port(), metrics)) {
      Thread.ofPlatform()
          .start(() -> {
            try {
              while (gw.requests.isEmpty()) {
                Thread.sleep(5);
              }
            } catch (InterruptedException e) {
              return;
            }
            c.cancel();
          });
      long t0 = System.nanoTime();
      assertThat(c.map(ask)).isInstanceOf(MapOutcome.Cancelled.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }
  }

  private double requests(String protocol, String op, String result) {
    return registry
        .get("agent.portmap.requests")
        .tags("protocol", protocol, "op", op, "result", result)
        .counter()
        .count();
  }
}
