package net.membersdns.agent.status;

import java.time.Instant;
import java.util.List;

/**
 * What the running agent believes, as the state file holds it ({@link StatusFile}) and {@code
 * membersdns-agent status} shows it. Deadlines are absolute instants, never "seconds left", so the
 * reader computes what is left at the moment it reads and a stale file cannot lie about it.
 *
 * @param pid the agent's process id (the reader checks it still runs)
 * @param updated when this was written
 * @param stopped true once the agent has shut down cleanly
 */
public record AgentStatus(
    long pid,
    Instant updated,
    boolean stopped,
    String host,
    String zone,
    String ula,
    Server server,
    Network network,
    Mapping mapping,
    Registration registration,
    List<Finding> diagnosis,
    Peers peers,
    String lastError,
    Instant lastErrorAt) {

  /** The DNS server. {@code how}: how it was found. */
  public record Server(String endpoint, String tlsName, String how, boolean connected) {}

  /** The default route. Empty strings when unknown. */
  public record Network(String gateway, String interfaceName, String localAddress) {}

  /**
   * The port mapping. {@code protocol}: PCP, NAT-PMP or none; {@code expires} null when none.
   *
   * @param epoch the gateway's epoch (seconds since its start) at the last answer
   */
  public record Mapping(
      String protocol,
      String gateway,
      String externalAddress,
      int externalPort,
      int internalPort,
      Instant expires,
      long epoch) {}

  /**
   * The registration. {@code state}: registered, registering, failing, withdrawn, not yet.
   *
   * @param records the registered records in presentation form
   */
  public record Registration(
      String state, Instant leaseExpires, Instant lastSuccess, List<String> records) {}

  /** One diagnosis ({@link net.membersdns.agent.diagnosis.Diagnosis}). */
  public record Finding(String kind, boolean problem, String words) {}

  /**
   * The peer watch and the tunnel peers.
   *
   * @param mode llq, polling or disconnected
   */
  public record Peers(
      String mode, int llqEstablished, int llqWanted, String pollingReason, List<Peer> list) {}

  /**
   * One other host of the member.
   *
   * @param endpoint where the tunnel sends to it (null: nowhere yet)
   * @param why why that endpoint (or none), in plain words
   * @param path "direct" or "no path"
   * @param pathReason the path in plain words ("handshake 12 s ago", or why there is none)
   * @param lastHandshake null before the first one
   */
  public record Peer(
      String host,
      String ula,
      String endpoint,
      String why,
      String path,
      String pathReason,
      Instant lastHandshake,
      long rxBytes,
      long txBytes) {}
}
