package net.membersdns.server.zone;

import java.util.Arrays;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * A zone's names and records in four primitive arrays instead of an object graph per record: what
 * {@link ZoneData} reads. Laid out once by {@link ZoneIndexBuilder}, never written after, so any
 * thread reads it without locks. One array per element kind rather than per field, because most
 * zones are small (a member's few hosts) and every array costs a header.
 *
 * <ul>
 *   <li>Names (stored owners, synthesised owners, empty non-terminals of RFC 4592 §2.2.2): the
 *       labels below the apex in canonical form (RFC 4034 §6.2: lower case, uncompressed wire) one
 *       after the other, found through an open-addressing table keyed by {@link Name#hashCode()}
 *       (case-insensitive, cached in the query's {@code Name}), so a name that does not exist costs
 *       no allocation.
 *   <li>RRsets: per name a run of sets ordered by type, each with its RRset type (the covered type
 *       for RRSIG, as dnsjava groups them), the kind of synthesised records it starts with ({@link
 *       Synthesised}) and a run of stored record numbers.
 *   <li>Stored records, in the order the store gave them: type, class (omitted when all are IN),
 *       TTL, RDATA in wire form (names uncompressed, in the case they were written), the owner's
 *       name number and the lease expiry ({@code null} when every record is permanent). An owner
 *       written in another case than the canonical one keeps its {@code Name} in {@link
 *       #ownerCase}.
 * </ul>
 */
final class ZoneIndex {
  private final Name apex;
  private final int nameCount;
  private final int recordCount;

  /** Name bytes, then RDATA, then one synthesised kind per set. */
  private final byte[] bytes;

  /**
   * Name starts (n+1), name hashes (n), first set of each name (n+1), the hash table, first member
   * of each set (s+1), members, TTLs (r), owners (r), RDATA starts (r+1).
   */
  private final int[] ints;

  /** Set types (s), record types (r), record classes (r, absent when all are IN). */
  private final char[] chars;

  private final long[] expiry;
  private final Map<Integer, Name> ownerCase;
  private final int synthesisedNames;

  private final int nameHashAt;
  private final int firstSetAt;
  private final int slotsAt;
  private final int slotMask;
  private final int firstMemberAt;
  private final int membersAt;
  private final int ttlAt;
  private final int ownerAt;
  private final int rdataStartAt;
  private final int rdataAt;
  private final int synthesisedAt;
  private final int typeAt;
  private final int classAt;

  ZoneIndex(Name apex, ZoneIndexBuilder b) {
    this.apex = apex;
    this.nameCount = b.nameHash.length;
    this.recordCount = b.type.length;
    this.expiry = b.expiry;
    this.ownerCase = b.ownerCase == null ? null : Map.copyOf(b.ownerCase);
    this.synthesisedNames = b.synthesisedNames;
    this.slotMask = b.slots.length - 1;
    int[][] parts = {
      b.nameStart,
      b.nameHash,
      b.firstSet,
      b.slots,
      b.firstMember,
      b.members,
      b.ttl,
      b.owner,
      b.rdataStart
    };
    int[] at = new int[parts.length];
    this.ints = concat(parts, at);
    this.nameHashAt = at[1];
    this.firstSetAt = at[2];
    this.slotsAt = at[3];
    this.firstMemberAt = at[4];
    this.membersAt = at[5];
    this.ttlAt = at[6];
    this.ownerAt = at[7];
    this.rdataStartAt = at[8];
    this.bytes = new byte[b.names.length + b.rdata.length + b.setSynthesised.length];
    this.rdataAt = b.names.length;
    this.synthesisedAt = rdataAt + b.rdata.length;
    System.arraycopy(b.names, 0, bytes, 0, b.names.length);
    System.arraycopy(b.rdata, 0, bytes, rdataAt, b.rdata.length);
    System.arraycopy(b.setSynthesised, 0, bytes, synthesisedAt, b.setSynthesised.length);
    boolean allIn = true;
    for (char c : b.dclass) {
      allIn &= c == DClass.IN;
    }
    int sets = b.setType.length;
    this.chars = new char[sets + recordCount + (allIn ? 0 : recordCount)];
    this.typeAt = sets;
    this.classAt = allIn ? -1 : sets + recordCount;
    System.arraycopy(b.setType, 0, chars, 0, sets);
    System.arraycopy(b.type, 0, chars, typeAt, recordCount);
    if (!allIn) {
      System.arraycopy(b.dclass, 0, chars, classAt, recordCount);
    }
  }

  private static int[] concat(int[][] parts, int[] at) {
    int length = 0;
    for (int i = 0; i < parts.length; i++) {
      at[i] = length;
      length += parts[i].length;
    }
    int[] out = new int[length];
    for (int i = 0; i < parts.length; i++) {
      System.arraycopy(parts[i], 0, out, at[i], parts[i].length);
    }
    return out;
  }

  int nameCount() {
    return nameCount;
  }

  int recordCount() {
    return recordCount;
  }

  boolean synthesisedName(int node) {
    return node < synthesisedNames;
  }

  int firstSet(int node) {
    return ints[firstSetAt + node];
  }

  int endSet(int node) {
    return ints[firstSetAt + node + 1];
  }

  int setType(int s) {
    return chars[s];
  }

  byte synthesised(int s) {
    return bytes[synthesisedAt + s];
  }

  int owner(int r) {
    return ints[ownerAt + r];
  }

  int type(int r) {
    return chars[typeAt + r];
  }

  /** Stored record numbers of set {@code s}, as a range of {@link #member}. */
  int firstMember(int s) {
    return ints[firstMemberAt + s];
  }

  int endMember(int s) {
    return ints[firstMemberAt + s + 1];
  }

  int member(int m) {
    return ints[membersAt + m];
  }

  /** Fibonacci hashing spreads dnsjava's additive name hash over the table's low bits. */
  static int slot(int hash, int mask) {
    return (hash * 0x9E3779B9) >>> 7 & mask;
  }

  /** The number of {@code name}, or -1 when it is not a name of this zone. */
  int find(Name name) {
    int hash = name.hashCode();
    for (int i = slot(hash, slotMask); ; i = (i + 1) & slotMask) {
      int s = ints[slotsAt + i];
      if (s == 0) {
        return -1;
      }
      if (ints[nameHashAt + s - 1] == hash && matches(s - 1, name)) {
        return s - 1;
      }
    }
  }

  /** Compares in canonical form; only reached on a full hash match, so rarely for absent names. */
  private boolean matches(int node, Name name) {
    int start = ints[node];
    int rel = ints[node + 1] - start;
    if (name.length() != rel + apex.length() || !name.subdomain(apex)) {
      return false;
    }
    byte[] wire = name.toWireCanonical();
    return Arrays.equals(wire, 0, rel, bytes, start, start + rel);
  }

  /** The name numbered {@code node}, rebuilt from its canonical form. */
  Name name(int node) {
    int start = ints[node];
    int rel = ints[node + 1] - start;
    byte[] apexWire = apex.toWireCanonical();
    byte[] wire = new byte[rel + apexWire.length];
    System.arraycopy(bytes, start, wire, 0, rel);
    System.arraycopy(apexWire, 0, wire, rel, apexWire.length);
    try {
      return new Name(new DNSInput(wire));
    } catch (WireParseException e) {
      throw new IllegalStateException("corrupt zone index", e);
    }
  }

  /** The set of RRset type {@code rrsetType} at {@code node}, or -1. */
  int set(int node, int rrsetType) {
    for (int s = firstSet(node); s < endSet(node); s++) {
      if (chars[s] == rrsetType) {
        return s;
      }
    }
    return -1;
  }

  long expiry(int record) {
    return expiry == null ? ZoneRecord.PERMANENT : expiry[record];
  }

  /**
   * Whether {@link ZoneData.Entry#live} of set {@code s} would return records at {@code now}: all
   * of them before the earliest expiry, else those not expired (RRSIGs are kept aside by dnsjava's
   * RRset and never count), synthesised ones being permanent.
   */
  boolean live(int s, long now) {
    if (expiry == null || synthesised(s) != Synthesised.NONE) {
      return true;
    }
    long earliest = ZoneRecord.PERMANENT;
    boolean anyLive = false;
    for (int m = firstMember(s); m < endMember(s); m++) {
      int r = member(m);
      earliest = Math.min(earliest, expiry[r]);
      anyLive |= expiry[r] > now && type(r) != Type.RRSIG;
    }
    return now < earliest || anyLive;
  }

  /** Stored record {@code r} as a dnsjava record with {@code ownerName} (or its own case). */
  Record record(int r, Name ownerName) {
    Name n = ownerCase == null ? null : ownerCase.get(r);
    int start = rdataAt + ints[rdataStartAt + r];
    int length = ints[rdataStartAt + r + 1] + rdataAt - start;
    return Record.newRecord(
        n != null ? n : ownerName,
        type(r),
        classAt < 0 ? DClass.IN : chars[classAt + r],
        Integer.toUnsignedLong(ints[ttlAt + r]),
        length,
        Arrays.copyOfRange(bytes, start, start + length));
  }
}
