package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UAPI socket client against a scripted server on a Unix socket. */
class UapiDeviceTest {
  @TempDir Path dir;
  private ServerSocketChannel server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Serves one connection: reads the request up to its empty line, answers in small pieces. */
  private CompletableFuture<String> serve(List<String> pieces, boolean closeWithoutAnswer)
      throws IOException {
    Path sock = dir.resolve("wgt.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    CompletableFuture<String> request = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(() -> {
          try (SocketChannel c = server.accept()) {
            StringBuilder sb = new StringBuilder();
            ByteBuffer b = ByteBuffer.allocate(64);
            while (!sb.toString().endsWith("\n\n") && c.read(b.clear()) > 0) {
              sb.append(StandardCharsets.US_ASCII.decode(b.flip()));
            }
            request.complete(sb.toString());
            if (closeWithoutAnswer) {
              return;
            }
            for (String p : pieces) {
              c.write(StandardCharsets.US_ASCII.encode(p));
            }
            Thread.sleep(Long.MAX_VALUE); // keep the connection open: the reply's end counts
          } catch (IOException | InterruptedException e) {
            request.completeExceptionally(e);
          }
        });
    return request;
  }

  private UapiDevice device(Duration timeout) {
    return new UapiDevice(dir.resolve("wgt.sock"), timeout);
  }

  @Test
  void getReadsAReplyThatArrivesInPieces() throws Exception {
    String reply = Fixtures.read("get-two-peers-one-handshake.uapi");
    int third = reply.length() / 3;
    CompletableFuture<String> request =
        serve(
            List.of(
                reply.substring(0, third),
                reply.substring(third, 2 * third),
                reply.substring(2 * third)),
            false);
    DeviceState s = device(Duration.ofSeconds(30)).get();
    assertThat(s.peers()).hasSize(3);
    assertThat(request.get(30, TimeUnit.SECONDS)).isEqualTo("get=1\n\n");
  }

  @Test
  void setSendsTheOperationAndChecksErrno() throws Exception {
    CompletableFuture<String> request = serve(List.of("errno=0\n\n"), false);
    DeviceUpdate u =
        new DeviceUpdate(
            java.util.Optional.empty(), java.util.OptionalInt.of(51820), false, List.of());
    device(Duration.ofSeconds(30)).set(u);
    assertThat(request.get(30, TimeUnit.SECONDS)).isEqualTo("set=1\nlisten_port=51820\n\n");
  }

  @Test
  void setRefusedIsAUapiException() throws Exception {
    serve(List.of("errno=-98\n\n"), false);
    DeviceUpdate u =
        new DeviceUpdate(java.util.Optional.empty(), java.util.OptionalInt.of(1), false, List.of());
    assertThatThrownBy(() -> device(Duration.ofSeconds(30)).set(u))
        .isInstanceOf(UapiException.class)
        .hasMessageContaining("EADDRINUSE");
  }

  @Test
  void aConnectionClosedWithoutErrnoIsAnError() throws Exception {
    serve(List.of(), true);
    assertThatThrownBy(() -> device(Duration.ofSeconds(30)).get())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without errno");
  }

  @Test
  void aDeviceThatNeverAnswersFailsTheCall() throws Exception {
    serve(List.of("listen_port=1\n"), false); // a reply that never ends
    assertThatThrownBy(() -> device(Duration.ofMillis(300)).get())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not answer");
  }

  @Test
  void noSocketIsAClearError() {
    assertThatThrownBy(() -> device(Duration.ofSeconds(1)).get())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot connect to " + dir.resolve("wgt.sock"));
  }
}
