package net.membersdns.server.backup;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.member.KeyAlgorithms;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.store.postgres.BackupDao;
import net.membersdns.server.store.postgres.TsigKeyDao;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Name;

/**
 * The keys file of a members domain: one key per line, as {@code member add} prints it, then what
 * the key belongs to and may do, as {@code attribute=value} words:
 *
 * <pre>
 * key: hmac-sha256:alice.key.members.example.:BASE64 member=alice grant=update:zone:alice.members.example. grant=read:zone:alice.members.example.
 * key: hmac-sha256:mbp.alice.key.members.example.:BASE64 member=alice host=mbp grant=update:host:alice.members.example.:mbp grant=read:zone:alice.members.example.
 * key: hmac-sha256:ops.:BASE64 grant=update:members:members.example.
 * </pre>
 *
 * {@code grant=PERMISSION:SCOPE:ZONE[:HOST]} is a row of {@code key_grants}; {@code
 * kdf=ALGORITHM:ITERATIONS:SALT} keeps the parameters of a password-derived member key. Lines
 * starting with {@code #} are comments. A bare key line whose name is a member key's ({@code
 * M.key.<domain>}, what {@code import} wrote before) stands for member M with the member grants.
 * The file holds secrets: it is created mode 0600.
 */
public final class KeysFile {
  private KeysFile() {}

  /** One key of the file. */
  public record Entry(
      KeyLine key,
      String member,
      String host,
      String kdf,
      byte[] salt,
      Integer iterations,
      List<TsigKeyDao.Grant> grants) {
    public Entry {
      grants = List.copyOf(grants);
    }

    /** The entry of a key as stored. */
    public static Entry of(BackupDao.KeyEntry k) {
      return new Entry(
          new KeyLine(
              KeyAlgorithms.fromStored(k.algorithm()), Names.absolute(k.name()), k.secret()),
          k.member(),
          k.host(),
          k.kdf(),
          k.salt(),
          k.iterations(),
          k.grants());
    }

    /** The key name as stored (canonical text). */
    public String keyName() {
      return Names.canonical(key.name());
    }

    /** The key as the store keeps it. */
    public BackupDao.KeyEntry stored() {
      return new BackupDao.KeyEntry(
          keyName(),
          KeyAlgorithms.stored(key.algorithm()),
          key.secret(),
          member,
          host,
          kdf,
          salt,
          iterations,
          grants);
    }
  }

  /** The line of {@code e}. */
  public static String format(Entry e) {
    StringBuilder b = new StringBuilder(e.key().printed());
    if (e.member() != null) {
      b.append(" member=").append(e.member());
    }
    if (e.host() != null) {
      b.append(" host=").append(e.host());
    }
    if (e.kdf() != null) {
      b.append(" kdf=")
          .append(e.kdf())
          .append(':')
          .append(e.iterations())
          .append(':')
          .append(Base64.getEncoder().encodeToString(e.salt()));
    }
    for (TsigKeyDao.Grant g : e.grants()) {
      b.append(" grant=")
          .append(g.permission())
          .append(':')
          .append(g.scope())
          .append(':')
          .append(g.zonePattern());
      if (g.host() != null) {
        b.append(':').append(g.host());
      }
    }
    return b.toString();
  }

  /**
   * Parses one line of the keys file of {@code domain}.
   *
   * @return null for a blank or comment line
   * @throws IllegalArgumentException naming what is wrong (never the secret)
   */
  public static Entry parse(String line, Name domain) {
    String t = line.strip();
    if (t.isEmpty() || t.startsWith("#")) {
      return null;
    }
    String[] words = t.split("\\s+");
    int first = words[0].equalsIgnoreCase(KeyLine.PREFIX.strip()) ? 1 : 0;
    if (words.length <= first) {
      throw new IllegalArgumentException("no key on the line");
    }
    KeyLine key = KeyLine.parse(words[first]);
    String member = null;
    String host = null;
    String kdf = null;
    byte[] salt = null;
    Integer iterations = null;
    List<TsigKeyDao.Grant> grants = new ArrayList<>();
    for (int i = first + 1; i < words.length; i++) {
      String w = words[i];
      int eq = w.indexOf('=');
      String value = eq < 0 ? "" : w.substring(eq + 1);
      switch (eq < 0 ? w : w.substring(0, eq).toLowerCase(Locale.ROOT)) {
        case "member" -> member = value.toLowerCase(Locale.ROOT);
        case "host" -> host = value.toLowerCase(Locale.ROOT);
        case "grant" -> grants.add(grant(value, key));
        case "kdf" -> {
          String[] p = value.split(":");
          if (p.length != 3) {
            throw new IllegalArgumentException(
                "key " + key.name() + ": kdf is ALGORITHM:ITERATIONS:SALT");
          }
          kdf = p[0];
          iterations = Integer.valueOf(p[1]);
          salt = Base64.getDecoder().decode(p[2]);
        }
        default ->
            throw new IllegalArgumentException(
                "key " + key.name() + ": unknown attribute '" + w + "'");
      }
    }
    if (member == null && host == null && grants.isEmpty()) {
      // A bare member key line, as import used to append it.
      member = memberOf(key.name(), domain);
      if (member == null) {
        throw new IllegalArgumentException(
            "key " + key.name() + ": neither member= nor grant= says what it is for");
      }
      String zone = Names.canonical(MemberNames.zone(member, domain));
      grants.add(new TsigKeyDao.Grant(zone, TsigKeyDao.Grant.ZONE, "update"));
      grants.add(new TsigKeyDao.Grant(zone, TsigKeyDao.Grant.ZONE, "read"));
    }
    if (host != null && member == null) {
      throw new IllegalArgumentException("key " + key.name() + ": host= without member=");
    }
    return new Entry(key, member, host, kdf, salt, iterations, grants);
  }

  private static TsigKeyDao.Grant grant(String value, KeyLine key) {
    String[] p = value.split(":");
    if (p.length < 3 || p.length > 4) {
      throw new IllegalArgumentException(
          "key " + key.name() + ": grant is PERMISSION:SCOPE:ZONE[:HOST], not '" + value + "'");
    }
    String zone = Names.canonical(Names.absolute(p[2].endsWith(".") ? p[2] : p[2] + "."));
    return new TsigKeyDao.Grant(
        zone,
        p[1].toLowerCase(Locale.ROOT),
        p[0].toLowerCase(Locale.ROOT),
        p.length == 4 ? p[3] : null);
  }

  /** The member whose key {@code name} is ({@code M.key.<domain>}), or null. */
  private static String memberOf(Name name, Name domain) {
    if (name.labels() != domain.labels() + 2 || !name.subdomain(domain)) {
      return null;
    }
    String m = name.getLabelString(0).toLowerCase(Locale.ROOT);
    return MemberNames.keyName(m, domain).equals(name) ? m : null;
  }
}
