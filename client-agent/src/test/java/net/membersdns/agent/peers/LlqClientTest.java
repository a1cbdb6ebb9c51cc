package net.membersdns.agent.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import net.membersdns.agent.loop.ManualScheduler;
import net.membersdns.protocol.edns.LlqOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The LLQ client's state machine (RFC 8764 §5.2, §7) on a fake clock against a scripted server. */
class LlqClientTest {
  static final Question AAAA =
      new Question(Name.fromConstantString("mbp-b.alice.members.example."), Type.AAAA);
  static final Question PTR =
      new Question(Name.fromConstantString("_autotunnel._udp.alice.members.example."), Type.PTR);

  ManualScheduler loop = new ManualScheduler(Instant.parse("2026-11-30T10:00:00Z"));
  FakeServer server = new FakeServer();
  List<Question> changed = new ArrayList<>();
  LlqClient client;

  @BeforeEach
  void setUp() {
    RandomGenerator half =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            return 0;
          }

          @Override
          public double nextDouble() {
            return 0.5;
          }
        };
    client =
        new LlqClient(
            loop,
            new LlqClient.Listener() {
              @Override
              public void changed(Question q) {
                changed.add(q);
              }

              @Override
              public void stateChanged() {}
            },
            half);
  }

  List<LlqOption> sent() {
    return server.requests.stream().map(FakeServer::llq).toList();
  }

  @Test
  void setsUpOverTheConnectionWithAZeroIdAndSevenTwoHundredSeconds() {
    server.grantingLease(3600);
    client.want(Set.of(AAAA));
    client.attach(server);
    loop.runDue();
    assertThat(sent()).containsExactly(new LlqOption(1, LlqOption.SETUP, 0, 0, 7200));
    assertThat(client.established()).isEqualTo(1);
    assertThat(changed).containsExactly(AAAA); // the setup's answers: re-read
  }

  @Test
  void refreshesAtHalfTheLeasePlusATenthJitterWithTheSameId() {
    server.grantingLease(3600);
    client.attach(server);
    client.want(Set.of(AAAA));
    loop.runDue();
    loop.advance(Duration.ofSeconds(1979));
    assertThat(sent()).hasSize(1);
    loop.advance(Duration.ofSeconds(1)); // 1800 s + 0.5 × 360 s
    assertThat(sent())
        .last()
        .isEqualTo(new LlqOption(1, LlqOption.REFRESH, 0, FakeServer.id(0), 7200));
    assertThat(client.established()).isEqualTo(1);
  }

  @Test
  void anEventForOurIdReportsItsQuestionAndOthersAreIgnored() {
    server.grantingLease(3600);
    client.attach(server);
    client.want(Set.of(AAAA, PTR));
    loop.runDue();
    changed.clear();
    client.onUnsolicited(FakeServer.event(0xdead));
    assertThat(changed).isEmpty();
    long aaaaId =
        server.requests.stream()
            .filter(m -> m.getQuestion().getType() == Type.AAAA)
            .findFirst()
            .map(m -> FakeServer.id(server.requests.indexOf(m)))
            .orElseThrow();
    client.onUnsolicited(FakeServer.event(aaaaId));
    assertThat(changed).containsExactly(AAAA);
  }

  @Test
  void noSuchLlqOnRefreshStartsOver() {
    server.grantingLease(1000);
    client.attach(server);
    client.want(Set.of(AAAA));
    loop.runDue();
    server.answer =
        m ->
            FakeServer.llq(m).opcode() == LlqOption.REFRESH
                ? FakeServer.llqResponse(
                    m,
                    new LlqOption(
                        1, LlqOption.REFRESH, LlqOption.NO_SUCH_LLQ, FakeServer.llq(m).id(), 0))
                : FakeServer.llqResponse(m, new LlqOption(1, LlqOption.SETUP, 0, 0x77, 1000));
    loop.advance(Duration.ofSeconds(600));
    assertThat(sent())
        .extracting(LlqOption::opcode)
        .containsExactly(LlqOption.SETUP, LlqOption.REFRESH, LlqOption.SETUP);
    assertThat(client.established()).isEqualTo(1);
  }

  @Test
  void aFailedSetupIsRetriedWithBackoffAndReportedAsTheFailure() {
    server.answer =
        m ->
            FakeServer.llqResponse(
                m, new LlqOption(1, LlqOption.SETUP, LlqOption.SERV_FULL, 0, 120));
    client.attach(server);
    client.want(Set.of(AAAA));
    loop.runDue();
    assertThat(client.established()).isZero();
    assertThat(client.failure()).contains("the server is full (SERV-FULL)");
    loop.advance(Duration.ofSeconds(119));
    assertThat(sent()).hasSize(1);
    server.grantingLease(3600);
    loop.advance(Duration.ofSeconds(1)); // SERV-FULL's lease is the retry hint
    assertThat(client.established()).isEqualTo(1);
    assertThat(client.failure()).isEmpty();
  }

  @Test
  void aLostConnectionLosesEveryLlqAndANewOneSetsThemUpAgain() {
    server.grantingLease(3600);
    client.attach(server);
    client.want(Set.of(AAAA, PTR));
    loop.runDue();
    client.detach();
    assertThat(client.established()).isZero();
    assertThat(loop.pending()).isZero(); // no refresh timers left for a dead connection
    FakeServer second = new FakeServer().grantingLease(3600);
    client.attach(second);
    loop.runDue();
    assertThat(second.requests).extracting(m -> FakeServer.llq(m).opcode()).containsOnly(1);
    assertThat(client.established()).isEqualTo(2);
  }

  @Test
  void answersFromAnOldConnectionAreIgnored() {
    server.answer = m -> null; // leave the setup unanswered
    client.attach(server);
    client.want(Set.of(AAAA));
    FakeServer second = new FakeServer().grantingLease(3600);
    client.attach(second);
    loop.runDue();
    server
        .pending
        .get(0)
        .complete(
            FakeServer.verified(
                FakeServer.llqResponse(server.requests.get(0), new LlqOption(1, 1, 0, 0x55, 9))));
    loop.runDue();
    assertThat(client.established()).isEqualTo(1);
    assertThat(client.earliestExpiry()).contains(loop.now().plusSeconds(3600));
  }

  @Test
  void questionsNoLongerWantedAreCancelledWithLeaseZero() {
    server.grantingLease(3600);
    client.attach(server);
    client.want(Set.of(AAAA, PTR));
    loop.runDue();
    client.want(Set.of(PTR));
    Message last = server.requests.get(server.requests.size() - 1);
    assertThat(last.getQuestion().getType()).isEqualTo(Type.AAAA);
    assertThat(FakeServer.llq(last).opcode()).isEqualTo(LlqOption.REFRESH);
    assertThat(FakeServer.llq(last).lease()).isZero();
    assertThat(client.wanted()).isEqualTo(1);
  }

  @Test
  void noAnswerAtAllCountsAsAFailure() {
    server.answer = m -> null;
    client.attach(server);
    client.want(Set.of(AAAA));
    server.dropConnection();
    loop.runDue();
    assertThat(client.failure()).hasValueSatisfying(f -> assertThat(f).startsWith("no answer"));
  }
}
