package net.membersdns.server.zone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A zone as the store's rows, the form {@link ZoneIndexBuilder} reads: owner, type, class, TTL and
 * RDATA in wire form (RFC 1035 §3.2.1) with the lease expiry of each stored record, in the store's
 * order, and no dnsjava {@link Record} per row. The loader fills it straight from the table (the
 * start-up load of every zone); {@link #of(ZoneContent)} converts the records an update produced.
 * Filled by one thread, then only read.
 */
public final class ZoneRows {
  private final Name apex;
  private final String member;
  private final long serial;
  private final long generation;
  private int count;
  private Name[] owner = new Name[8];
  private char[] type = new char[8];
  private char[] dclass = new char[8];
  private int[] ttl = new int[8];
  private long[] expiry = new long[8];
  private int[] rdataStart = new int[9];
  private byte[] rdata = new byte[128];

  /**
   * @param apex the zone apex, absolute
   * @param member the owning member's name, or {@code null} for the members domain itself
   * @param serial the SOA serial, see {@link ZoneContent}
   * @param generation bumped on every commit, see {@link ZoneContent}
   */
  public ZoneRows(Name apex, String member, long serial, long generation) {
    this.apex = Objects.requireNonNull(apex, "apex");
    this.member = member;
    this.serial = serial;
    this.generation = generation;
  }

  /** The rows of {@code content}'s records. */
  public static ZoneRows of(ZoneContent content) {
    ZoneRows rows =
        new ZoneRows(content.apex(), content.member(), content.serial(), content.generation());
    for (ZoneRecord zr : content.records()) {
      rows.add(zr.record(), zr.leaseExpiresMillis());
    }
    return rows;
  }

  /** Appends {@code r}; its RDATA as dnsjava writes it uncompressed (names in their case). */
  public void add(Record r, long leaseExpiresMillis) {
    byte[] wire = r.toWire(Section.ANSWER);
    // Owner (uncompressed), TYPE, CLASS, TTL, RDLENGTH (RFC 1035 §4.1.3), then the RDATA.
    int header = r.getName().length() + 10;
    add(
        r.getName(),
        r.getType(),
        r.getDClass(),
        r.getTTL(),
        wire,
        header,
        wire.length - header,
        leaseExpiresMillis);
  }

  /**
   * Appends a row whose RDATA is {@code length} bytes of {@code data} from {@code offset}, exactly
   * as dnsjava would write the record it decodes to (the caller checked that).
   */
  public void add(
      Name ownerName,
      int rrType,
      int rrClass,
      long ttlSeconds,
      byte[] data,
      int offset,
      int length,
      long leaseExpiresMillis) {
    if (count == type.length) {
      int more = count * 2;
      owner = Arrays.copyOf(owner, more);
      type = Arrays.copyOf(type, more);
      dclass = Arrays.copyOf(dclass, more);
      ttl = Arrays.copyOf(ttl, more);
      expiry = Arrays.copyOf(expiry, more);
      rdataStart = Arrays.copyOf(rdataStart, more + 1);
    }
    int start = rdataStart[count];
    if (start + length > rdata.length) {
      rdata = Arrays.copyOf(rdata, Math.max(rdata.length * 2, start + length));
    }
    System.arraycopy(data, offset, rdata, start, length);
    owner[count] = ownerName;
    type[count] = (char) rrType;
    dclass[count] = (char) rrClass;
    ttl[count] = (int) ttlSeconds;
    expiry[count] = leaseExpiresMillis;
    rdataStart[count + 1] = start + length;
    count++;
  }

  /** The same zone as records (an update's form); each row decoded by dnsjava. */
  public ZoneContent content() {
    List<ZoneRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int start = rdataStart[i];
      int length = rdataStart[i + 1] - start;
      records.add(
          new ZoneRecord(
              Record.newRecord(
                  owner[i],
                  type[i],
                  dclass[i],
                  Integer.toUnsignedLong(ttl[i]),
                  length,
                  Arrays.copyOfRange(rdata, start, start + length)),
              expiry[i]));
    }
    return new ZoneContent(apex, member, serial, generation, records);
  }

  public Name apex() {
    return apex;
  }

  public String member() {
    return member;
  }

  public long serial() {
    return serial;
  }

  public long generation() {
    return generation;
  }

  int size() {
    return count;
  }

  Name owner(int i) {
    return owner[i];
  }

  int type(int i) {
    return type[i];
  }

  int dclass(int i) {
    return dclass[i];
  }

  int ttl(int i) {
    return ttl[i];
  }

  long expiry(int i) {
    return expiry[i];
  }

  int rdataStart(int i) {
    return rdataStart[i];
  }

  int rdataEnd(int i) {
    return rdataStart[i + 1];
  }

  byte[] rdata() {
    return rdata;
  }
}
