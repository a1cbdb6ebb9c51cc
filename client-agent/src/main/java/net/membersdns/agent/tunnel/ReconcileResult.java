package net.membersdns.agent.tunnel;

import java.util.List;

/**
 * What one {@link Tunnel#reconcile} did.
 *
 * @param added hosts added as peers
 * @param removed peers removed (host name when known, else the short public key)
 * @param changed one line per changed peer, e.g. {@code mbp-b: endpoint 198.18.2.2:51820 →
 *     192.168.2.2:51820}
 * @param deviceWrites configuration writes sent to the device: 0 when it already agreed, else 1
 * @param routesAdded {@code /128} routes added
 * @param routesRemoved {@code /128} routes removed
 */
public record ReconcileResult(
    List<String> added,
    List<String> removed,
    List<String> changed,
    int deviceWrites,
    int routesAdded,
    int routesRemoved) {
  public ReconcileResult {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** Whether nothing at all was written (the device and routes already matched). */
  public boolean unchanged() {
    return deviceWrites == 0 && routesAdded == 0 && routesRemoved == 0;
  }
}
