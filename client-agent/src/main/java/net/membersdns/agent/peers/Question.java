package net.membersdns.agent.peers;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** A question the agent asks or subscribes to (class IN). */
public record Question(Name name, int type) implements Comparable<Question> {
  @Override
  public int compareTo(Question o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Integer.compare(type, o.type);
  }

  @Override
  public String toString() {
    return name + " " + Type.string(type);
  }
}
