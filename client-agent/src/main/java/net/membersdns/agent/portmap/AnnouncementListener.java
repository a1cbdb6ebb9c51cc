package net.membersdns.agent.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import net.membersdns.agent.netwatch.Ipv4;
import net.membersdns.agent.netwatch.NetworkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears gateway announcements on 224.0.0.1:5350: NAT-PMP's external address announcement (RFC 6886
 * §3.2.1) and PCP's ANNOUNCE (RFC 6887 §14.1), multicast when a gateway starts or its address
 * changes. The socket is bound to the group address itself, not 0.0.0.0, with SO_REUSEADDR and
 * SO_REUSEPORT so that other clients on the host hear them too (RFC 6886 §3.2.1), and joins the
 * group on the default route's interface: the JDK turns IP_MULTICAST_ALL off, so without the join
 * Linux drops the datagrams. A move re-creates interfaces and with them memberships, so the socket
 * is opened afresh whenever the interface or the gateway changes ({@link #follow}).
 *
 * <p>Only datagrams from the current gateway pass, and only well-formed successful ones; the rest
 * is counted and dropped. Threads: {@link #follow} and {@link #close} from the mapper's thread;
 * each socket has a daemon thread that receives and calls the consumer, which must hand the
 * announcement over to its own thread.
 */
final class AnnouncementListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnnouncementListener.class);
  static final Inet4Address ALL_HOSTS = Ipv4.fromBits(0xE0000001);
  static final int CLIENT_PORT = 5350;

  /** A gateway said it (re)started or changed address; {@code external} for NAT-PMP. */
  record Announcement(
      Inet4Address source, MappingProtocol protocol, long epoch, Optional<Inet4Address> external) {}

  private final int port;
  private final Consumer<Announcement> consumer;
  private final PortMapMetrics metrics;
  private NetworkState following = NetworkState.none();
  private DatagramChannel channel;

  AnnouncementListener(int port, Consumer<Announcement> consumer, PortMapMetrics metrics) {
    this.port = port;
    this.consumer = consumer;
    this.metrics = metrics;
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

  /** Listens for announcements of {@code state}'s gateway on its interface; none without one. */
  void follow(NetworkState state) {
    if (Objects.equals(state.gateway(), following.gateway())
        && Objects.equals(state.interfaceName(), following.interfaceName())
        && state.interfaceIndex() == following.interfaceIndex()
        && (channel != null || state.gateway().isEmpty())) {
      return;
    }
    following = state;
    close();
    if (state.gateway().isEmpty() || state.interfaceName().isEmpty()) {
      return;
    }
    try {
      channel = open(state.interfaceName().get());
      DatagramChannel ch = channel;
      Inet4Address gateway = state.gateway().get();
      Thread.ofPlatform().daemon().name("portmap-announcements").start(() -> receive(ch, gateway));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "portmap: cannot listen for announcements on {} ({}); relying on the periodic check",
          state.interfaceName().get(),
          e.toString());
    }
  }

  private DatagramChannel open(String interfaceName) throws IOException {
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      ch.bind(new InetSocketAddress(ALL_HOSTS, port));
      NetworkInterface nif = NetworkInterface.getByName(interfaceName);
      if (nif == null) {
        throw new IOException("no interface " + interfaceName);
      }
      ch.join(ALL_HOSTS, nif);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void receive(DatagramChannel ch, Inet4Address gateway) {
    ByteBuffer buffer = ByteBuffer.allocate(Pcp.MAX_LENGTH + 4);
    while (ch.isOpen()) {
      try {
        buffer.clear();
        InetSocketAddress from = (InetSocketAddress) ch.receive(buffer);
        if (!gateway.equals(from.getAddress())) {
          metrics.ignored("foreign announcement");
          continue;
        }
        Optional<Announcement> a = parse(gateway, Arrays.copyOf(buffer.array(), buffer.position()));
        if (a.isEmpty()) {
          metrics.ignored("malformed announcement");
          continue;
        }
        consumer.accept(a.get());
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        log.debug("portmap: announcement socket: {}", e.toString());
        return; // the next network change opens a new one; the periodic check covers meanwhile
      }
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to release
      }
      channel = null;
    }
  }
}
