package net.membersdns.server.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The update leases (RFC 9664) of an exported master file. A master file has no lease, so {@code
 * export} writes a leased record on one line with its absolute owner name and TTL, followed by the
 * comment {@code ; lease-expires=<instant>}: any other reader takes the line as a plain record, and
 * {@code import} restores the lease, so a restored host record still goes when its host stops
 * refreshing it, as it would have.
 */
public final class Leases {
  /** The comment that carries a lease, after the record on the same line. */
  public static final String MARK = "; lease-expires=";

  private Leases() {}

  /** The line of a leased record. */
  public static String annotate(Record r, Instant expires) {
    return r + " " + MARK + expires;
  }

  /**
   * The leases annotated in {@code file}, by record (dnsjava's record equality: owner, type, class,
   * RDATA; not TTL).
   *
   * @throws IOException when an annotated line is not one record or its instant is not ISO-8601
   */
  public static Map<Record, Instant> read(Path file, Name origin) throws IOException {
    Map<Record, Instant> out = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int mark = line.indexOf(MARK);
      if (mark < 0) {
        continue;
      }
      String where = file + ":" + (i + 1);
      Instant expires;
      try {
        expires = Instant.parse(line.substring(mark + MARK.length()).strip());
      } catch (DateTimeParseException e) {
        throw new IOException(where + ": bad lease instant: " + e.getMessage(), e);
      }
      byte[] text = line.substring(0, mark).getBytes(StandardCharsets.UTF_8);
      try (Master m = new Master(new ByteArrayInputStream(text), origin)) {
        Record r = m.nextRecord();
        if (r == null) {
          throw new IOException(where + ": a lease comment without a record");
        }
        out.put(r, expires);
      }
    }
    return out;
  }
}
