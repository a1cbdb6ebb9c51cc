package net.membersdns.agent.tunnel;

import java.net.Inet6Address;
import java.util.HashSet;
import java.util.Set;

/** An in-memory {@link Link} that counts what it was asked to change. */
final class FakeLink implements Link {
  final Set<Inet6Address> addresses = new HashSet<>();
  final Set<Inet6Address> routes = new HashSet<>();
  boolean up;
  int writes;

  @Override
  public String name() {
    return "wgtfake";
  }

  @Override
  public boolean hasAddress(Inet6Address address) {
    return addresses.contains(address);
  }

  @Override
  public void addAddress(Inet6Address address) {
    writes++;
    addresses.add(address);
  }

  @Override
  public void removeAddress(Inet6Address address) {
    writes++;
    addresses.remove(address);
  }

  @Override
  public void up() {
    up = true;
  }

  @Override
  public Set<Inet6Address> hostRoutes() {
    return new HashSet<>(routes);
  }

  @Override
  public void replaceHostRoute(Inet6Address destination) {
    writes++;
    routes.add(destination);
  }

  @Override
  public void deleteHostRoute(Inet6Address destination) {
    writes++;
    routes.remove(destination);
  }
}
