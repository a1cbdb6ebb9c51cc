package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One gateway as the mapper talks to it, from one local address: map, renew, delete. {@link
 * PortMapClient} is the real one (UDP to port 5351); tests use fakes. Calls block for at most a few
 * seconds and never throw for what the network does: that is a {@link MapOutcome}.
 */
interface GatewayClient extends AutoCloseable {
  /** One mapping to ask for (or to delete: then only protocol, internal port and nonce count). */
  record Ask(
      TransportProtocol protocol,
      int internalPort,
      int suggestedExternalPort,
      Optional<Inet4Address> suggestedExternalAddress,
      Duration lifetime,
      PcpNonce nonce) {
    public Ask {
      Objects.requireNonNull(suggestedExternalAddress, "suggestedExternalAddress");
      Objects.requireNonNull(nonce, "nonce");
    }
  }

  /** Opens a client from a local address to a gateway (a socket for the real one). */
  @FunctionalInterface
  interface Factory {
    GatewayClient open(Inet4Address local, Inet4Address gateway) throws java.io.IOException;
  }

  Inet4Address gateway();

  Inet4Address local();

  /** The protocol the gateway answered in, {@link MappingProtocol#NONE} until it did. */
  MappingProtocol spoken();

  /** Creates or renews the mapping of {@code ask} (a renewal suggests what was granted before). */
  MapOutcome map(Ask ask);

  /** Deletes the mapping of {@code ask} that {@code protocol} created. */
  MapOutcome delete(MappingProtocol protocol, Ask ask);

  /** From any thread: ends the running request with {@link MapOutcome.Cancelled}, and all later. */
  void cancel();

  @Override
  void close();
}
