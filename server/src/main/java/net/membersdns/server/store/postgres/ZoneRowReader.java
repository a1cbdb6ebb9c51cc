package net.membersdns.server.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneRows;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Reads record rows ({@link RecordDao#COLUMNS}) into {@link ZoneRows} for the start-up load,
 * without a dnsjava record per row: the stored RDATA is the canonical uncompressed wire form (RFC
 * 4034 §6.2), which for the common types is byte for byte what dnsjava writes for the record it
 * decodes to, so it is kept as read once its structure is checked. Other types, and RDATA that does
 * not check, go through dnsjava as before. Owner names are parsed once per zone, plain ones (the
 * canonical text the store writes) straight to wire form. Not thread-safe: one per zone.
 */
final class ZoneRowReader {
  private final Map<String, Name> names = new HashMap<>();

  /** Reads the six columns starting at column {@code first} into {@code rows}. */
  void read(ResultSet rs, int first, ZoneRows rows) throws SQLException {
    String owner = rs.getString(first);
    int type = rs.getInt(first + 1);
    int dclass = rs.getInt(first + 2);
    long ttl = rs.getLong(first + 3);
    byte[] rdata = rs.getBytes(first + 4);
    Timestamp lease = rs.getTimestamp(first + 5);
    add(
        rows,
        owner,
        type,
        dclass,
        ttl,
        rdata,
        lease == null ? ZoneRecord.PERMANENT : lease.getTime());
  }

  /** Adds one row from its stored columns (owner text, type, class, TTL, canonical RDATA). */
  void add(
      ZoneRows rows, String ownerText, int type, int dclass, long ttl, byte[] rdata, long expiry) {
    Name owner = names.computeIfAbsent(ownerText, ZoneRowReader::owner);
    if (asDnsjavaWrites(type, rdata)) {
      rows.add(owner, type, dclass, ttl, rdata, 0, rdata.length, expiry);
    } else {
      rows.add(RecordCodec.decode(owner, type, dclass, ttl, rdata), expiry);
    }
  }

  /**
   * The owner from its stored text: lower-case letters, digits, '-' and '_' in labels of 1–63
   * octets with the trailing dot go straight to wire form (RFC 1035 §3.1); anything else (escapes,
   * upper case, the root) through dnsjava's parser.
   */
  static Name owner(String text) {
    int n = text.length();
    if (n < 2 || n > 254 || text.charAt(n - 1) != '.') {
      return Names.absolute(text);
    }
    byte[] wire = new byte[n + 1];
    int labelStart = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        int length = i - labelStart;
        if (length == 0 || length > 63) {
          return Names.absolute(text);
        }
        wire[labelStart] = (byte) length;
        labelStart = i + 1;
      } else if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
        wire[i + 1] = (byte) c;
      } else {
        return Names.absolute(text);
      }
    }
    try {
      return new Name(new DNSInput(wire));
    } catch (WireParseException e) {
      return Names.absolute(text);
    }
  }

  /**
   * Whether {@code rdata} is well formed for {@code type} and dnsjava would write back exactly
   * these bytes for the record it decodes (uncompressed names, RFC 3597 §4 for the rest).
   */
  static boolean asDnsjavaWrites(int type, byte[] rdata) {
    return switch (type) {
      case Type.A -> rdata.length == 4;
      case Type.AAAA -> rdata.length == 16;
      case Type.TXT -> strings(rdata);
      case Type.SRV -> rdata.length > 6 && nameEndsAt(rdata, 6);
      case Type.MX -> rdata.length > 2 && nameEndsAt(rdata, 2);
      case Type.CNAME, Type.NS, Type.PTR -> nameEndsAt(rdata, 0);
      default -> false;
    };
  }

  /** RFC 1035 §3.3.14: one or more <character-string>s filling the RDATA exactly. */
  private static boolean strings(byte[] rdata) {
    int at = 0;
    while (at < rdata.length) {
      at += 1 + (rdata[at] & 0xFF);
    }
    return rdata.length > 0 && at == rdata.length;
  }

  /** An uncompressed name (RFC 1035 §3.1, at most 255 octets) from {@code at} to the end. */
  private static boolean nameEndsAt(byte[] rdata, int at) {
    int start = at;
    while (at < rdata.length) {
      int length = rdata[at] & 0xFF;
      if (length == 0) {
        return at + 1 == rdata.length && at + 1 - start <= 255;
      }
      if (length > 63) {
        return false;
      }
      at += 1 + length;
    }
    return false;
  }
}
