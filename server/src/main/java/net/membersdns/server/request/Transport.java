package net.membersdns.server.request;

/** How a request reached us; decides framing, truncation and metric tags. */
public enum Transport {
  UDP,
  TCP,
  TLS;

  /** Lower-case name used as the {@code transport} metric tag. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether responses are limited by the client's UDP payload size (RFC 6891 §6.2.5). */
  public boolean datagram() {
    return this == UDP;
  }
}
