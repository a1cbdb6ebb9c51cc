package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A mapping the gateway granted and that has not expired, as the mapper holds it. */
record LiveMapping(
    MappingProtocol protocol,
    Inet4Address gateway,
    Inet4Address local,
    TransportProtocol transport,
    int internalPort,
    Inet4Address external,
    int externalPort,
    PcpNonce nonce,
    Duration lifetime,
    Instant expiry) {

  /** Its ledger line; the nonce only for PCP, where deleting it needs the nonce. */
  MappingLedger.Entry entry() {
    return new MappingLedger.Entry(
        gateway,
        local,
        protocol,
        transport,
        internalPort,
        externalPort,
        protocol == MappingProtocol.PCP ? Optional.of(nonce) : Optional.empty(),
        expiry);
  }

  /** The request that deletes it. */
  GatewayClient.Ask deletion() {
    return LeftoverMappings.deletion(transport, internalPort, nonce);
  }
}
