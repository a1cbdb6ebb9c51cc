package net.membersdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.protocol.wire.TcpFraming;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.codec.TcpDnsFrameDecoder;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.pipeline.RequestPathOracle;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.InMemoryPipeline;
import net.membersdns.server.testing.RequestSigner;
import net.membersdns.server.zone.Names;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The interesting inputs of the fuzz targets, written down with the answer each must get: {@code
 * request-corpus.txt} next to this class (name, transport, signing, expected answer, hex, why).
 * Each row goes through the real dispatcher of a fresh {@link InMemoryPipeline} (a stream row
 * through the real frame decoder and stream handler too) and must get exactly its expected answer,
 * and every reply must also hold {@link RequestPathOracle}'s invariants.
 *
 * <p>Signing, done here as the MAC covers the bytes: {@code member}, {@code host} sign with those
 * keys now; {@code stale} with the member key 1000 s ago; {@code stranger} with a key the server
 * does not hold; {@code member-badsig} flips the MAC's last byte; {@code member+a} appends an A
 * record after the TSIG.
 */
public class RequestCorpusTest {
  private static final TsigKey STRANGER =
      new TsigKey(
          Names.absolute("nobody.key.members.example."), TsigAlgorithm.HMAC_SHA256, new byte[32]);

  /** One line of {@code request-corpus.txt}. */
  public record Row(String name, String transport, String signing, String expected, byte[] wire) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static List<Row> rows() throws IOException {
    try (InputStream in = RequestCorpusTest.class.getResourceAsStream("request-corpus.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split("\\|"))
          .map(f ->
              new Row(
                  f[0].strip(),
                  f[1].strip(),
                  f[2].strip(),
                  f[3].strip(),
                  HexFormat.of().parseHex(f[4].strip())))
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void getsItsExpectedAnswer(Row row) throws IOException {
    if (row.transport().equals("stream")) {
      stream(row);
      return;
    }
    InMemoryPipeline server = new InMemoryPipeline();
    byte[] wire =
        signed(
            row.wire(),
            row.signing(),
            InMemoryPipeline.MEMBER_KEY,
            InMemoryPipeline.HOST_KEY,
            InMemoryPipeline.NOW);
    Transport transport = row.transport().equals("tcp") ? Transport.TCP : Transport.UDP;
    InMemoryPipeline.Outcome outcome = server.send(wire, transport);
    TsigKey signedWith =
        switch (row.signing()) {
          case "member" -> InMemoryPipeline.MEMBER_KEY;
          case "host" -> InMemoryPipeline.HOST_KEY;
          default -> null;
        };
    RequestPathOracle.check(wire, transport, outcome, signedWith);
    assertThat(server.internalErrors()).isZero();
    assertThat(describe(outcome.reply())).isEqualTo(row.expected());
  }

  /** A TCP connection given {@code row}'s bytes in one read. */
  private static void stream(Row row) throws IOException {
    InMemoryPipeline server = new InMemoryPipeline();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel
        .pipeline()
        .addLast(
            new TcpDnsFrameDecoder(),
            new StreamDnsHandler(
                Transport.TCP,
                new InetSocketAddress("192.0.2.1", 40000),
                server.handler(),
                new TransportMetrics(new DnsMetrics(new SimpleMeterRegistry())),
                Duration.ofSeconds(10)));
    channel.writeInbound(Unpooled.wrappedBuffer(row.wire()));
    channel.checkException();
    ByteBuffer written = ByteBuffer.allocate(1 << 20);
    for (Object o; (o = channel.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      written.put(ByteBufUtil.getBytes(b));
      b.release();
    }
    boolean open = channel.isOpen();
    channel.finishAndReleaseAll();
    int replies = 0;
    InputStream out = new ByteArrayInputStream(Arrays.copyOf(written.array(), written.position()));
    for (byte[] reply; (reply = TcpFraming.read(out)) != null; replies++) {
      assertThat(RequestPathOracle.parse(reply)).as("reply " + replies).isNotNull();
    }
    assertThat("replies=" + replies + (open ? " open" : " closed")).isEqualTo(row.expected());
  }

  /** {@code body} signed as {@code signing} says, with these keys, at {@code now} (seconds). */
  public static byte[] signed(byte[] body, String signing, TsigKey member, TsigKey host, long now) {
    return switch (signing) {
      case "none" -> body;
      case "member" -> sign(body, member, now);
      case "host" -> sign(body, host, now);
      case "stale" -> sign(body, member, now - 1000);
      case "stranger" -> sign(body, STRANGER, now);
      case "member-badsig" -> {
        byte[] w = sign(body, member, now);
        w[w.length - 7] ^= 1; // the MAC's last byte: original ID, error, other length follow
        yield w;
      }
      case "member+a" -> {
        byte[] w = sign(body, member, now);
        byte[] a = HexFormat.of().parseHex("00000100010000003c0004c0000201"); // . A 192.0.2.1
        byte[] out = Arrays.copyOf(w, w.length + a.length);
        System.arraycopy(a, 0, out, w.length, a.length);
        ByteBuffer.wrap(out).putShort(10, (short) (ByteBuffer.wrap(w).getShort(10) + 1));
        yield out;
      }
      default -> throw new IllegalArgumentException("signing " + signing);
    };
  }

  /** What a reply is called in the corpus: RCODE, then /TSIG-error when there is one. */
  public static String describe(byte[] reply) {
    if (reply == null) {
      return "silence";
    }
    Message m = RequestPathOracle.parse(reply);
    if (m == null) {
      return "unparsable";
    }
    String rcode = Rcode.string(m.getRcode());
    return m.getTSIG() != null && m.getTSIG().getError() != Rcode.NOERROR
        ? rcode + "/" + Rcode.TSIGstring(m.getTSIG().getError())
        : rcode;
  }

  private static byte[] sign(byte[] body, TsigKey key, long time) {
    return RequestSigner.sign(
        body,
        key.name(),
        key.algorithm().wireName(),
        key.algorithm().jcaName(),
        key.secret(),
        time,
        key.algorithm().macLength());
  }
}
