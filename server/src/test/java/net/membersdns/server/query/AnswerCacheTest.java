package net.membersdns.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.ServedZones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class AnswerCacheTest {
  private static final long NOW = 1_700_000_000_000L;

  private final ServedZones zones =
      Zones.served(Zones.member("alice", 7, hosts(400)), Zones.domain(3, ""));
  private final QueryHandler handler = new QueryHandler(new Lookup(zones));

  private static String hosts(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append("h").append(i).append(" AAAA fd12:3456:789a:1::").append(i + 1).append('\n');
    }
    return s.toString();
  }

  private static byte[] query(String name, int id) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.AAAA, 1 /* IN */));
    q.getHeader().setID(id);
    return q.toWire();
  }

  /** Asks {@code name} on the full path and offers the answer to {@code cache}. */
  private void remember(AnswerCache cache, String name) throws Exception {
    byte[] wire = query(name, 1);
    QueryHandler.Answer a = handler.answer(new Message(wire), NOW);
    cache.remember(wire, a, a.message().toWire());
  }

  @Test
  void theEntriesNeverHoldMoreThanTheBound() throws Exception {
    long bound = 20_000;
    AnswerCache cache = new AnswerCache(zones, bound);
    for (int i = 0; i < 400; i++) {
      remember(cache, "h" + i + ".alice.members.example.");
      assertThat(cache.bytes()).isLessThanOrEqualTo(bound);
    }
    // Room was made by halves: the newest answer is in, and so is a share of the older ones.
    assertThat(cache.answer(query("h399.alice.members.example.", 9), Transport.UDP, NOW))
        .isNotNull();
    assertThat(cache.size()).isGreaterThan(1);
  }

  @Test
  void bytesCountEachQuestionOnce() throws Exception {
    AnswerCache cache = new AnswerCache(zones, 1 << 20);
    remember(cache, "h1.alice.members.example.");
    long one = cache.bytes();
    assertThat(one).isGreaterThan(AnswerCache.ENTRY_OVERHEAD);
    remember(cache, "H1.ALICE.members.example.");
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.bytes()).isEqualTo(one);
  }

  @Test
  void anAnswerOfASupersededZoneIsLetGoWhenAsked() throws Exception {
    AnswerCache cache = new AnswerCache(zones, 1 << 20);
    remember(cache, "h1.alice.members.example.");
    remember(cache, "h2.alice.members.example.");
    zones.put(Zones.member("alice", 8, hosts(3)));
    assertThat(cache.answer(query("h1.alice.members.example.", 5), Transport.UDP, NOW)).isNull();
    assertThat(cache.size()).isEqualTo(1);
    // and the stale rest goes first when room is needed
    AnswerCache tight = new AnswerCache(zones, 1);
    remember(tight, "h1.alice.members.example.");
    assertThat(tight.size()).isZero();
    assertThat(tight.bytes()).isZero();
  }

  @Test
  void zeroTurnsTheCacheOff() throws Exception {
    AnswerCache cache = new AnswerCache(zones, 0);
    remember(cache, "h1.alice.members.example.");
    assertThat(cache.size()).isZero();
    assertThat(cache.answer(query("h1.alice.members.example.", 2), Transport.UDP, NOW)).isNull();
  }
}
