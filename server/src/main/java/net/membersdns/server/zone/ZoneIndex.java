package net.membersdns.server.zone;

import java.util.Arrays;
import java.util.Map;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * A zone's names and records in a few primitive arrays instead of an object graph per record: what
 * {@link ZoneData} reads. Built once by {@link ZoneIndexBuilder}, never written after, so any
 * thread reads it without locks.
 *
 * <ul>
 *   <li>Names (stored owners, synthesised owners, empty non-terminals of RFC 4592 §2.2.2): the
 *       labels below the apex in canonical form (RFC 4034 §6.2: lower case, uncompressed wire) one
 *       after the other in {@link #names}, found through the open-addressing table {@link #slots}
 *       keyed by {@link Name#hashCode()} (case-insensitive, cached in the query's {@code Name}), so
 *       a name that does not exist costs no allocation.
 *   <li>RRsets: per name a run of sets ordered by type, each its RRset type (RFC 2181 §5; the
 *       covered type for RRSIG, as dnsjava groups them), the kind of synthesised records it starts
 *       with ({@link Synthesised}), and a run of stored record numbers in {@link #members}.
 *   <li>Stored records, in the order the store gave them: type, class, TTL, RDATA in wire form
 *       (names uncompressed, in the case they were written), the owner's name number, and the lease
 *       expiry ({@code null} when every record is permanent). An owner written in another case than
 *       the canonical one keeps its {@code Name} in {@link #ownerCase}.
 * </ul>
 */
final class ZoneIndex {
  final byte[] apexWire;
  final byte[] names;
  final int[] nameStart;
  final int[] nameHash;
  final int[] slots;
  final int[] firstSet;
  final int synthesisedNames;

  final char[] setType;
  final byte[] setSynthesised;
  final int[] firstMember;
  final int[] members;

  final char[] type;
  final char[] dclass;
  final int[] ttl;
  final int[] owner;
  final int[] rdataStart;
  final byte[] rdata;
  final long[] expiry;
  final Map<Integer, Name> ownerCase;

  ZoneIndex(ZoneIndexBuilder b) {
    this.apexWire = b.apexWire;
    this.names = b.names;
    this.nameStart = b.nameStart;
    this.nameHash = b.nameHash;
    this.slots = b.slots;
    this.firstSet = b.firstSet;
    this.synthesisedNames = b.synthesisedNames;
    this.setType = b.setType;
    this.setSynthesised = b.setSynthesised;
    this.firstMember = b.firstMember;
    this.members = b.members;
    this.type = b.type;
    this.dclass = b.dclass;
    this.ttl = b.ttl;
    this.owner = b.owner;
    this.rdataStart = b.rdataStart;
    this.rdata = b.rdata;
    this.expiry = b.expiry;
    this.ownerCase = b.ownerCase;
  }

  int nameCount() {
    return nameHash.length;
  }

  int recordCount() {
    return type.length;
  }

  /** Fibonacci hashing spreads dnsjava's additive name hash over the table's low bits. */
  static int slot(int hash, int mask) {
    return (hash * 0x9E3779B9) >>> 7 & mask;
  }

  /** The number of {@code name}, or -1 when it is not a name of this zone. */
  int find(Name name) {
    int hash = name.hashCode();
    int mask = slots.length - 1;
    for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        return -1;
      }
      if (nameHash[s - 1] == hash && matches(s - 1, name)) {
        return s - 1;
      }
    }
  }

  /** Compares in canonical form; only reached on a full hash match, so rarely for absent names. */
  private boolean matches(int node, Name name) {
    byte[] wire = name.toWireCanonical();
    int start = nameStart[node];
    int rel = nameStart[node + 1] - start;
    return wire.length == rel + apexWire.length
        && Arrays.equals(wire, 0, rel, names, start, start + rel)
        && Arrays.equals(wire, rel, wire.length, apexWire, 0, apexWire.length);
  }

  /** The name numbered {@code node}, rebuilt from its canonical form. */
  Name name(int node) {
    int start = nameStart[node];
    int rel = nameStart[node + 1] - start;
    byte[] wire = new byte[rel + apexWire.length];
    System.arraycopy(names, start, wire, 0, rel);
    System.arraycopy(apexWire, 0, wire, rel, apexWire.length);
    try {
      return new Name(new DNSInput(wire));
    } catch (WireParseException e) {
      throw new IllegalStateException("corrupt zone index", e);
    }
  }

  /** The set of RRset type {@code rrsetType} at {@code node}, or -1. */
  int set(int node, int rrsetType) {
    for (int s = firstSet[node]; s < firstSet[node + 1]; s++) {
      if (setType[s] == rrsetType) {
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
    if (expiry == null || setSynthesised[s] != Synthesised.NONE) {
      return true;
    }
    long earliest = ZoneRecord.PERMANENT;
    boolean anyLive = false;
    for (int m = firstMember[s]; m < firstMember[s + 1]; m++) {
      int r = members[m];
      earliest = Math.min(earliest, expiry[r]);
      anyLive |= expiry[r] > now && type[r] != Type.RRSIG;
    }
    return now < earliest || anyLive;
  }

  /** Stored record {@code r} as a dnsjava record with {@code ownerName} (or its own case). */
  Record record(int r, Name ownerName) {
    Name n = ownerCase == null ? null : ownerCase.get(r);
    int start = rdataStart[r];
    int length = rdataStart[r + 1] - start;
    return Record.newRecord(
        n != null ? n : ownerName,
        type[r],
        dclass[r],
        Integer.toUnsignedLong(ttl[r]),
        length,
        Arrays.copyOfRange(rdata, start, start + length));
  }
}
