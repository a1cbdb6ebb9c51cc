package net.membersdns.loadtest;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Where the subscribed names live. With {@code members} 0, every name {@code h<j>} is in the one
 * zone {@code zone} (the first load test's shape: every update rebuilds that zone's index, linear
 * in its size). With {@code members} M, name {@code j} is {@code h<j>.m<j mod M>.<zone>} in the
 * member zone {@code m<j mod M>.<zone>}, so each member zone holds about {@code names / M} hosts,
 * as member zones do ({@code import} of a file with one record per member creates them; see
 * docs/benchmarks.md).
 */
record Layout(Name zone, int members) {
  Layout {
    if (members < 0) {
      throw new IllegalArgumentException("members " + members);
    }
  }

  /** The zone name {@code j} is in, the zone its updates go to. */
  Name zoneOf(int j) {
    return members == 0 ? zone : child("m" + (j % members), zone);
  }

  /** Subscribed name {@code j}. */
  Name name(int j) {
    return child("h" + j, zoneOf(j));
  }

  private static Name child(String label, Name parent) {
    try {
      return Name.concatenate(Name.fromString(label), parent);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
