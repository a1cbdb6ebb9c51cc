package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.protocol.wire.TcpFraming;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.transport.RequestCorpusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The malformed-request corpus ({@code request-corpus.txt}, {@link RequestCorpusTest}) sent to the
 * built server over real sockets: every row, over UDP, TCP or a raw TCP stream, signed with the
 * keys {@code member add} and {@code host add} printed, must get the answer the corpus names, and
 * the server must still be alive afterwards.
 */
class RequestCorpusEndToEndIT {
  private static final int SILENCE_MS = 500;
  private static TestDatabase db;
  @TempDir static Path work;

  @BeforeAll
  static void database() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  private static ServerProcess.Result cli(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db-url", db.url(), "--data-dir", work.resolve("data").toString()));
    ServerProcess.Result r = ServerProcess.run(work, all);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r;
  }

  @Test
  void theBuiltServerAnswersEveryRowAsTheCorpusSays() throws Exception {
    try (ServerProcess server =
        ServerProcess.start(
            work, List.of("--db-url", db.url(), "--data-dir", work.resolve("data").toString()))) {
      TsigKey member = key(cli("member", "add", "alice").keyLine());
      Path hostFile = work.resolve("mbp.key");
      cli("host", "add", "alice", "mbp", "--key-file", hostFile.toString());
      TsigKey host = key(Files.readString(hostFile).strip());
      // Enrolment reaches the running server within a second (keys NOTIFY).
      Await.until(() -> answer(server.dnsPort, signedSoa(host)).equals("NOERROR"));

      for (RequestCorpusTest.Row row : RequestCorpusTest.rows()) {
        long now = System.currentTimeMillis() / 1000;
        byte[] wire = RequestCorpusTest.signed(row.wire(), row.signing(), member, host, now);
        String got =
            switch (row.transport()) {
              case "udp" -> RequestCorpusTest.describe(udp(server.dnsPort, wire));
              case "tcp" -> RequestCorpusTest.describe(tcp(server.dnsPort, wire));
              default -> stream(server.dnsPort, wire);
            };
        assertThat(got).as(row.name()).isEqualTo(row.expected());
      }
      assertThat(server.alive()).isTrue();
      assertThat(answer(server.dnsPort, signedSoa(member))).isEqualTo("NOERROR");
    }
  }

  private static TsigKey key(String line) {
    KeyLine k = KeyLine.parse(line);
    return new TsigKey(k.name(), k.algorithm(), k.secret());
  }

  private static byte[] signedSoa(TsigKey key) {
    Message q =
        Message.newQuery(
            Record.newRecord(
                Name.fromConstantString("alice.members.example."), Type.SOA, DClass.IN));
    return RequestCorpusTest.signed(
        q.toWire(), "member", key, key, System.currentTimeMillis() / 1000);
  }

  private static String answer(int port, byte[] wire) {
    try {
      return RequestCorpusTest.describe(tcp(port, wire));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static byte[] udp(int port, byte[] wire) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(SILENCE_MS);
      socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
      try {
        socket.receive(in);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return Arrays.copyOf(in.getData(), in.getLength());
    }
  }

  private static byte[] tcp(int port, byte[] wire) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(TcpFraming.frame(wire));
      return TcpFraming.read(s.getInputStream());
    }
  }

  /** {@code bytes} written raw on one connection: "replies=N open|closed", as the corpus says. */
  private static String stream(int port, byte[] bytes) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(SILENCE_MS);
      s.getOutputStream().write(bytes);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      boolean open;
      try {
        in.transferTo(got);
        open = false; // the server closed it
      } catch (SocketTimeoutException e) {
        open = true;
      }
      int replies = 0;
      InputStream frames = new java.io.ByteArrayInputStream(got.toByteArray());
      try {
        while (TcpFraming.read(frames) != null) {
          replies++;
        }
      } catch (EOFException e) {
        return "a reply cut short";
      }
      return "replies=" + replies + (open ? " open" : " closed");
    }
  }
}
