package net.membersdns.server.member;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import net.membersdns.protocol.names.HostNames;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.store.postgres.HostDao;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Per-host keys of a member: each host gets a TSIG key of its own that may write only its own names
 * in the member zone ({@link HostNames#mayWrite}) and read the whole zone (RFC 6281 §4.3: hosts
 * register their records; a host reads the others' to reach them). Revoking one host then touches
 * no other. Each call is ONE transaction that also sends the keys NOTIFY, so every running server
 * accepts or refuses the key within the notification's latency; {@link #remove} also withdraws the
 * host's records as a journaled commit of the zone.
 *
 * <p>Thread-safe; every method blocks on JDBC. Refusals are {@link MemberException} (unknown member
 * or host, duplicate) or {@link IllegalArgumentException} (bad host label), readable and without
 * secrets.
 */
public final class HostService {
  private final MemberStore store;
  private final Name domain;
  private final SecureRandom random;

  public HostService(MemberStore store, Name domain, SecureRandom random) {
    this.store = store;
    this.domain = domain;
    this.random = random;
  }

  /**
   * A host just enrolled.
   *
   * @param name the host's own name in the zone, {@code HOST.<member zone>}
   * @param key the key, to be shown once
   * @param grants the grants it was given, as {@code key list} shows them
   */
  public record HostEnrolment(
      String member, String host, Name name, KeyLine key, List<String> grants) {}

  /**
   * A host removed.
   *
   * @param serial the zone's serial after the records went; empty if the host had none
   */
  public record HostRemoval(
      String member, String host, String keyName, List<Record> records, OptionalLong serial) {}

  /**
   * Enrols host {@code host} of {@code member} with a random key of {@code algorithm}, named {@link
   * MemberNames#hostKeyName}.
   *
   * @throws IllegalArgumentException if {@code host} is not one DNS label
   * @throws MemberException if there is no such member, or it has that host already
   */
  public HostEnrolment add(String member, String host, TsigAlgorithm algorithm) {
    String m = member.toLowerCase(Locale.ROOT);
    String h = HostNames.label(host);
    Name keyName = MemberNames.hostKeyName(m, h, domain);
    byte[] secret = KeyMaterial.random(algorithm, random).secret();
    HostDao.NewHost row =
        new HostDao.NewHost(
            m, h, Names.canonical(keyName), KeyAlgorithms.stored(algorithm), secret);
    HostDao.AddOutcome outcome = store.addHost(row);
    return switch (outcome) {
      case HostDao.AddOutcome.Added a -> {
        AuditLog.admin("host.add")
            .with("member", m)
            .with("host", h)
            .with("key", keyName.toString())
            .with("algorithm", algorithm.presentationName())
            .with("grants", a.grants().toString())
            .log();
        yield new HostEnrolment(
            m,
            h,
            HostNames.host(Names.absolute(a.zoneApex()), h),
            new KeyLine(algorithm, keyName, secret),
            a.grants().stream().map(Object::toString).toList());
      }
      case HostDao.AddOutcome.Refused r ->
          throw new MemberException(
              switch (r) {
                case NO_MEMBER -> "no member named " + m;
                case HOST_EXISTS -> "member " + m + " has a host named " + h + " already";
                case KEY_NAME_TAKEN -> "a key named " + keyName + " exists already";
              });
    };
  }

  /**
   * The host keys of {@code member}, by host.
   *
   * @throws MemberException if there is no such member
   */
  public List<HostDao.HostRow> list(String member) {
    String m = member.toLowerCase(Locale.ROOT);
    return store.hosts(m).orElseThrow(() -> new MemberException("no member named " + m));
  }

  /**
   * Removes host {@code host} of {@code member}: its key, and every stored record of the member
   * zone that the host's key could have written ({@link HostNames#mayWrite} of the stored RR: the
   * names at and below {@code HOST.D}, its DNS-SD instances {@code HOST._svc._proto.D}, and the
   * PTRs at service type names that point at those), whoever wrote them.
   *
   * @throws MemberException if there is no such member or host
   */
  public HostRemoval remove(String member, String host) {
    String m = member.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (!HostNames.isLabel(h)) {
      throw new MemberException("member " + m + " has no host named " + host);
    }
    HostDao.RemoveOutcome outcome =
        store.removeHost(m, h, (zone, rr) -> HostNames.mayWrite(zone, h, rr));
    return switch (outcome) {
      case HostDao.RemoveOutcome.Removed r -> {
        AuditLog.admin("host.remove")
            .with("member", m)
            .with("host", h)
            .with("key", r.keyName())
            .with("records", r.records().size())
            .log();
        yield new HostRemoval(
            m,
            h,
            r.keyName(),
            r.records(),
            r.version().isPresent()
                ? OptionalLong.of(r.version().get().serial())
                : OptionalLong.empty());
      }
      case HostDao.RemoveOutcome.Refused r ->
          throw new MemberException(
              switch (r) {
                case NO_MEMBER -> "no member named " + m;
                case NO_HOST -> "member " + m + " has no host named " + h;
              });
    };
  }
}
