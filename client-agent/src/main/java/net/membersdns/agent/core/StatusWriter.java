package net.membersdns.agent.core;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.hostid.StateDir;
import net.membersdns.agent.loop.Scheduler;
import net.membersdns.agent.peers.PeerRecords;
import net.membersdns.agent.status.AgentStatus;
import net.membersdns.agent.status.StatusFile;
import net.membersdns.agent.tunnel.IpText;
import net.membersdns.agent.tunnel.PeerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Record;

/**
 * Writes what the agent believes to the status file, shortly after every change (changes in one
 * burst are written once) and at least every 30 s, so handshake ages and byte counts stay fresh.
 * Loop-confined.
 */
final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private static final Duration BURST = Duration.ofMillis(100);
  private static final Duration REFRESH = Duration.ofSeconds(30);

  private final Agent agent;
  private final StateDir dir;
  private final Scheduler loop;
  private Scheduler.Cancellable burst = Scheduler.Cancellable.NONE;
  private Scheduler.Cancellable periodic = Scheduler.Cancellable.NONE;
  private boolean burstPending;
  private boolean finalWritten;
  private Diagnosis serverProblem;
  private String lastError;
  private Instant lastErrorAt;

  StatusWriter(Agent agent, StateDir dir, Scheduler loop) {
    this.agent = agent;
    this.dir = dir;
    this.loop = loop;
  }

  /** Something changed: write soon. */
  void changed() {
    if (!burstPending && !finalWritten) {
      burstPending = true;
      burst = loop.schedule(BURST, () -> writeNow(false));
    }
  }

  /** A problem reaching the server (null once connected). */
  void serverProblem(Diagnosis d) {
    serverProblem = d;
    if (d != null) {
      error(d.words());
    }
  }

  /** Remembers {@code message} as the last error. */
  void error(String message) {
    lastError = message;
    lastErrorAt = loop.now();
  }

  void writeNow(boolean stopped) {
    if (finalWritten) {
      return; // the agent stopped: its last word stays
    }
    finalWritten = stopped;
    burst.cancel();
    periodic.cancel();
    burstPending = false;
    try {
      StatusFile.write(dir, build(stopped));
    } catch (IOException | RuntimeException e) {
      log.warn("status: cannot write {}: {}", dir.path().resolve(StatusFile.FILE), e.toString());
    }
    if (!stopped) {
      periodic = loop.schedule(REFRESH, () -> writeNow(false));
    }
  }

  private AgentStatus build(boolean stopped) {
    var cfg = agent.config();
    var net = agent.network();
    var reg = agent.registrar();
    var conn = agent.connector();
    var ep = conn.endpoint();
    List<AgentStatus.Finding> findings = new ArrayList<>();
    agent.mapping().ifPresent(m -> findings.add(finding(m.diagnosis())));
    if (serverProblem != null && conn.session().isEmpty()) {
      findings.add(finding(serverProblem));
    }
    findings.add(finding(reg.diagnosis()));
    if (reg.diagnosis().kind().problem()) {
      error(reg.diagnosis().words());
    }
    var mapping =
        agent
            .mapping()
            .map(m ->
                new AgentStatus.Mapping(
                    m.protocol().words(),
                    m.gateway().map(InetAddress::getHostAddress).orElse(""),
                    m.externalAddress().map(InetAddress::getHostAddress).orElse(""),
                    m.externalPort(),
                    m.internalPort(),
                    m.isMapped() ? m.expiry().orElse(null) : null,
                    m.epoch().orElse(-1)))
            .orElse(null);
    var peers = agent.peers();
    return new AgentStatus(
        ProcessHandle.current().pid(),
        loop.now(),
        stopped,
        cfg.host(),
        cfg.zone().toString(),
        IpText.address(agent.identity().ula()),
        new AgentStatus.Server(
            ep.map(e -> e.display()).orElse(null),
            ep.map(e -> e.tlsName()).orElse(cfg.tlsName().orElse(null)),
            ep.map(e -> e.how()).orElse(null),
            conn.session().isPresent()),
        new AgentStatus.Network(
            net.gateway().map(InetAddress::getHostAddress).orElse(""),
            net.interfaceName().orElse(""),
            net.localAddress().map(InetAddress::getHostAddress).orElse("")),
        mapping,
        new AgentStatus.Registration(
            reg.state(),
            reg.leaseExpiry().equals(Instant.MIN) ? null : reg.leaseExpiry(),
            reg.lastSuccess().orElse(null),
            reg.registered()
                .map(r -> r.records().stream().map(Record::toString).toList())
                .orElse(List.of())),
        findings,
        new AgentStatus.Peers(
            peers.mode().name().toLowerCase(java.util.Locale.ROOT),
            peers.llqEstablished(),
            peers.llqWanted(),
            peers.pollingReason().orElse(null),
            peerList(peers.peers(), agent.tunnel().status())),
        lastError,
        lastErrorAt);
  }

  private List<AgentStatus.Peer> peerList(Map<String, PeerRecords> known, List<PeerStatus> device) {
    List<AgentStatus.Peer> out = new ArrayList<>();
    for (PeerRecords p : known.values()) {
      var st = device.stream().filter(d -> d.host().equals(p.host())).findFirst();
      if (st.isPresent()) {
        var d = st.get();
        out.add(
            new AgentStatus.Peer(
                p.host(),
                IpText.address(p.ula()),
                d.endpoint().map(IpText::endpoint).orElse(null),
                d.endpointWhy(),
                d.path().words(),
                d.reason(),
                d.lastHandshake().map(age -> loop.now().minus(age)).orElse(null),
                d.rxBytes(),
                d.txBytes()));
      } else {
        String why =
            !agent.tunnel().enabled()
                ? "no tunnel on this host (--no-tunnel)"
                : p.tunnelKey().isEmpty()
                    ? p.host() + " publishes no tunnel key"
                    : "not configured on the interface yet";
        out.add(
            new AgentStatus.Peer(
                p.host(), IpText.address(p.ula()), null, why, "no path", why, null, 0, 0));
      }
    }
    return out;
  }

  private static AgentStatus.Finding finding(Diagnosis d) {
    return new AgentStatus.Finding(d.kind().id(), d.kind().problem(), d.words());
  }
}
