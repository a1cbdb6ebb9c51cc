package net.membersdns.agent.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Asks one gateway for mappings, from one local address: PCP first (RFC 6887), NAT-PMP (RFC 6886)
 * when the gateway answers UNSUPP_VERSION or in NAT-PMP's shape, or does not answer PCP at all; the
 * protocol that answered is then used alone. Requests are serialised (RFC 6886 §3.1) and only
 * answers from the gateway that match the request are taken: same opcode and internal port, and for
 * PCP the same nonce (RFC 6887 §11.3).
 *
 * <p>Retransmission: 250 ms, doubling (RFC 6886 §3.1). RFC 6886 allows nine tries (over two
 * minutes); this client gives up after about 4 s: 250 + 500 + 1000 + 2000 ms with a protocol the
 * gateway is known to speak, 250 + 500 + 1000 ms for each protocol while probing. A gateway on the
 * LAN answers in milliseconds, so four silent tries mean it does not speak the protocol; the
 * caller's retry ladder ({@link RenewalSchedule}) keeps asking later, and meanwhile the user sees a
 * diagnosis within seconds instead of minutes. Deletions try twice (250 + 500 ms): the RFC only
 * asks that they be sent, and shutting down must not hang.
 *
 * <p>Threads: one caller thread at a time; {@link #cancel()} from any thread.
 */
final class PortMapClient implements GatewayClient {
  static final int SERVER_PORT = 5351;
  static final List<Duration> KNOWN =
      List.of(
          Duration.ofMillis(250),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2));
  static final List<Duration> PROBING =
      List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
  static final List<Duration> DELETION = List.of(Duration.ofMillis(250), Duration.ofMillis(500));

  private final Inet4Address local;
  private final Inet4Address gateway;
  private final PortMapMetrics metrics;
  private final UdpExchange udp;
  private MappingProtocol spoken = MappingProtocol.NONE;

  PortMapClient(Inet4Address local, Inet4Address gateway, int serverPort, PortMapMetrics metrics)
      throws IOException {
    this.local = local;
    this.gateway = gateway;
    this.metrics = metrics;
    this.udp = new UdpExchange(local, new InetSocketAddress(gateway, serverPort), metrics::ignored);
  }

  @Override
  public Inet4Address gateway() {
    return gateway;
  }

  @Override
  public Inet4Address local() {
    return local;
  }

  @Override
  public MappingProtocol spoken() {
    return spoken;
  }

  int localPort() {
    return udp.localPort();
  }

  @Override
  public void cancel() {
    udp.cancel();
  }

  @Override
  public MapOutcome map(Ask ask) {
    switch (spoken) {
      case PCP -> {
        return pcp(ask, KNOWN, false);
      }
      case NAT_PMP -> {
        return natPmp(ask, KNOWN, false);
      }
      default -> {
        MapOutcome viaPcp = pcp(ask, PROBING, false);
        boolean unsupported =
            viaPcp instanceof MapOutcome.Refused r && r.resultCode() == Pcp.UNSUPP_VERSION;
        if (!unsupported && !(viaPcp instanceof MapOutcome.NoAnswer)) {
          if (answered(viaPcp)) {
            spoken = MappingProtocol.PCP;
          }
          return viaPcp;
        }
        MapOutcome viaNatPmp = natPmp(ask, unsupported ? KNOWN : PROBING, false);
        if (answered(viaNatPmp)) {
          spoken = MappingProtocol.NAT_PMP;
        }
        return viaNatPmp instanceof MapOutcome.NoAnswer
            ? new MapOutcome.NoAnswer("PCP and NAT-PMP")
            : viaNatPmp;
      }
    }
  }

  /** Deletes the mapping of {@code ask} that {@code protocol} created (RFC 6886 §3.4, 6887 §15). */
  @Override
  public MapOutcome delete(MappingProtocol protocol, Ask ask) {
    return protocol == MappingProtocol.PCP ? pcp(ask, DELETION, true) : natPmp(ask, DELETION, true);
  }

  private static boolean answered(MapOutcome o) {
    return o instanceof MapOutcome.Granted
        || o instanceof MapOutcome.Refused
        || o instanceof MapOutcome.Deleted;
  }

  private MapOutcome pcp(Ask ask, List<Duration> timeouts, boolean deletion) {
    Pcp.MapRequest request =
        new Pcp.MapRequest(
            ask.nonce(),
            ask.protocol(),
            ask.internalPort(),
            ask.suggestedExternalPort(),
            ask.suggestedExternalAddress(),
            ask.lifetime().toSeconds(),
            local);
    return exchange(
        MappingProtocol.PCP,
        deletion ? "delete" : "map",
        Pcp.mapRequest(deletion ? request.deletion() : request),
        timeouts,
        b -> PcpMatch.accept(Pcp.parse(b, b.length), ask),
        reply -> PcpMatch.outcome(reply, deletion));
  }

  private MapOutcome natPmp(Ask ask, List<Duration> timeouts, boolean deletion) {
    byte[] wire =
        deletion
            ? NatPmp.deleteRequest(ask.protocol(), ask.internalPort())
            : NatPmp.mapRequest(
                ask.protocol(),
                ask.internalPort(),
                ask.suggestedExternalPort(),
                ask.lifetime().toSeconds());
    MapOutcome outcome =
        exchange(
            MappingProtocol.NAT_PMP,
            deletion ? "delete" : "map",
            wire,
            timeouts,
            b -> NatPmpMatch.acceptMap(NatPmp.parse(b, b.length), ask),
            reply -> NatPmpMatch.outcome(reply, deletion));
    if (outcome instanceof MapOutcome.Granted granted) {
      return withExternalAddress(granted, ask);
    }
    return outcome;
  }

  /**
   * NAT-PMP's mapping response lacks the external address: ask for it (RFC 6886 §3.2). Without a
   * usable answer the fresh mapping is useless, so it is deleted again rather than leaked.
   */
  private MapOutcome withExternalAddress(MapOutcome.Granted granted, Ask ask) {
    MapOutcome outcome =
        exchange(
            MappingProtocol.NAT_PMP,
            "address",
            NatPmp.externalAddressRequest(),
            PROBING,
            b -> NatPmpMatch.acceptAddress(NatPmp.parse(b, b.length)),
            reply -> NatPmpMatch.address(reply, granted));
    if (!(outcome instanceof MapOutcome.Granted)) {
      natPmp(ask, DELETION.subList(0, 1), true);
    }
    return outcome;
  }

  /** One request exchange: send, match, interpret, count. */
  private <R> MapOutcome exchange(
      MappingProtocol protocol,
      String op,
      byte[] wire,
      List<Duration> timeouts,
      Function<byte[], Optional<R>> accept,
      Function<R, MapOutcome> meaning) {
    UdpExchange.Result<R> r = udp.exchange(wire, timeouts, accept);
    MapOutcome outcome =
        r instanceof UdpExchange.Answered<R> a
            ? meaning.apply(a.reply())
            : unanswered(r, protocol.words());
    count(protocol, op, outcome);
    return outcome;
  }

  private static <R> MapOutcome unanswered(UdpExchange.Result<R> r, String protocol) {
    return switch (r) {
      case UdpExchange.Failed<R> f -> new MapOutcome.Unreachable(f.why());
      case UdpExchange.Cancelled<R> c -> new MapOutcome.Cancelled();
      default -> new MapOutcome.NoAnswer(protocol);
    };
  }

  private void count(MappingProtocol protocol, String op, MapOutcome outcome) {
    String result =
        switch (outcome) {
          case MapOutcome.Granted g -> "success";
          case MapOutcome.Deleted d -> "success";
          case MapOutcome.Refused f -> f.resultName();
          case MapOutcome.NoAnswer n -> "timeout";
          case MapOutcome.Unreachable u -> "unreachable";
          case MapOutcome.Cancelled c -> "cancelled";
        };
    metrics.request(protocol, op, result);
  }

  @Override
  public void close() {
    udp.close();
  }
}
