package net.membersdns.agent.core;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The agent's voice: one line per event, in plain words, on standard output (the journal when run
 * by systemd), prefixed with the UTC time. What a person reading it should learn: what the agent
 * did, and why when it could not.
 */
public final class Say {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final PrintStream out;
  private final Clock clock;

  public Say(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Prints {@code line}. Thread-safe. */
  public void line(String line) {
    synchronized (out) {
      out.println(TIME.format(clock.instant()) + " " + line);
      out.flush();
    }
  }
}
