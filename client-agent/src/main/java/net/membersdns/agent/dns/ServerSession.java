package net.membersdns.agent.dns;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.xbill.DNS.Message;

/**
 * A signed conversation with the server over one DNS-over-TLS connection: requests go out signed
 * with the host key and come back with their signature checked ({@link RequestSigner}); the
 * server's unsolicited messages (LLQ events) go to a consumer. Thread-safe.
 */
public final class ServerSession implements DnsRequester, AutoCloseable {
  private final ServerEndpoint endpoint;
  private final DotConnection connection;
  private final RequestSigner signer;
  private final Duration timeout;
  private final SecureRandom random = new SecureRandom();

  private ServerSession(
      ServerEndpoint endpoint, DotConnection connection, RequestSigner signer, Duration timeout) {
    this.endpoint = endpoint;
    this.connection = connection;
    this.signer = signer;
    this.timeout = timeout;
  }

  /**
   * Connects and completes the TLS handshake (blocking).
   *
   * @param unsolicited gets messages that answer no request (on the reader thread)
   * @throws IOException when the server cannot be reached or TLS fails ({@link ServerFailure})
   */
  public static ServerSession open(
      ServerEndpoint endpoint,
      TlsSettings tls,
      RequestSigner signer,
      Duration timeout,
      Consumer<Received> unsolicited)
      throws IOException {
    var socket = tls.connect(endpoint.address(), endpoint.tlsName(), timeout);
    return new ServerSession(endpoint, new DotConnection(socket, unsolicited), signer, timeout);
  }

  public ServerEndpoint endpoint() {
    return endpoint;
  }

  public RequestSigner signer() {
    return signer;
  }

  /**
   * Signs and sends {@code request} under a fresh random DNS ID (RFC 5452 §9.2) and returns the
   * checked reply; fails when the connection ends or no reply comes within the timeout.
   */
  @Override
  public CompletableFuture<Reply> request(Message request) {
    int id;
    do {
      id = random.nextInt(0x10000);
    } while (connection.inFlight(id));
    request.getHeader().setID(id);
    RequestSigner.Signed signed = signer.sign(request);
    return connection
        .exchange(id, signed.wire(), timeout.toMillis())
        .thenApply(r -> new Reply(r, signer.check(r, signed)));
  }

  /** Completes with the cause (null for a clean close) when the connection is gone. */
  public CompletableFuture<Throwable> closed() {
    return connection.closed();
  }

  public boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public void close() {
    connection.close();
  }
}
