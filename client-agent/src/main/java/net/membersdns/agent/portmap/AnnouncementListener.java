package net.membersdns.agent.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.membersdns.agent.netwatch.Ipv4;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears gateway announcements on 224.0.0.1:5350: NAT-PMP's external address announcement (RFC 6886
 * §3.2.1) and PCP's ANNOUNCE (RFC 6887 §14.1), sent when a gateway starts or its address changes.
 * The socket is bound to the group address itself, not 0.0.0.0, with SO_REUSEADDR and SO_REUSEPORT
 * so other clients on the host hear them too (RFC 6886 §3.2.1); Linux delivers 224.0.0.1 without
 * joining. Only datagrams from the current gateway pass, and only well-formed successful ones; the
 * rest is counted and dropped.
 *
 * <p>Threads: one daemon thread receives and calls the consumer, which must hand the announcement
 * to its own thread.
 */
final class AnnouncementListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnnouncementListener.class);
  static final Inet4Address ALL_HOSTS = Ipv4.fromBits(0xE0000001);
  static final int CLIENT_PORT = 5350;

  /** A gateway said it (re)started or changed address; {@code external} for NAT-PMP. */
  record Announcement(
      Inet4Address source, MappingProtocol protocol, long epoch, Optional<Inet4Address> external) {}

  private final DatagramChannel channel;
  private final Supplier<Optional<Inet4Address>> gateway;
  private final Consumer<Announcement> consumer;
  private final PortMapMetrics metrics;

  AnnouncementListener(
      int port,
      Supplier<Optional<Inet4Address>> gateway,
      Consumer<Announcement> consumer,
      PortMapMetrics metrics)
      throws IOException {
    this.gateway = gateway;
    this.consumer = consumer;
    this.metrics = metrics;
    channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      channel.bind(new InetSocketAddress(ALL_HOSTS, port));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    Thread.ofPlatform().daemon().name("portmap-announcements").start(this::receive);
  }

  /**
   * Pure: the announcement in {@code data} from {@code source}, if it is one: a successful NAT-PMP
   * address response or PCP ANNOUNCE response.
   */
  static Optional<Announcement> parse(Inet4Address source, byte[] data) {
    if (data.length > 0 && data[0] == Pcp.VERSION) {
      return Pcp.parse(data, data.length) instanceof Pcp.AnnounceResponse a && a.resultCode() == 0
          ? Optional.of(new Announcement(source, MappingProtocol.PCP, a.epoch(), Optional.empty()))
          : Optional.empty();
    }
    if (NatPmp.parse(data, data.length) instanceof NatPmp.AddressReply r && r.resultCode() == 0) {
      Optional<Inet4Address> external =
          r.externalAddress().isAnyLocalAddress()
              ? Optional.empty()
              : Optional.of(r.externalAddress());
      return Optional.of(new Announcement(source, MappingProtocol.NAT_PMP, r.epoch(), external));
    }
    return Optional.empty();
  }

  private void receive() {
    ByteBuffer buffer = ByteBuffer.allocate(Pcp.MAX_LENGTH + 4);
    while (channel.isOpen()) {
      try {
        buffer.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
        if (!(from.getAddress() instanceof Inet4Address source)
            || !gateway.get().equals(Optional.of(source))) {
          metrics.ignored("announcement not from the gateway");
          continue;
        }
        Optional<Announcement> a = parse(source, Arrays.copyOf(buffer.array(), buffer.position()));
        if (a.isEmpty()) {
          metrics.ignored("malformed announcement");
          continue;
        }
        consumer.accept(a.get());
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.debug("portmap: announcement socket: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
