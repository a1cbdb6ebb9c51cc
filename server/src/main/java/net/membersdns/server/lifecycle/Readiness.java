package net.membersdns.server.lifecycle;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether this process should get traffic ({@code /ready}, the Kubernetes readiness probe, the
 * container health check): started, not draining, and every dependency check passing (the change
 * feed following the database). Ready turns false the moment a drain starts, so load balancers stop
 * sending new clients while the drain period still answers the old ones.
 *
 * <p>Thread-safe and cheap: read on every {@code /ready} request.
 */
public final class Readiness implements BooleanSupplier {
  private final List<BooleanSupplier> checks;
  private volatile boolean started;
  private volatile boolean draining;

  /**
   * @param checks dependencies that must hold while ready; each cheap and thread-safe
   */
  public Readiness(List<BooleanSupplier> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Everything is up: ready from now on while the checks pass. */
  public void started() {
    started = true;
  }

  /** A stop began: never ready again. */
  public void draining() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }

  @Override
  public boolean getAsBoolean() {
    if (!started || draining) {
      return false;
    }
    for (BooleanSupplier c : checks) {
      if (!c.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }
}
