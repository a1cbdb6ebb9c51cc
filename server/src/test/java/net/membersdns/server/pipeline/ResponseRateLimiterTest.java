package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import net.membersdns.server.pipeline.ResponseRateLimiter.Verdict;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Response rate limiting as BIND and Knot define it: buckets per client network (IPv4 /24, IPv6
 * /56) and response class, NXDOMAIN and NODATA grouped by zone, the slip ratio, and the refill over
 * time, on an injected clock.
 */
class ResponseRateLimiterTest {
  private static final Name ZONE = Name.fromConstantString("alice.members.example.");
  private static final Name OTHER = Name.fromConstantString("bob.members.example.");

  private final long[] now = {1_000_000};

  private ResponseRateLimiter limiter(int rate, int slip) {
    return new ResponseRateLimiter(rate, slip, () -> now[0]);
  }

  @Test
  void ipv4ClientsOfOneSlash24ShareTheirBuckets() throws Exception {
    ResponseRateLimiter rrl = limiter(5, 0);
    byte[] answer = answer("mbp.alice.members.example.", Type.A);
    Map<Verdict, Integer> first = send(rrl, "192.0.2.1", answer, 5);
    assertThat(first).containsEntry(Verdict.SEND, 5);
    assertThat(send(rrl, "192.0.2.254", answer, 3)).containsEntry(Verdict.DROP, 3);
    assertThat(send(rrl, "192.0.3.1", answer, 5)).containsEntry(Verdict.SEND, 5);
  }

  @Test
  void ipv6ClientsOfOneSlash56ShareTheirBuckets() throws Exception {
    ResponseRateLimiter rrl = limiter(5, 0);
    byte[] answer = answer("mbp.alice.members.example.", Type.AAAA);
    assertThat(send(rrl, "2001:db8:0:ab00::1", answer, 5)).containsEntry(Verdict.SEND, 5);
    assertThat(send(rrl, "2001:db8:0:abff:ffff::9", answer, 3)).containsEntry(Verdict.DROP, 3);
    assertThat(send(rrl, "2001:db8:0:ac00::1", answer, 5)).containsEntry(Verdict.SEND, 5);
  }

  @Test
  void theClientNetworkPrefixesAreConfigurable() throws Exception {
    // --rrl-ipv4-prefix-length 32 --rrl-ipv6-prefix-length 60: each IPv4 address on its own
    ResponseRateLimiter rrl = new ResponseRateLimiter(new RrlConfig(5, 0, 32, 60), () -> now[0]);
    byte[] a = answer("mbp.alice.members.example.", Type.A);
    assertThat(send(rrl, "127.0.0.1", a, 8)).containsEntry(Verdict.SEND, 5);
    assertThat(send(rrl, "127.0.0.2", a, 5)).containsEntry(Verdict.SEND, 5);
    byte[] aaaa = answer("mbp.alice.members.example.", Type.AAAA);
    assertThat(send(rrl, "2001:db8:0:ab00::1", aaaa, 5)).containsEntry(Verdict.SEND, 5);
    assertThat(send(rrl, "2001:db8:0:ab0f::1", aaaa, 2))
        .as("the same /60")
        .containsEntry(Verdict.DROP, 2);
    assertThat(send(rrl, "2001:db8:0:ab10::1", aaaa, 5))
        .as("the next /60")
        .containsEntry(Verdict.SEND, 5);
  }

  @Test
  void prefixLengthZeroMakesEveryClientOneNetwork() throws Exception {
    ResponseRateLimiter rrl = new ResponseRateLimiter(new RrlConfig(2, 0, 0, 0), () -> now[0]);
    byte[] a = answer("mbp.alice.members.example.", Type.A);
    assertThat(send(rrl, "192.0.2.1", a, 2)).containsEntry(Verdict.SEND, 2);
    assertThat(send(rrl, "198.51.100.9", a, 1)).containsEntry(Verdict.DROP, 1);
    assertThatThrownBy(() -> new RrlConfig(1, 0, 33, 56))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RrlConfig(1, 0, 24, 129))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void answersAreKeyedByNameWithoutCaseAndByType() throws Exception {
    ResponseRateLimiter rrl = limiter(3, 0);
    assertThat(send(rrl, "192.0.2.1", answer("mbp.alice.members.example.", Type.A), 3))
        .containsEntry(Verdict.SEND, 3);
    assertThat(send(rrl, "192.0.2.1", answer("MbP.AlIcE.members.example.", Type.A), 1))
        .as("0x20 case mix: the same name")
        .containsEntry(Verdict.DROP, 1);
    assertThat(send(rrl, "192.0.2.1", answer("mini.alice.members.example.", Type.A), 3))
        .containsEntry(Verdict.SEND, 3);
    assertThat(send(rrl, "192.0.2.1", answer("mbp.alice.members.example.", Type.AAAA), 3))
        .containsEntry(Verdict.SEND, 3);
  }

  @Test
  void nxdomainAndNodataAreGroupedByZone() throws Exception {
    ResponseRateLimiter rrl = limiter(4, 0);
    Map<Verdict, Integer> random = new EnumMap<>(Verdict.class);
    for (int i = 0; i < 10; i++) {
      Verdict v =
          rrl.check(
              addr("192.0.2.7"),
              negative("r" + i + ".alice.members.example.", ZONE, Rcode.NXDOMAIN));
      random.merge(v, 1, Integer::sum);
    }
    assertThat(random)
        .as("ten random names of one zone: one bucket")
        .containsEntry(Verdict.SEND, 4);
    assertThat(random).containsEntry(Verdict.DROP, 6);
    assertThat(
            rrl.check(addr("192.0.2.7"), negative("x.bob.members.example.", OTHER, Rcode.NXDOMAIN)))
        .as("another zone")
        .isEqualTo(Verdict.SEND);
    assertThat(
            send(rrl, "192.0.2.7", negative("mbp.alice.members.example.", ZONE, Rcode.NOERROR), 4))
        .as("NODATA is a class of its own")
        .containsEntry(Verdict.SEND, 4);
    assertThat(RrlKey.classify(negative("a.alice.members.example.", ZONE, Rcode.NOERROR)))
        .isEqualTo(ResponseClass.NODATA);
    assertThat(RrlKey.classify(referral())).isEqualTo(ResponseClass.REFERRAL);
    assertThat(RrlKey.classify(answer("a.alice.members.example.", Type.A)))
        .isEqualTo(ResponseClass.ANSWER);
  }

  @Test
  void errorsShareOneBucketPerNetwork() throws Exception {
    ResponseRateLimiter rrl = limiter(2, 0);
    byte[] refused1 = error("www.example.com.", Rcode.REFUSED);
    byte[] refused2 = error("www.example.org.", Rcode.REFUSED);
    assertThat(rrl.check(addr("192.0.2.1"), refused1)).isEqualTo(Verdict.SEND);
    assertThat(rrl.check(addr("192.0.2.1"), refused2)).isEqualTo(Verdict.SEND);
    assertThat(rrl.check(addr("192.0.2.1"), refused1)).isEqualTo(Verdict.DROP);
    assertThat(RrlKey.classify(refused1)).isEqualTo(ResponseClass.ERROR);
  }

  @Test
  void everyNthLimitedResponseSlips() throws Exception {
    byte[] answer = answer("mbp.alice.members.example.", Type.A);
    for (int slip : new int[] {0, 1, 2, 3}) {
      ResponseRateLimiter rrl = limiter(10, slip);
      Map<Verdict, Integer> v = send(rrl, "192.0.2.1", answer, 10 + 60);
      assertThat(v.getOrDefault(Verdict.SEND, 0)).as("slip " + slip).isEqualTo(10);
      int slipped = slip == 0 ? 0 : 60 / slip;
      assertThat(v.getOrDefault(Verdict.SLIP, 0)).as("slip " + slip).isEqualTo(slipped);
      assertThat(v.getOrDefault(Verdict.DROP, 0)).as("slip " + slip).isEqualTo(60 - slipped);
    }
  }

  @Test
  void theBucketRefillsAtTheRateAndHoldsOneSecondAtMost() throws Exception {
    ResponseRateLimiter rrl = limiter(10, 0);
    byte[] answer = answer("mbp.alice.members.example.", Type.A);
    assertThat(send(rrl, "192.0.2.1", answer, 11)).containsEntry(Verdict.SEND, 10);
    now[0] += 100; // a tenth of a second: one response's worth
    assertThat(send(rrl, "192.0.2.1", answer, 2))
        .containsEntry(Verdict.SEND, 1)
        .containsEntry(Verdict.DROP, 1);
    now[0] += 60_000; // a quiet minute refills one second's worth, not sixty
    assertThat(send(rrl, "192.0.2.1", answer, 15))
        .containsEntry(Verdict.SEND, 10)
        .containsEntry(Verdict.DROP, 5);
  }

  @Test
  void aFloodOfRandomSourcesNeitherGrowsTheTableNorFreesAFloodedClient() throws Exception {
    ResponseRateLimiter rrl = limiter(5, 0);
    byte[] answer = answer("mbp.alice.members.example.", Type.A);
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    Map<Verdict, Integer> flooded = new EnumMap<>(Verdict.class);
    int rounds = 2 * ResponseRateLimiter.ENTRIES; // twice the table: every set is overrun
    for (int i = 0; i < rounds; i++) {
      now[0]++; // one forged source a millisecond...
      byte[] a = new byte[4];
      int r = random.nextInt();
      a[0] = (byte) (r >> 24);
      a[1] = (byte) (r >> 16);
      a[2] = (byte) (r >> 8);
      a[3] = (byte) r;
      assertThat(rrl.check(InetAddress.getByAddress(a), answer))
          .as("each new network's first response")
          .isEqualTo(Verdict.SEND);
      if (i % 10 == 0) { // ...while one network asks 100 times a second
        flooded.merge(rrl.check(addr("198.51.100.1"), answer), 1, Integer::sum);
      }
    }
    int seconds = rounds / 1000;
    assertThat(flooded.get(Verdict.SEND))
        .as("the flooded network gets its rate, not more: it is never evicted")
        .isLessThanOrEqualTo(5 * (seconds + 2));
    assertThat(flooded.get(Verdict.DROP)).isGreaterThan(rounds / 10 - 5 * (seconds + 2));
  }

  @Test
  void aSlippedResponseIsTheHeaderWithTcAndTheQuestion() throws Exception {
    byte[] answer = answer("mbp.alice.members.example.", Type.A);
    byte[] slipped = ResponseRateLimiter.slipped(answer);
    Message m = new Message(slipped);
    assertThat(m.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(m.getQuestion().getName()).isEqualTo(Name.fromString("mbp.alice.members.example."));
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getSection(Section.ADDITIONAL)).isEmpty();
    assertThat(slipped.length).isLessThan(answer.length);
  }

  private static Map<Verdict, Integer> send(
      ResponseRateLimiter rrl, String client, byte[] response, int n) throws Exception {
    Map<Verdict, Integer> out = new EnumMap<>(Verdict.class);
    InetAddress a = addr(client);
    for (int i = 0; i < n; i++) {
      out.merge(rrl.check(a, response), 1, Integer::sum);
    }
    return out;
  }

  private static InetAddress addr(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static Message response(String qname, int type) throws Exception {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(qname), type, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    return m;
  }

  private static byte[] answer(String qname, int type) throws Exception {
    Message m = response(qname, type);
    Name n = Name.fromString(qname);
    m.addRecord(
        type == Type.A
            ? new ARecord(n, DClass.IN, 120, InetAddress.getByName("192.0.2.10"))
            : new AAAARecord(n, DClass.IN, 120, InetAddress.getByName("fd12::1")),
        Section.ANSWER);
    return m.toWire();
  }

  private static byte[] negative(String qname, Name zone, int rcode) throws Exception {
    Message m = response(qname, Type.A);
    m.getHeader().setRcode(rcode);
    m.addRecord(
        new SOARecord(
            zone,
            DClass.IN,
            60,
            Name.fromString("dns.members.example."),
            Name.fromString("hostmaster.members.example."),
            1,
            3600,
            600,
            86400,
            60),
        Section.AUTHORITY);
    return m.toWire();
  }

  private static byte[] referral() throws Exception {
    Message m = response("x.sub.alice.members.example.", Type.A);
    m.getHeader().unsetFlag(Flags.AA);
    m.addRecord(
        new NSRecord(
            Name.fromString("sub.alice.members.example."),
            DClass.IN,
            60,
            Name.fromString("ns.sub.alice.members.example.")),
        Section.AUTHORITY);
    return m.toWire();
  }

  private static byte[] error(String qname, int rcode) throws Exception {
    Message m = response(qname, Type.A);
    m.getHeader().setRcode(rcode);
    return m.toWire();
  }
}
