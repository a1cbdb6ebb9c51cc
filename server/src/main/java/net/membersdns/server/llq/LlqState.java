package net.membersdns.server.llq;

/** Where one LLQ stands in its life (RFC 8764 §5.1). */
public enum LlqState {
  /** UDP only: a challenge was sent with a fresh LLQ-ID; waiting for the challenge response. */
  CHALLENGE_SENT,
  /**
   * ACK + answers sent: changes are pushed as events until the lease runs out or it is cancelled.
   */
  ESTABLISHED
}
