package net.membersdns.server.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Takes SIGTERM and SIGINT (stop: drain, then exit 0) and SIGHUP (reload the TLS certificate and
 * key, as certbot's deploy hook or {@code systemctl reload} send it) away from the JVM, whose own
 * handling runs the shutdown hooks at once and exits 143, and would stop the server on SIGHUP.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a
 * signal; the JVM runs each handler on a thread of its own, so handlers only hand over.
 */
public final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Installs the handlers; where the JVM refuses one (e.g. under {@code -Xrs}), logs why. */
  public static void install(Runnable stop, Runnable reload) {
    handle("TERM", stop);
    handle("INT", stop);
    handle("HUP", reload);
  }

  private static void handle(String name, Runnable action) {
    try {
      Signal.handle(
          new Signal(name),
          signal -> {
            log.info("lifecycle: SIG{} received", name);
            action.run();
          });
    } catch (IllegalArgumentException e) {
      log.warn("lifecycle: cannot handle SIG{}: {}", name, e.getMessage());
    }
  }
}
