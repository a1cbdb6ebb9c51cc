package net.membersdns.server.feed;

import java.util.Arrays;
import net.membersdns.server.testing.Await;

/** Waits until change feeds LISTEN, so that commits made from then on reach them. */
final class Listening {
  private Listening() {}

  static void all(ChangeFeed... feeds) throws InterruptedException {
    Await.until(() -> Arrays.stream(feeds).allMatch(ChangeFeed::listening));
  }
}
