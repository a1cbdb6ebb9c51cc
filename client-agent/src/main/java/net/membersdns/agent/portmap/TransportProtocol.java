package net.membersdns.agent.portmap;

/**
 * The transport a mapping forwards, with its numbers in both protocols: the IANA protocol number
 * PCP carries (RFC 6887 §11.1) and the NAT-PMP opcode (RFC 6886 §3.3: 1 map UDP, 2 map TCP).
 */
public enum TransportProtocol {
  UDP(17, 1),
  TCP(6, 2);

  private final int ianaNumber;
  private final int natPmpOpcode;

  TransportProtocol(int ianaNumber, int natPmpOpcode) {
    this.ianaNumber = ianaNumber;
    this.natPmpOpcode = natPmpOpcode;
  }

  public int ianaNumber() {
    return ianaNumber;
  }

  public int natPmpOpcode() {
    return natPmpOpcode;
  }

  /** "UDP" / "TCP" for words, "udp" / "tcp" via {@link #id()} for data. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
