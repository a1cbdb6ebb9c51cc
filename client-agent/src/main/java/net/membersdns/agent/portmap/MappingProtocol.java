package net.membersdns.agent.portmap;

/** Which protocol holds a mapping; {@link #NONE} when there is no mapping. */
public enum MappingProtocol {
  /** RFC 6887. */
  PCP("pcp", "PCP"),
  /** RFC 6886. */
  NAT_PMP("nat-pmp", "NAT-PMP"),
  NONE("none", "none");

  private final String id;
  private final String words;

  MappingProtocol(String id, String words) {
    this.id = id;
    this.words = words;
  }

  /** The stable spelling for JSON, the ledger and metric tags. */
  public String id() {
    return id;
  }

  /** The usual spelling for people. */
  public String words() {
    return words;
  }
}
