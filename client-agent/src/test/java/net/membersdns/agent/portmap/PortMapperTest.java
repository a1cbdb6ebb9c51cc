package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.membersdns.agent.diagnosis.Diagnosis.Kind;
import net.membersdns.agent.netwatch.Ipv4;
import net.membersdns.agent.netwatch.NetworkChange;
import net.membersdns.agent.netwatch.NetworkState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's contract where no gateway is asked: listener calls, {@link PortMapper#current()},
 * and closing from inside the listener. Waits are on latches, never on time.
 */
class PortMapperTest {
  static final NetworkState PUBLIC =
      new NetworkState(
          Optional.of(Ipv4.parse("198.18.3.1")),
          Optional.empty(),
          Optional.of(Ipv4.parse("198.18.3.2")));

  @TempDir Path stateDir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void reportsEachNewFindingOnceAndKeepsCurrentInStep() throws Exception {
    List<MappingState> seen = new CopyOnWriteArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    PortMapper mapper =
        new PortMapper(
            stateDir,
            51820,
            Duration.ofHours(2),
            clock,
            s -> {
              seen.add(s);
              two.countDown();
            });
    assertThat(mapper.current().diagnosis().kind()).isEqualTo(Kind.UNKNOWN);
    mapper.update(NetworkState.none());
    mapper.update(NetworkState.none()); // the same again: not news
    mapper.networkChanged(
        new NetworkChange(
            NetworkState.none(), PUBLIC, NetworkChange.Trigger.NETLINK, "x", clock.instant()));
    assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mapper.current().diagnosis().kind()).isEqualTo(Kind.PUBLIC_ADDRESS);
    mapper.refresh(); // nothing to re-check with a public address
    mapper.update(PUBLIC);
    mapper.close(); // runs after every step queued before it
    assertThat(seen)
        .extracting(s -> s.diagnosis().kind())
        .containsExactly(Kind.NO_GATEWAY, Kind.PUBLIC_ADDRESS);
    assertThat(seen.get(1).localAddress()).contains(Ipv4.parse("198.18.3.2"));
    assertThat(seen.get(1).isMapped()).isFalse();
    assertThat(new MappingLedger(stateDir).read()).isEmpty();
  }

  @Test
  void closingFromTheListenerDoesNotWaitForItself() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    PortMapper[] holder = new PortMapper[1];
    holder[0] =
        new PortMapper(
            stateDir,
            51820,
            Duration.ofHours(2),
            clock,
            s -> {
              holder[0].close();
              closed.countDown();
            });
    holder[0].update(NetworkState.none());
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(holder[0].current().diagnosis().words()).isEqualTo("the port mapper stopped");
  }
}
