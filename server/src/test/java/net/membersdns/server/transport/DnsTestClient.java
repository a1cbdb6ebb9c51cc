package net.membersdns.server.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import net.membersdns.server.pipeline.DnsRequestHandler;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Blocking test clients for the three transports, and an echoing request handler. */
final class DnsTestClient {
  private static final ScheduledExecutorService LATER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-later");
        t.setDaemon(true);
        return t;
      });

  /**
   * Answers with the query itself, QR set. Names starting with {@code slow.} are answered 200 ms
   * later from another thread, so a pipelined fast query overtakes them.
   */
  static final DnsRequestHandler ECHO =
      (request, responder) -> {
        try {
          Message m = new Message(request.wire());
          m.getHeader().setFlag(Flags.QR);
          byte[] answer = m.toWire();
          if (m.getQuestion().getName().toString().startsWith("slow.")) {
            LATER.schedule(() -> responder.respond(answer), 200, TimeUnit.MILLISECONDS);
          } else {
            responder.respond(answer);
          }
        } catch (IOException e) {
          responder.drop();
        }
      };

  private DnsTestClient() {}

  static Message query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
  }

  static Message udp(InetSocketAddress server, Message query) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(5000);
      byte[] wire = query.toWire();
      socket.send(new DatagramPacket(wire, wire.length, server));
      DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
      socket.receive(in);
      return new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
    }
  }

  static Socket tcp(InetSocketAddress server) throws IOException {
    Socket socket = new Socket();
    socket.connect(server, 5000);
    socket.setSoTimeout(5000);
    return socket;
  }

  static byte[] framed(Message... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Message m : messages) {
      byte[] wire = m.toWire();
      out.write(wire.length >> 8);
      out.write(wire.length);
      out.writeBytes(wire);
    }
    return out.toByteArray();
  }

  static Message readFramed(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] wire = new byte[data.readUnsignedShort()];
    data.readFully(wire);
    return new Message(wire);
  }

  /** A TLS socket trusting only {@code certificate} and checking the host name against it. */
  static SSLSocket tls(InetSocketAddress server, Path certificate, String hostName, String protocol)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", TlsContextFactory.readChain(certificate).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    Socket plain = tcp(server);
    SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(plain, hostName, server.getPort(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setProtocols(new String[] {protocol});
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** Whether the peer closed: read returns end of stream, or the connection was reset. */
  static boolean closedByPeer(Socket socket) {
    try {
      return socket.getInputStream().read() == -1;
    } catch (IOException e) {
      return !(e instanceof java.net.SocketTimeoutException);
    }
  }
}
