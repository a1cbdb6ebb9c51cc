package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.Dig;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Response rate limiting on the running server (issue 11, item 2): a flood of one name over UDP
 * from 127.0.0.1 is limited (most answers dropped, every second one sent as an empty TC=1 reply),
 * and so is 127.0.0.2 in the same /24; the same name asked from 127.0.1.2 (another /24: loopback
 * takes the whole of 127/8), and over TCP from the flooded address, is answered in full; the
 * limiter's meters count it. With host-sized prefixes ({@code --rrl-ipv4-prefix-length 32}),
 * 127.0.0.2 is a network of its own and is answered while 127.0.0.1 is limited.
 */
class RateLimitEndToEndIT {
  private static final int RATE = 20;
  private static final Name NAME = Name.fromConstantString("dns.members.example.");

  @Test
  void aFloodFromOneNetworkIsLimitedAndSlippedWhileAnotherNetworkIsAnswered(@TempDir Path work)
      throws Exception {
    try (TestDatabase db = TestDatabase.create();
        ServerProcess server =
            ServerProcess.start(
                work,
                List.of(
                    "--db-url",
                    db.url(),
                    "--data-dir",
                    work.resolve("data").toString(),
                    "--rrl-rate",
                    String.valueOf(RATE),
                    "--rrl-slip",
                    "2"))) {
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.dnsPort);
      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger sent = new AtomicInteger();
      long started = System.nanoTime();
      Replies flood;
      int neighbourSlips = 0;
      try (DatagramSocket flooder = socket("127.0.0.1")) {
        // About 2,000 queries a second (paced so that no socket buffer overflows), until stopped.
        Thread sender =
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    while (flooding.get()) {
                      byte[] q = query(sent.getAndIncrement());
                      flooder.send(new DatagramPacket(q, q.length, to));
                      if (sent.get() % 2 == 0) {
                        Thread.sleep(1);
                      }
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        // Read as they come (a socket buffer holds a few hundred datagrams): until 1.5 s of quiet.
        CompletableFuture<Replies> replies =
            CompletableFuture.supplyAsync(() -> {
              try {
                return replies(flooder);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
        Await.until(
            Duration.ofSeconds(30),
            "the flood limited",
            () -> counter(server.http("/metrics"), "dns_rrl_limited_total") > 100);
        // 127.0.0.2 is in the flooded /24: it shares the limit, and gets slips, not answers.
        try (DatagramSocket neighbour = socket("127.0.0.2")) {
          neighbour.setSoTimeout(300);
          for (int i = 0; i < 16; i++) {
            byte[] q = query(50_000 + i);
            neighbour.send(new DatagramPacket(q, q.length, to));
            try {
              Message a = receive(neighbour);
              if (a.getHeader().getFlag(Flags.TC)) {
                assertThat(a.getSection(Section.ANSWER)).isEmpty();
                neighbourSlips++;
              }
            } catch (SocketTimeoutException dropped) {
              // limited and dropped
            }
          }
        }
        assertThat(neighbourSlips).as("127.0.0.2, same /24: slipped").isPositive();
        // The same name from another network while the flood is limited: every answer in full.
        try (DatagramSocket other = socket("127.0.1.2")) {
          other.setSoTimeout(3000);
          for (int i = 0; i < 10; i++) {
            byte[] q = query(60_000 + i);
            other.send(new DatagramPacket(q, q.length, to));
            Message a = receive(other);
            assertThat(a.getHeader().getFlag(Flags.TC)).as("127.0.1.2, TC").isFalse();
            assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(a.getSection(Section.ANSWER)).as("127.0.1.2, answer").isNotEmpty();
          }
        }
        flooding.set(false);
        sender.join();
        flood = replies.get(30, TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      int full = flood.full();
      int truncated = flood.truncated();
      assertThat(full)
          .as("full answers to %d queries (rate %d/s over %.1f s)", sent.get(), RATE, seconds)
          .isBetween(RATE / 2, (int) (RATE * (seconds + 1)));
      assertThat(truncated).as("slipped: about every second limited answer").isPositive();
      assertThat(truncated).isLessThanOrEqualTo((sent.get() - full) / 2 + 1);

      // Independent clients: dig from 127.0.1.2 gets the answer; TCP is never limited.
      Dig.Answer fromOther = Dig.dig(server.dnsPort, NAME.toString(), "A", "-b", "127.0.1.2");
      assertThat(fromOther.status()).as(fromOther.raw()).isEqualTo("NOERROR");
      assertThat(fromOther.flags()).doesNotContain("tc");
      assertThat(fromOther.answer()).containsExactly("dns.members.example. 3600 IN A 127.0.0.1");
      for (int i = 0; i < 3; i++) {
        assertThat(Dig.dig(server.dnsPort, NAME.toString(), "A", "+tcp").answer())
            .as("TCP from the flooded address")
            .hasSize(1);
      }

      String metrics = server.http("/metrics");
      assertThat(counter(metrics, "dns_rrl_slipped_total")).isEqualTo(truncated + neighbourSlips);
      assertThat(counter(metrics, "dns_rrl_limited_total"))
          .as("limited: the slips and the drops")
          .isGreaterThan(truncated + neighbourSlips);
      assertThat(metrics).contains("reason=\"rrl\"");
    }
  }

  /**
   * With {@code --rrl-ipv4-prefix-length 32} every IPv4 address is a network of its own: a flood of
   * one name from 127.0.0.1 is limited and slipped while the same name from 127.0.0.2 is answered.
   */
  @Test
  void withHostPrefixesAFloodFrom127001IsLimitedWhile127002IsAnswered(@TempDir Path work)
      throws Exception {
    try (TestDatabase db = TestDatabase.create();
        ServerProcess server =
            ServerProcess.start(
                work,
                List.of(
                    "--db-url",
                    db.url(),
                    "--data-dir",
                    work.resolve("data").toString(),
                    "--rrl-rate",
                    String.valueOf(RATE),
                    "--rrl-ipv4-prefix-length",
                    "32"))) {
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.dnsPort);
      try (DatagramSocket flooder = socket("127.0.0.1");
          DatagramSocket neighbour = socket("127.0.0.2")) {
        CompletableFuture<Replies> replies =
            CompletableFuture.supplyAsync(() -> {
              try {
                return replies(flooder);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
        int sent = 0;
        while (counter(server.http("/metrics"), "dns_rrl_limited_total") < 2 * RATE) {
          for (int i = 0; i < 50; i++, sent++) {
            byte[] q = query(sent);
            flooder.send(new DatagramPacket(q, q.length, to));
          }
          Thread.sleep(5);
          assertThat(sent).as("queries sent before the limit showed").isLessThan(100_000);
        }
        neighbour.setSoTimeout(3000);
        for (int i = 0; i < 10; i++) {
          byte[] q = query(60_000 + i);
          neighbour.send(new DatagramPacket(q, q.length, to));
          Message a = receive(neighbour);
          assertThat(a.getHeader().getFlag(Flags.TC)).as("127.0.0.2, TC").isFalse();
          assertThat(a.getSection(Section.ANSWER)).as("127.0.0.2, answer").isNotEmpty();
        }
        Replies flood = replies.get(30, TimeUnit.SECONDS);
        assertThat(flood.full()).as("127.0.0.1: answered in full").isLessThan(sent / 2);
        assertThat(flood.truncated()).as("127.0.0.1: slipped").isPositive();
      }
      Dig.Answer fromNeighbour = Dig.dig(server.dnsPort, NAME.toString(), "A", "-b", "127.0.0.2");
      assertThat(fromNeighbour.flags()).as(fromNeighbour.raw()).doesNotContain("tc");
      assertThat(fromNeighbour.answer()).hasSize(1);
    }
  }

  private record Replies(int full, int truncated) {}

  /** Reads replies until the socket is quiet for 1.5 s; checks each. */
  private static Replies replies(DatagramSocket s) throws Exception {
    int full = 0;
    int truncated = 0;
    byte[] buf = new byte[1500];
    s.setSoTimeout(1500);
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
      } catch (SocketTimeoutException quiet) {
        return new Replies(full, truncated);
      }
      Message m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
      if (m.getHeader().getFlag(Flags.TC)) {
        assertThat(m.getSection(Section.ANSWER)).as("a slip carries no records").isEmpty();
        assertThat(m.getQuestion().getName()).isEqualTo(NAME);
        truncated++;
      } else {
        assertThat(m.getSection(Section.ANSWER)).isNotEmpty();
        full++;
      }
    }
  }

  private static DatagramSocket socket(String address) throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0));
    s.setReceiveBufferSize(1 << 20);
    return s;
  }

  private static byte[] query(int id) {
    Message q = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
    q.getHeader().setID(id & 0xFFFF);
    return q.toWire();
  }

  private static Message receive(DatagramSocket s) throws Exception {
    byte[] buf = new byte[1500];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
  }

  private static double counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+]+)$").matcher(metrics);
    assertThat(m.find()).as(name + " in\n" + metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
