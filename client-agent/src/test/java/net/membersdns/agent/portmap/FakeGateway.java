package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A gateway client that answers from a script: queued outcomes for map requests (a grant of the
 * suggested port when the queue is empty) and for deletions (deleted when empty); it records every
 * request.
 */
final class FakeGateway implements GatewayClient {
  final Inet4Address gateway;
  final Inet4Address local;
  final Inet4Address external;
  final Deque<MapOutcome> mapAnswers = new ArrayDeque<>();
  final Deque<MapOutcome> deleteAnswers = new ArrayDeque<>();
  final List<Ask> maps = new ArrayList<>();
  final List<Ask> deletes = new ArrayList<>();
  long epoch = 100;
  boolean closed;
  private MappingProtocol spoken = MappingProtocol.NONE;

  FakeGateway(Inet4Address gateway, Inet4Address local, Inet4Address external) {
    this.gateway = gateway;
    this.local = local;
    this.external = external;
  }

  @Override
  public Inet4Address gateway() {
    return gateway;
  }

  @Override
  public Inet4Address local() {
    return local;
  }

  @Override
  public MappingProtocol spoken() {
    return spoken;
  }

  @Override
  public MapOutcome map(Ask ask) {
    maps.add(ask);
    MapOutcome o =
        mapAnswers.isEmpty()
            ? new MapOutcome.Granted(
                MappingProtocol.PCP,
                external,
                ask.suggestedExternalPort(),
                Duration.ofHours(2),
                epoch)
            : mapAnswers.poll();
    if (o instanceof MapOutcome.Granted g) {
      spoken = g.protocol();
    }
    return o;
  }

  @Override
  public MapOutcome delete(MappingProtocol protocol, Ask ask) {
    deletes.add(ask);
    return deleteAnswers.isEmpty() ? new MapOutcome.Deleted(protocol, epoch) : deleteAnswers.poll();
  }

  @Override
  public void cancel() {}

  @Override
  public void close() {
    closed = true;
  }
}
