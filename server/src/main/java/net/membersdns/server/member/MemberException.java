package net.membersdns.server.member;

/** A request the members table cannot satisfy (duplicate, unknown member); message is readable. */
public class MemberException extends RuntimeException {
  public MemberException(String message) {
    super(message);
  }
}
