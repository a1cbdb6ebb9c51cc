package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.Inet6Address;
import java.util.Set;

/**
 * Keeps exactly one {@code /128} route through the tunnel interface per peer ULA. The interface is
 * the tunnel's own, so a host route on it to no wanted peer is stale (a peer removed while the
 * agent was down) and goes; the route to our own address is the kernel's and stays.
 */
final class HostRoutes {
  private HostRoutes() {}

  /** How many routes were added and removed. */
  record Change(int added, int removed) {}

  /** Adds the missing routes to {@code want} and removes the stale ones; reads the table once. */
  static Change apply(Link link, Set<Inet6Address> want, Inet6Address own) throws IOException {
    Set<Inet6Address> have = link.hostRoutes();
    int added = 0;
    for (Inet6Address a : want) {
      if (!have.contains(a)) {
        link.replaceHostRoute(a);
        added++;
      }
    }
    int removed = 0;
    for (Inet6Address a : have) {
      if (!want.contains(a) && !a.equals(own)) {
        link.deleteHostRoute(a);
        removed++;
      }
    }
    return new Change(added, removed);
  }
}
