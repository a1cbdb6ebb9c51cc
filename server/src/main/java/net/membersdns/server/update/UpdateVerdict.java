package net.membersdns.server.update;

/** The result of one check of RFC 2136 §3: go on, or stop with a {@link Rejection}. */
public sealed interface UpdateVerdict permits UpdateVerdict.Accepted, Rejection {

  /** The check passed. */
  record Accepted() implements UpdateVerdict {}

  UpdateVerdict ACCEPTED = new Accepted();
}
