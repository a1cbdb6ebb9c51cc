package net.membersdns.server.member;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.store.postgres.MemberDao;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.store.postgres.ZoneDao;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;

/**
 * Adds, lists and removes members of one members domain. Each add or remove is ONE transaction that
 * also writes the journal row and the NOTIFY, so every server sharing the database picks it up
 * (docs/architecture.md, Data flow). Thread-safe; every method blocks on JDBC. Database failures
 * are {@link net.membersdns.server.store.StoreException}s; refusals (duplicate, unknown, bad name)
 * are {@link MemberException} or {@link IllegalArgumentException} with a readable message.
 */
public final class MemberService {
  private final MemberStore store;
  private final Name domain;
  private final Set<String> reserved;
  private final SecureRandom random;
  private final Clock clock;

  /**
   * @param domain the members domain, e.g. {@code members.example.}
   * @param reserved labels no member may take, e.g. {@link MemberNames#DEFAULT_RESERVED}
   */
  public MemberService(
      MemberStore store, Name domain, Set<String> reserved, SecureRandom random, Clock clock) {
    this.store = store;
    this.domain = domain;
    this.reserved = Set.copyOf(reserved);
    this.random = random;
    this.clock = clock;
  }

  public Name domain() {
    return domain;
  }

  /**
   * Enrols {@code name} with a key of {@code algorithm}: random, or derived from {@code password}
   * when given (PBKDF2-HMAC-SHA256, random salt; parameters stored).
   *
   * @throws IllegalArgumentException if the name is not a valid, unreserved label
   * @throws MemberException if the member exists already
   */
  public Enrolment add(String name, TsigAlgorithm algorithm, Optional<char[]> password) {
    String member = MemberNames.validate(name, reserved);
    KeyMaterial key =
        password.isPresent()
            ? KeyMaterial.fromPassword(algorithm, password.get(), random)
            : KeyMaterial.random(algorithm, random);
    MemberDao.NewMember row = newMember(member, algorithm, key);
    List<String> created = store.enrol(List.of(row));
    if (created.isEmpty()) {
      throw new MemberException("member " + member + " already exists");
    }
    Enrolment enrolment =
        new Enrolment(
            member,
            MemberNames.zone(member, domain),
            MemberNames.keyName(member, domain),
            algorithm,
            key.secret());
    audit("member.add", enrolment);
    return enrolment;
  }

  /** The audit line of a member enrolled, by {@code member add} or by {@code import}. */
  public static void audit(String event, Enrolment e) {
    AuditLog.admin(event)
        .with("member", e.member())
        .with("zone", e.zone().toString())
        .with("key", e.keyName().toString())
        .with("algorithm", e.algorithm().presentationName())
        .log();
  }

  /** The row {@link MemberDao#enrol} needs for {@code member} (already validated). */
  public MemberDao.NewMember newMember(String member, TsigAlgorithm algorithm, KeyMaterial key) {
    return new MemberDao.NewMember(
        member,
        Names.canonical(MemberNames.zone(member, domain)),
        ZoneDao.initialSerial(clock),
        Names.canonical(MemberNames.keyName(member, domain)),
        KeyAlgorithms.stored(algorithm),
        key.secret(),
        key.kdf(),
        key.salt(),
        key.iterations());
  }

  /** Every member with its zone and key, by name. */
  public List<MemberDao.MemberRow> list() {
    return store.members();
  }

  /**
   * Removes member {@code name}: zone, records, key and grants go; journaled and notified.
   *
   * @return the removed zone's apex
   * @throws MemberException if there is no such member
   */
  public String remove(String name) {
    String member = name.toLowerCase(java.util.Locale.ROOT);
    String apex =
        store
            .removeMember(member)
            .orElseThrow(() -> new MemberException("no member named " + member));
    AuditLog.admin("member.remove").with("member", member).with("zone", apex).log();
    return apex;
  }

  /**
   * The stored records of member {@code name}'s zone, by owner and type.
   *
   * @throws MemberException if there is no such member
   */
  public List<ZoneRecord> records(String name) {
    String member = name.toLowerCase(java.util.Locale.ROOT);
    return store
        .records(member)
        .orElseThrow(() -> new MemberException("no member named " + member));
  }
}
