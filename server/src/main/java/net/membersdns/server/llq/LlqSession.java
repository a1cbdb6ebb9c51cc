package net.membersdns.server.llq;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.request.ConnectionResponder;
import net.membersdns.server.request.DatagramSender;
import net.membersdns.server.request.Transport;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One LLQ: a client's subscription to one question (RFC 8764 §5). Identified by its LLQ-ID; later
 * messages must come from the same client IP address and carry the same question (RFC 8764 §5: the
 * source port may change behind a NAT).
 *
 * <p>Threads: the lifecycle fields (state, lease, delivery path) are guarded by this object's
 * monitor and changed by {@link LlqHandler} on event loops; the delivery fields ({@link #pending},
 * in-flight event, {@link #deliverable}) belong to the notifier's single thread; {@link #deleted}
 * is read anywhere.
 */
public final class LlqSession {
  private final long id;
  private final Record question;
  private final InetAddress client;
  private final InetSocketAddress setupFrom;
  private final TsigKey key;
  private final Transport transport;

  private LlqState state;
  private long leaseSeconds;
  private long expiresAtMillis;
  private InetSocketAddress eventAddress;
  private DatagramSender datagrams;
  private ConnectionResponder connection;
  private volatile boolean deleted;

  // ---- notifier thread only ----
  final PendingChanges pending = new PendingChanges();
  InFlight inFlight;
  boolean deliverable;

  /** Why this LLQ ends once its pending events are out (zone or key gone), or {@code null}. */
  String retired;

  /** An unacknowledged UDP event: its DNS ID, bytes and how often it went out. */
  static final class InFlight {
    final int dnsId;
    final byte[] wire;
    int transmissions;

    InFlight(int dnsId, byte[] wire) {
      this.dnsId = dnsId;
      this.wire = wire;
    }
  }

  LlqSession(
      long id,
      Record question,
      InetSocketAddress setupFrom,
      TsigKey key,
      Transport transport,
      LlqState state,
      long leaseSeconds,
      long expiresAtMillis) {
    this.id = id;
    this.question = Objects.requireNonNull(question, "question");
    this.setupFrom = Objects.requireNonNull(setupFrom, "setupFrom");
    this.client = setupFrom.getAddress();
    this.key = key;
    this.transport = Objects.requireNonNull(transport, "transport");
    this.state = state;
    this.leaseSeconds = leaseSeconds;
    this.expiresAtMillis = expiresAtMillis;
  }

  public long id() {
    return id;
  }

  /** The LLQ's question (owner, type, class); owner in the client's case. */
  public Record question() {
    return question;
  }

  public Name qname() {
    return question.getName();
  }

  public InetAddress client() {
    return client;
  }

  /** Address and port the setup request came from. */
  public InetSocketAddress setupFrom() {
    return setupFrom;
  }

  /** The TSIG key that set the LLQ up, or {@code null} for an unsigned one (public zone). */
  public TsigKey key() {
    return key;
  }

  /** The name of {@link #key()}, or {@code null}. */
  public Name keyName() {
    return key == null ? null : key.name();
  }

  public Transport transport() {
    return transport;
  }

  public synchronized LlqState state() {
    return state;
  }

  public synchronized long leaseSeconds() {
    return leaseSeconds;
  }

  public synchronized long expiresAtMillis() {
    return expiresAtMillis;
  }

  /** Seconds of lease left at {@code nowMillis}, rounded down, at least 0. */
  public synchronized long remainingSeconds(long nowMillis) {
    return Math.max(0, (expiresAtMillis - nowMillis) / 1000);
  }

  public boolean isDeleted() {
    return deleted;
  }

  /** Whether {@code r} belongs to this LLQ's answer: same owner and class, type or CNAME or ANY. */
  public boolean matches(Record r) {
    if (!r.getName().equals(question.getName()) || r.getDClass() != question.getDClass()) {
      return false;
    }
    int qtype = question.getType();
    return qtype == Type.ANY || r.getType() == qtype || r.getType() == Type.CNAME;
  }

  /** Whether a later message from {@code from} asking {@code q} may act on this LLQ. */
  public boolean sameClient(InetAddress from, Record q) {
    return client.equals(from)
        && q.getName().equals(question.getName())
        && q.getType() == question.getType()
        && q.getDClass() == question.getDClass();
  }

  /**
   * Moves to {@link LlqState#ESTABLISHED} with a fresh lease.
   *
   * @return whether this call made the transition (false if it was established or deleted already)
   */
  synchronized boolean establish(long lease, long expiresAt) {
    if (deleted) {
      return false;
    }
    boolean first = state != LlqState.ESTABLISHED;
    state = LlqState.ESTABLISHED;
    leaseSeconds = lease;
    expiresAtMillis = expiresAt;
    return first;
  }

  synchronized void refresh(long lease, long expiresAt) {
    leaseSeconds = lease;
    expiresAtMillis = expiresAt;
  }

  /**
   * UDP: where events go from now on (the latest verified source address and socket). Usually the
   * address the setup came from: then that object is kept, not a second copy of it (about 80 bytes
   * of heap per LLQ with its address holders: docs/benchmarks.md, 1 M LLQs).
   */
  synchronized void deliverByDatagram(DatagramSender sender, InetSocketAddress to) {
    datagrams = sender;
    eventAddress = to.equals(setupFrom) ? setupFrom : to;
  }

  /** TCP/TLS: the connection events are pushed on; returns the previous one. */
  synchronized ConnectionResponder deliverOnConnection(ConnectionResponder c) {
    ConnectionResponder old = connection;
    connection = c;
    return old;
  }

  synchronized DatagramSender datagrams() {
    return datagrams;
  }

  synchronized InetSocketAddress eventAddress() {
    return eventAddress;
  }

  synchronized ConnectionResponder connection() {
    return connection;
  }

  /**
   * Marks this LLQ gone.
   *
   * @return its state when deleted, or {@code null} if another caller deleted it first
   */
  synchronized LlqState markDeleted() {
    if (deleted) {
      return null;
    }
    deleted = true;
    return state;
  }

  @Override
  public String toString() {
    return "LLQ "
        + String.format("%016x", id)
        + " "
        + question.getName()
        + "/"
        + Type.string(question.getType())
        + " from "
        + client.getHostAddress()
        + " over "
        + transport.tag();
  }
}
