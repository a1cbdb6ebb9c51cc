package net.membersdns.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * While fuzzing, a target runs thousands of requests a second: the audit line of every UPDATE and
 * the debug lines of every refusal would cost more than the requests. Errors (a bug answered
 * SERVFAIL) still show. Only in a fuzzing JVM ({@code JAZZER_FUZZ} set, one target alone): in a
 * plain test run the levels are shared with the tests that read the audit lines.
 */
public final class QuietLogs {
  private QuietLogs() {}

  public static void errorsOnlyWhileFuzzing() {
    String fuzzing = System.getenv("JAZZER_FUZZ");
    if (fuzzing != null && !fuzzing.isEmpty() && !fuzzing.equals("0")) {
      ((Logger) LoggerFactory.getLogger("net.membersdns")).setLevel(Level.ERROR); // audit too
    }
  }
}
