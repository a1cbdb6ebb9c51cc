package net.membersdns.server.store.postgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** How records are stored: owner as canonical text, RDATA as canonical uncompressed wire form. */
public final class RecordCodec {
  private RecordCodec() {}

  /**
   * RDATA in the canonical form of RFC 4034 §6.2 (names in RDATA lower-cased for the types that
   * section lists), so the table's unique key agrees with dnsjava's {@link Record#equals} and with
   * RFC 2136 §1.1.1's case-insensitive comparison.
   */
  public static byte[] rdata(Record r) {
    return r.rdataToWireCanonical();
  }

  /** The owner as stored: canonical lower case, absolute (trailing dot). */
  public static String owner(Record r) {
    return r.getName().canonicalize().toString();
  }

  /** Rebuilds a record from its stored columns. */
  public static Record decode(Name owner, int type, int dclass, long ttl, byte[] rdata) {
    return Record.newRecord(owner, type, dclass, ttl, rdata);
  }

  /** Journal text: one record per line, master-file format with absolute names. */
  public static String journalText(Collection<Record> records) {
    return records.stream().map(Record::toString).collect(Collectors.joining("\n"));
  }

  /** The records of {@link #journalText} output (absolute names, explicit TTL and class). */
  public static List<Record> parseJournalText(String text) {
    List<Record> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    try (Master m =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        out.add(r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable journal text: " + e.getMessage(), e);
    }
    return out;
  }
}
