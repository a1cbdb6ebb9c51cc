package net.membersdns.server.request;

/**
 * Where the answer to one request goes; implemented by each transport. Either method may be called
 * from any thread, exactly once per request. TCP and TLS requests get a {@link
 * ConnectionResponder}, which can also push LLQ events on the connection later.
 */
public interface Responder {
  /** Sends {@code wire} (a complete DNS message, no length prefix) to the requester. */
  void respond(byte[] wire);

  /** Sends nothing (garbage input, or a message that needs no answer). */
  void drop();
}
