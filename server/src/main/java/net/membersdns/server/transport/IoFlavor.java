package net.membersdns.server.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.function.Supplier;

/**
 * Which Netty I/O implementation to run on: native epoll on Linux (fewer copies, and {@code
 * SO_REUSEPORT} so several event loops can each own a UDP socket on the same port), else the
 * portable NIO one.
 *
 * @param reusePort whether UDP may be served by one socket per event loop
 */
record IoFlavor(
    String name,
    Supplier<IoHandlerFactory> ioHandlers,
    Class<? extends DatagramChannel> datagramChannel,
    Class<? extends ServerChannel> serverChannel,
    boolean reusePort) {

  static final IoFlavor NIO =
      new IoFlavor(
          "nio",
          NioIoHandler::newFactory,
          NioDatagramChannel.class,
          NioServerSocketChannel.class,
          false);

  /** Epoll when the native library loads on this machine, else NIO. */
  static IoFlavor best() {
    if (Epoll.isAvailable()) {
      return new IoFlavor(
          "epoll",
          EpollIoHandler::newFactory,
          EpollDatagramChannel.class,
          EpollServerSocketChannel.class,
          true);
    }
    return NIO;
  }
}
