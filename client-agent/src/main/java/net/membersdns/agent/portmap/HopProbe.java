package net.membersdns.agent.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Finds the router two hops away towards a target ({@link SecondHop}). The real one runs iputils
 * {@code ping -n -c 1 -W 1 -t 2 TARGET}, which needs no privileges beyond what the agent has (root
 * or the ping group) and takes at most about a second.
 */
@FunctionalInterface
public interface HopProbe {
  /** Blocks for at most a few seconds; never throws: failures are {@link SecondHop.Silent}. */
  SecondHop secondHop(Inet4Address target);

  /** The probe by iputils ping. */
  static HopProbe ping() {
    return target -> {
      try {
        Process p =
            new ProcessBuilder(
                    "ping", "-n", "-c", "1", "-W", "1", "-t", "2", target.getHostAddress())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new SecondHop.Silent();
        }
        return SecondHop.parsePing(
            new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        return new SecondHop.Silent(); // no ping installed: no evidence either way
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new SecondHop.Silent();
      }
    };
  }
}
