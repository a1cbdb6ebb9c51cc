package net.membersdns.server.request;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.xbill.DNS.Message;

/**
 * One request on its way to its one {@link Reply}: what arrived, how the dispatcher read it, and
 * where the reply goes. Handlers get an exchange and call {@link #reply} exactly once, on any
 * thread, now or later (an UPDATE is answered from the committer's thread after its commit); the
 * {@link Finisher} behind it is the single place where replies are rendered, signed, truncated,
 * sent and counted (the reply boundary, {@code pipeline.ReplyFinisher}). Later hardening (response
 * rate limiting, replay checks) belongs there too.
 *
 * <p>Immutable apart from whether it was answered; safe to hand between threads.
 */
public final class Exchange {
  /** Renders, signs, sends and counts a reply; thread-safe. */
  @FunctionalInterface
  public interface Finisher {
    /**
     * @return the bytes sent, or {@code null} when nothing was
     */
    byte[] finish(Exchange exchange, Reply reply);
  }

  private final DnsRequest request;
  private final Message message;
  private final Edns edns;
  private final RequestKind kind;
  private final Responder responder;
  private final Finisher finisher;
  private volatile boolean replied;

  private static final VarHandle REPLIED;

  static {
    try {
      REPLIED = MethodHandles.lookup().findVarHandle(Exchange.class, "replied", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * @param message the parsed request, or {@code null} when it could not be parsed
   * @param edns the request's EDNS ({@link Edns#of}), or absent when it could not be parsed
   */
  public Exchange(
      DnsRequest request,
      Message message,
      Edns edns,
      RequestKind kind,
      Responder responder,
      Finisher finisher) {
    this.request = Objects.requireNonNull(request, "request");
    this.message = message;
    this.edns = Objects.requireNonNull(edns, "edns");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.responder = Objects.requireNonNull(responder, "responder");
    this.finisher = Objects.requireNonNull(finisher, "finisher");
  }

  /**
   * Finishes the exchange with {@code reply}. Only the first call counts: a later one (a handler
   * that failed after answering, caught by the dispatcher) sends nothing.
   *
   * @return the bytes sent, or {@code null} when nothing was
   */
  public byte[] reply(Reply reply) {
    if (!REPLIED.compareAndSet(this, false, true)) {
      return null;
    }
    return finisher.finish(this, reply);
  }

  /** Whether {@link #reply} was called. */
  public boolean replied() {
    return replied;
  }

  public DnsRequest request() {
    return request;
  }

  /** The parsed request, or {@code null} for one that could not be parsed. */
  public Message message() {
    return message;
  }

  public Edns edns() {
    return edns;
  }

  public RequestKind kind() {
    return kind;
  }

  public Transport transport() {
    return request.transport();
  }

  /**
   * Where the reply goes; LLQ code keeps it (a {@link ConnectionResponder} or {@link
   * DatagramSender}) to push events later. Handlers answer through {@link #reply}, never through
   * it.
   */
  public Responder responder() {
    return responder;
  }
}
