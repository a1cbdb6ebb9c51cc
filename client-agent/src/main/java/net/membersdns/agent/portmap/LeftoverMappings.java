package net.membersdns.agent.portmap;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import net.membersdns.agent.netwatch.NetworkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mappings that may still be live on some gateway although this agent no longer holds them: left by
 * a crashed run, or on a network the host left without a chance to delete them. They live in the
 * {@link MappingLedger} with the mapping held now, are released when the host is back on their
 * gateway with the same address, and forgotten once expired. Mapper thread only.
 */
final class LeftoverMappings {
  private static final Logger log = LoggerFactory.getLogger(LeftoverMappings.class);
  private final MappingLedger ledger;
  private final GatewayClient.Factory clients;
  private final Clock clock;
  private List<MappingLedger.Entry> entries;

  LeftoverMappings(MappingLedger ledger, GatewayClient.Factory clients, Clock clock) {
    this.ledger = ledger;
    this.clients = clients;
    this.clock = clock;
    this.entries = new ArrayList<>(ledger.read());
  }

  /** The request that deletes a mapping (RFC 6886 §3.4, RFC 6887 §15): lifetime and port 0. */
  static GatewayClient.Ask deletion(TransportProtocol transport, int internalPort, PcpNonce nonce) {
    return new GatewayClient.Ask(
        transport, internalPort, 0, Optional.empty(), Duration.ZERO, nonce);
  }

  /**
   * Deletes, through {@code client}, the leftovers on the network the host is on now; returns the
   * external port of one released, to ask for that port again.
   */
  OptionalInt releaseHere(GatewayClient client, NetworkState network) {
    MappingLedger.Recovery r = MappingLedger.recover(entries, network, clock.instant());
    entries = new ArrayList<>(r.keep());
    OptionalInt port = OptionalInt.empty();
    for (MappingLedger.Entry e : r.release()) {
      PcpNonce nonce = e.nonce().orElseGet(PcpNonce::random); // NAT-PMP ignores it
      MapOutcome o = client.delete(e.protocol(), deletion(e.transport(), e.internalPort(), nonce));
      if (o instanceof MapOutcome.Deleted) {
        log.info("portmap: released a mapping left on {}", e.gateway().getHostAddress());
        port = OptionalInt.of(e.externalPort());
      } else if (!(o instanceof MapOutcome.Refused)) {
        entries.add(e); // no answer: it may still be there; try again next time
      }
    }
    return port;
  }

  /**
   * The host left {@code old}'s network (now on {@code network}): deletes it if its gateway can
   * still be asked from its address, else keeps it until it expires.
   */
  void retire(LiveMapping old, NetworkState network) {
    // both protocols key a mapping on its internal address: only from there can it be deleted
    if (network.localAddress().equals(Optional.of(old.local()))) {
      try (GatewayClient c = clients.open(old.local(), old.gateway())) {
        if (c.delete(old.protocol(), old.deletion()) instanceof MapOutcome.Deleted) {
          return;
        }
      } catch (IOException e) {
        // kept below
      }
    }
    entries.add(old.entry());
  }

  /** Keeps {@code m} in the ledger until it expires (a deletion or renewal went unanswered). */
  void keep(LiveMapping m) {
    entries.add(m.entry());
  }

  /** Rewrites the ledger: the leftovers not yet expired and {@code live}. */
  void write(Optional<LiveMapping> live) {
    Instant now = clock.instant();
    entries.removeIf(e -> !e.expiry().isAfter(now));
    ledger.write(Stream.concat(entries.stream(), live.map(LiveMapping::entry).stream()).toList());
  }
}
