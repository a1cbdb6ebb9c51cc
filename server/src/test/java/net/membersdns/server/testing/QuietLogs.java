package net.membersdns.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fuzz targets run a million requests a minute: the audit line of every UPDATE and the debug lines
 * of every refusal would cost more than the requests. Errors (a bug answered SERVFAIL) still show.
 */
public final class QuietLogs {
  private QuietLogs() {}

  public static void errorsOnly() {
    ((Logger) LoggerFactory.getLogger("net.membersdns")).setLevel(Level.ERROR); // audit too
  }
}
