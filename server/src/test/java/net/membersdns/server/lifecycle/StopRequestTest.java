package net.membersdns.server.lifecycle;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StopRequestTest {
  @Test
  @Timeout(30)
  void aSecondStopSignalCutsTheDrainShort() throws InterruptedException {
    StopRequest stop = new StopRequest();
    stop.request();
    stop.awaitStop(); // returns: the first signal arrived
    stop.request();
    // Would wait an hour without the second signal; returns at once with it.
    stop.awaitDrain(Duration.ofHours(1));
  }
}
