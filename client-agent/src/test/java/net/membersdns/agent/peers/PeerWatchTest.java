package net.membersdns.agent.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import net.membersdns.agent.loop.ManualScheduler;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.names.HostNames;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The peer watch on a fake clock against a scripted zone: a full read on attach, LLQ on the browse
 * name and every record name of the other hosts, an event re-reads one host, and polling every
 * 30–60 s while LLQ is refused.
 */
class PeerWatchTest {
  static final Name D = Name.fromConstantString("alice.members.example.");

  ManualScheduler loop = new ManualScheduler(Instant.parse("2026-11-30T10:00:00Z"));
  FakeServer server = new FakeServer();
  List<Map<String, PeerRecords>> seen = new ArrayList<>();

  /** The zone as the fake serves it: host label → public A. */
  Map<String, String> zone =
      new java.util.TreeMap<>(Map.of("mbp", "198.18.1.2", "mini", "198.18.2.2"));

  boolean llqRefused;

  PeerWatch watch =
      new PeerWatch(
          D,
          "mbp",
          loop,
          new PeerWatch.Listener() {
            @Override
            public void peersChanged(Map<String, PeerRecords> peers) {
              seen.add(peers);
            }

            @Override
            public void watchChanged() {}
          },
          new RandomGenerator() {
            @Override
            public long nextLong() {
              return 0;
            }

            @Override
            public double nextDouble() {
              return 0.5;
            }
          });

  PeerWatchTest() {
    server.answer = this::answer;
  }

  Message answer(Message q) {
    if (!EdnsOptions.llq(q).isEmpty()) {
      LlqOption o = FakeServer.llq(q);
      int err = llqRefused ? LlqOption.SERV_FULL : LlqOption.NO_ERROR;
      return FakeServer.llqResponse(
          q,
          new LlqOption(
              1,
              o.opcode(),
              err,
              llqRefused ? 0 : 0x100 + server.requests.size(),
              llqRefused ? 60 : 3600));
    }
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.addRecord(q.getQuestion(), Section.QUESTION);
    Name name = q.getQuestion().getName();
    int type = q.getQuestion().getType();
    List<Record> rrs = new ArrayList<>();
    try {
      for (var e : zone.entrySet()) {
        String h = e.getKey();
        if (type == Type.PTR && name.equals(HostNames.browse(D))) {
          rrs.add(new PTRRecord(name, DClass.IN, 120, HostNames.tunnelService(D, h)));
        } else if (type == Type.AAAA && name.equals(HostNames.host(D, h))) {
          rrs.add(
              new AAAARecord(name, DClass.IN, 120, InetAddress.getByName("fd00::" + h.length())));
        } else if (type == Type.SRV && name.equals(HostNames.tunnelService(D, h))) {
          rrs.add(new SRVRecord(name, DClass.IN, 120, 0, 0, 51820, HostNames.tunnelTarget(D, h)));
        } else if (type == Type.A && name.equals(HostNames.tunnelTarget(D, h))) {
          rrs.add(new ARecord(name, DClass.IN, 120, InetAddress.getByName(e.getValue())));
        } else if (type == Type.TXT && name.equals(HostNames.tunnelTarget(D, h))) {
          rrs.add(new TXTRecord(name, DClass.IN, 120, "wg=KEY-" + h));
        }
      }
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
    rrs.forEach(rr -> r.addRecord(rr, Section.ANSWER));
    r.getHeader().setRcode(Rcode.NOERROR);
    return r;
  }

  long llqSetups() {
    return server.requests.stream()
        .filter(m -> !EdnsOptions.llq(m).isEmpty() && FakeServer.llq(m).opcode() == LlqOption.SETUP)
        .count();
  }

  long browseReads() {
    return server.requests.stream()
        .filter(m -> EdnsOptions.llq(m).isEmpty() && m.getQuestion().getType() == Type.PTR)
        .count();
  }

  @Test
  void attachReadsEveryOtherHostAndSubscribesToItsNames() {
    watch.attach(server);
    loop.runDue();
    assertThat(seen).last().satisfies(p -> assertThat(p).containsOnlyKeys("mini"));
    PeerRecords mini = watch.peers().get("mini");
    assertThat(mini.publicEndpoint())
        .hasValueSatisfying(e -> assertThat(e.getPort()).isEqualTo(51820));
    assertThat(mini.tunnelKey()).contains("KEY-mini");
    // browse PTR + AAAA, SRV, A, TXT of the host and the LAN A
    assertThat(watch.llqWanted()).isEqualTo(6);
    assertThat(watch.llqEstablished()).isEqualTo(6);
    assertThat(watch.mode()).isEqualTo(PeerWatch.Mode.LLQ);
  }

  @Test
  void anEventReReadsThatHostAfterAMoment() {
    watch.attach(server);
    loop.runDue();
    zone.put("mini", "198.18.1.2"); // it moved
    long idOfMiniA =
        server.requests.stream()
            .filter(m -> !EdnsOptions.llq(m).isEmpty())
            .filter(m -> m.getQuestion().getName().equals(HostNames.tunnelTarget(D, "mini")))
            .filter(m -> m.getQuestion().getType() == Type.A)
            .map(m -> 0x100L + server.requests.indexOf(m) + 1)
            .findFirst()
            .orElseThrow();
    watch.onUnsolicited(FakeServer.event(idOfMiniA));
    loop.advance(PeerWatch.COALESCE);
    assertThat(
            watch.peers().get("mini").publicEndpoint().orElseThrow().getAddress().getHostAddress())
        .isEqualTo("198.18.1.2");
  }

  @Test
  void withoutLlqItPollsEveryThirtyToSixtySecondsAndSaysSo() {
    llqRefused = true;
    watch.attach(server);
    loop.runDue();
    assertThat(watch.mode()).isEqualTo(PeerWatch.Mode.POLLING);
    assertThat(watch.pollingReason()).contains("the server is full (SERV-FULL)");
    long reads = browseReads();
    zone.put("imac", "198.18.3.2"); // a host appears; no event will say so
    loop.advance(Duration.ofSeconds(44));
    assertThat(browseReads()).isEqualTo(reads);
    loop.advance(Duration.ofSeconds(2)); // 30 s + half of the 30 s jitter
    assertThat(browseReads()).isEqualTo(reads + 1);
    assertThat(watch.peers()).containsKeys("mini", "imac");
  }

  @Test
  void aLostConnectionKeepsWhatIsKnownAndANewOneReadsEverythingAgain() {
    watch.attach(server);
    loop.runDue();
    watch.detach();
    assertThat(watch.mode()).isEqualTo(PeerWatch.Mode.DISCONNECTED);
    assertThat(watch.peers()).containsKey("mini"); // tunnels keep working without the server
    zone.remove("mini");
    FakeServer again = new FakeServer();
    again.answer = this::answer;
    watch.attach(again);
    loop.runDue();
    assertThat(watch.peers()).isEmpty();
  }

  @Test
  void anUnverifiedAnswerIsNeverUsed() {
    FakeServer forger = new FakeServer();
    forger.answer = this::answer;
    forger.check = net.membersdns.agent.dns.RequestSigner.Check.BAD;
    watch.attach(forger);
    loop.runDue();
    assertThat(watch.peers()).isEmpty();
    assertThat(watch.lastError()).hasValueSatisfying(e -> assertThat(e).contains("not signed"));
  }
}
