package net.membersdns.agent.register;

import java.util.Comparator;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** An RRset's identity: owner name and type (RFC 2181 §5), ordered for stable UPDATEs. */
public record RRsetKey(Name name, int type) implements Comparable<RRsetKey> {
  private static final Comparator<RRsetKey> ORDER =
      Comparator.comparing(RRsetKey::name).thenComparingInt(RRsetKey::type);

  @Override
  public int compareTo(RRsetKey o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return name + " " + Type.string(type);
  }
}
