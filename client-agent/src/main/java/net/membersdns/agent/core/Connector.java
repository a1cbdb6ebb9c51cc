package net.membersdns.agent.core;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.dns.Received;
import net.membersdns.agent.dns.RequestSigner;
import net.membersdns.agent.dns.ServerEndpoint;
import net.membersdns.agent.dns.ServerFailure;
import net.membersdns.agent.dns.ServerLocator;
import net.membersdns.agent.dns.ServerSession;
import net.membersdns.agent.dns.TlsSettings;
import net.membersdns.agent.loop.Scheduler;
import net.membersdns.agent.register.RegistrationSchedule;

/**
 * Keeps one DNS-over-TLS session to the server: finds it (each time: it may have moved), connects
 * on its own thread (never blocking the loop), hands the session to the loop, and when it ends
 * connects again — at once after a network change, else after 1 s, 3 s, 9 s ... up to 15 min. The
 * server's unsolicited messages are handed to the loop too.
 *
 * <p>Loop-confined except the connector thread's work.
 */
final class Connector {
  /** What the connector reports, on the loop. */
  interface Listener {
    void connected(ServerSession session);

    void disconnected(ServerSession session, Throwable cause);

    void connectFailed(Diagnosis why, Duration retryIn);

    void unsolicited(Received message);
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /**
   * How often a live session is checked with a query. A TCP connection can die without a word — a
   * NAT on the way rebooted or flushed its table, and the server's pushes now end there — and the
   * host would wait for LLQ events that never come (TCP's own keepalive starts after two hours).
   */
  static final Duration PROBE = Duration.ofSeconds(30);

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Connector.class);

  private final org.xbill.DNS.Name zone;
  private final ServerLocator locator;
  private final TlsSettings tls;
  private final RequestSigner signer;
  private final Scheduler loop;
  private final Listener listener;

  /**
   * Each attempt on a thread of its own: an attempt stuck on the old path after a move (up to the
   * connect timeout) must not hold up the one on the new path.
   */
  private final java.util.concurrent.ThreadFactory threads =
      Thread.ofVirtual().name("agent-connect-", 0).factory();

  private ServerSession session;
  private boolean connecting;
  private boolean stopped;
  private int failures;
  private long attempt;
  private Scheduler.Cancellable retry = Scheduler.Cancellable.NONE;
  private Scheduler.Cancellable probe = Scheduler.Cancellable.NONE;
  private volatile ServerEndpoint lastEndpoint; // read by the port mapper thread (probe target)

  Connector(
      org.xbill.DNS.Name zone,
      ServerLocator locator,
      TlsSettings tls,
      RequestSigner signer,
      Scheduler loop,
      Listener listener) {
    this.zone = zone;
    this.locator = locator;
    this.tls = tls;
    this.signer = signer;
    this.loop = loop;
    this.listener = listener;
  }

  Optional<ServerSession> session() {
    return Optional.ofNullable(session).filter(ServerSession::isOpen);
  }

  Optional<ServerEndpoint> endpoint() {
    return Optional.ofNullable(lastEndpoint);
  }

  /** Connects unless connected or already connecting. */
  void ensure() {
    if (stopped || connecting || session().isPresent()) {
      return;
    }
    retry.cancel();
    connecting = true;
    long mine = ++attempt;
    threads
        .newThread(() -> {
          ServerEndpoint endpoint = null;
          try {
            endpoint = locator.locate();
            ServerEndpoint ep = endpoint;
            ServerSession s =
                ServerSession.open(
                    ep, tls, signer, TIMEOUT, m -> loop.execute(() -> unsolicited(mine, m)));
            loop.execute(() -> opened(mine, ep, s));
          } catch (IOException | RuntimeException e) {
            String where = endpoint != null ? endpoint.display() : locator.describe();
            String name = endpoint != null ? endpoint.tlsName() : "";
            Diagnosis d = ServerFailure.of(e, where, name);
            ServerEndpoint ep = endpoint;
            loop.execute(() -> failed(mine, ep, d));
          }
        })
        .start();
  }

  /**
   * The network changed: the session's path is likely gone (its source address may not exist any
   * more), so drop it and connect again at once, without waiting out a backoff.
   */
  void reconnectNow() {
    failures = 0;
    retry.cancel();
    if (session != null) {
      ServerSession s = session;
      session = null;
      s.close();
      listener.disconnected(s, new IOException("the network changed"));
    }
    if (connecting) {
      attempt++; // the connect in progress may be on the old path: its result is dropped
      connecting = false;
    }
    ensure();
  }

  void stop() {
    stopped = true;
    retry.cancel();
    if (session != null) {
      session.close();
    }
  }

  private void opened(long mine, ServerEndpoint ep, ServerSession s) {
    if (mine != attempt || stopped) {
      s.close();
      return;
    }
    connecting = false;
    failures = 0;
    lastEndpoint = ep;
    session = s;
    s.closed().whenCompleteAsync((cause, e) -> ended(s, cause), loop);
    scheduleProbe(s);
    listener.connected(s);
  }

  /** Asks for the zone's SOA every {@link #PROBE}; no answer in time ends the session. */
  private void scheduleProbe(ServerSession s) {
    probe.cancel();
    probe =
        loop.schedule(
            PROBE,
            () -> {
              if (s != session) {
                return;
              }
              s.request(
                      org.xbill.DNS.Message.newQuery(
                          org.xbill.DNS.Record.newRecord(
                              zone, org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN)))
                  .whenCompleteAsync(
                      (reply, error) -> {
                        if (s != session) {
                          return;
                        }
                        if (error != null) {
                          log.info(
                              "connector: the session did not answer a check: {}",
                              error.toString());
                          s.close(); // ended() reconnects
                        } else {
                          scheduleProbe(s);
                        }
                      },
                      loop);
            });
  }

  private void failed(long mine, ServerEndpoint ep, Diagnosis why) {
    if (mine != attempt || stopped) {
      return;
    }
    connecting = false;
    if (ep != null) {
      lastEndpoint = ep;
    }
    failures++;
    Duration wait = RegistrationSchedule.backoff(failures);
    retry = loop.schedule(wait, this::ensure);
    listener.connectFailed(why, wait);
  }

  private void ended(ServerSession s, Throwable cause) {
    if (s != session) {
      return; // already replaced
    }
    probe.cancel();
    session = null;
    listener.disconnected(s, cause);
    if (!stopped) {
      retry = loop.schedule(Duration.ofSeconds(1), this::ensure);
    }
  }

  private void unsolicited(long mine, Received m) {
    if (mine == attempt) {
      listener.unsolicited(m);
    }
  }
}
