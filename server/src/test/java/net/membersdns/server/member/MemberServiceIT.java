package net.membersdns.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberDao;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.store.postgres.TsigKeyDao;
import net.membersdns.server.store.postgres.ZoneChangeDao;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.zone.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemberServiceIT {
  private TestDatabase testDb;
  private Database db;
  private MemberService members;

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.config(Path.of("target")), new SimpleMeterRegistry());
    members =
        new MemberService(
            new MemberStore(db),
            Names.absolute("members.example."),
            MemberNames.DEFAULT_RESERVED,
            new SecureRandom(),
            Clock.systemUTC());
  }

  @AfterEach
  void close() {
    db.close();
    testDb.close();
  }

  @Test
  void addCreatesZoneKeyGrantsJournalRowInOneGo() throws Exception {
    Enrolment e = members.add("Alice", TsigAlgorithm.HMAC_SHA256, Optional.empty());
    assertThat(e.member()).isEqualTo("alice");
    assertThat(e.zone().toString()).isEqualTo("alice.members.example.");
    assertThat(e.secret()).hasSize(32);
    assertThat(e.keyLine())
        .isEqualTo(
            "key: hmac-sha256:alice.key.members.example.:"
                + Base64.getEncoder().encodeToString(e.secret()));

    try (Connection c = db.dataSource().getConnection()) {
      List<TsigKeyDao.KeyRow> keys = TsigKeyDao.loadAll(c);
      assertThat(keys).hasSize(1);
      TsigKeyDao.KeyRow key = keys.get(0);
      assertThat(key.name()).isEqualTo("alice.key.members.example.");
      assertThat(key.algorithm()).isEqualTo("hmac-sha256.");
      assertThat(key.secret()).isEqualTo(e.secret());
      assertThat(key.member()).isEqualTo("alice");
      assertThat(key.grants())
          .containsExactlyInAnyOrder(
              new TsigKeyDao.Grant("alice.members.example.", "zone", "update"),
              new TsigKeyDao.Grant("alice.members.example.", "zone", "read"));
      List<ZoneChangeDao.Change> journal = ZoneChangeDao.since(c, "alice.members.example.", 0);
      assertThat(journal).extracting(ZoneChangeDao.Change::kind).containsExactly("create");
    }
    assertThat(members.list())
        .extracting(MemberDao.MemberRow::name, MemberDao.MemberRow::keyName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", "alice.key.members.example."));
  }

  @Test
  void duplicateMemberIsARefusalNotACrash() {
    members.add("bob", TsigAlgorithm.HMAC_MD5, Optional.empty());
    assertThatThrownBy(() -> members.add("bob", TsigAlgorithm.HMAC_SHA256, Optional.empty()))
        .isInstanceOf(MemberException.class)
        .hasMessage("member bob already exists");
  }

  @Test
  void rejectsBadAndReservedNames() {
    assertThatThrownBy(() -> members.add("dns", TsigAlgorithm.HMAC_SHA256, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> members.add("a.b", TsigAlgorithm.HMAC_SHA256, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one DNS label");
    assertThat(members.list()).isEmpty();
  }

  @Test
  void passwordDerivedKeyStoresItsKdfParameters() throws Exception {
    char[] password = "correct horse battery staple".toCharArray();
    Enrolment e = members.add("carol", TsigAlgorithm.HMAC_MD5, Optional.of(password.clone()));
    assertThat(e.secret()).hasSize(16);
    try (Connection c = db.dataSource().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT kdf, salt, iterations, secret FROM tsig_keys")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("pbkdf2-hmac-sha256");
      assertThat(rs.getInt(3)).isGreaterThanOrEqualTo(200_000);
      byte[] again = KeyMaterial.derive(password, rs.getBytes(2), rs.getInt(3), 16);
      assertThat(rs.getBytes(4)).isEqualTo(again).isEqualTo(e.secret());
    }
  }

  @Test
  void removeDeletesZoneRecordsKeyAndGrantsAndJournalsIt() throws Exception {
    members.add("dave", TsigAlgorithm.HMAC_SHA512, Optional.empty());
    assertThat(members.remove("dave")).isEqualTo("dave.members.example.");
    try (Connection c = db.dataSource().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM zones), (SELECT count(*) FROM tsig_keys),"
                        + " (SELECT count(*) FROM key_grants)")) {
      rs.next();
      assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3))).containsOnly(0);
      assertThat(ZoneChangeDao.since(c, "dave.members.example.", 0))
          .extracting(ZoneChangeDao.Change::kind)
          .containsExactly("create", "remove");
    }
    assertThatThrownBy(() -> members.remove("dave"))
        .isInstanceOf(MemberException.class)
        .hasMessage("no member named dave");
  }
}
