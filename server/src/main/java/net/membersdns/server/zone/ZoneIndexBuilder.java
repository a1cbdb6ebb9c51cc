package net.membersdns.server.zone;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.membersdns.protocol.names.DiscoveryNames;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Lays one zone out as a {@link ZoneIndex}: groups its records by owner (case-insensitively, RFC
 * 4343) and RRset type, adds the synthesised RRsets and the empty non-terminals, then writes it all
 * into primitive arrays. The grouping maps are dropped at the end; the index holds no object per
 * record.
 */
final class ZoneIndexBuilder {
  byte[] names;
  int[] nameStart;
  int[] nameHash;
  int[] slots;
  int[] firstSet;
  int synthesisedNames;
  char[] setType;
  byte[] setSynthesised;
  int[] firstMember;
  int[] members;
  char[] type;
  char[] dclass;
  int[] ttl;
  int[] owner;
  int[] rdataStart;
  byte[] rdata;
  long[] expiry;
  Map<Integer, Name> ownerCase;

  /** Earliest lease expiry of the records served (the apex SOA/NS copies are not). */
  long earliestExpiry = ZoneRecord.PERMANENT;

  /** The names below the apex holding NS records (zone cuts), as first written. */
  final List<Name> delegations = new ArrayList<>();

  private final Name apex;
  private final Map<Name, Node> byName = new LinkedHashMap<>();

  /** One name while building: its first spelling and its sets by RRset type (ascending). */
  private static final class Node {
    final Name name;
    final TreeMap<Integer, SetBuilder> sets = new TreeMap<>();
    int number;

    Node(Name name) {
      this.name = name;
    }

    SetBuilder set(int rrsetType) {
      return sets.computeIfAbsent(rrsetType, t -> new SetBuilder());
    }
  }

  private static final class SetBuilder {
    byte synthesised = Synthesised.NONE;
    final List<Integer> members = new ArrayList<>(2);
  }

  private ZoneIndexBuilder(Name apex) {
    this.apex = apex;
  }

  static ZoneIndexBuilder build(ZoneRows rows, ZoneSettings settings) {
    ZoneIndexBuilder b = new ZoneIndexBuilder(rows.apex());
    b.synthesise(rows.member() != null, settings);
    b.store(rows);
    b.emptyNonTerminals();
    b.writeNames();
    return b;
  }

  /** Synthesised names come first, so that their numbers are below {@link #synthesisedNames}. */
  private void synthesise(boolean memberZone, ZoneSettings settings) {
    node(apex).set(Type.SOA).synthesised = Synthesised.SOA;
    node(apex).set(Type.NS).synthesised = Synthesised.NS;
    if (memberZone) {
      // The discovery SRVs of RFC 6281 §4: TLS services, then plain DNS ones.
      for (int i = 0; i < DiscoveryNames.TLS.size(); i++) {
        byte kind = Synthesised.tlsService(i);
        node(Synthesised.serviceOwner(kind, apex)).set(Type.SRV).synthesised = kind;
      }
      for (int i = 0; i < DiscoveryNames.UDP.size(); i++) {
        byte kind = Synthesised.udpService(i);
        node(Synthesised.serviceOwner(kind, apex)).set(Type.SRV).synthesised = kind;
      }
    }
    if (settings.serverName().subdomain(apex)) {
      for (int t : new int[] {Type.A, Type.AAAA}) {
        if (Synthesised.hasAddress(settings, t)) {
          node(settings.serverName()).set(t).synthesised = Synthesised.ADDRESSES;
        }
      }
    }
    synthesisedNames = byName.size();
  }

  private Node node(Name name) {
    return byName.computeIfAbsent(name, Node::new);
  }

  private void store(ZoneRows rows) {
    int n = rows.size();
    type = new char[n];
    dclass = new char[n];
    ttl = new int[n];
    owner = new int[n];
    rdataStart = new int[n + 1];
    ownerNodes = new Node[n];
    byte[] data = rows.rdata();
    for (int i = 0; i < n; i++) {
      Name name = rows.owner(i);
      if (!name.subdomain(apex)) {
        throw new IllegalArgumentException("record outside zone " + apex + ": " + name);
      }
      long lease = rows.expiry(i);
      if (lease != ZoneRecord.PERMANENT) {
        if (expiry == null) {
          expiry = new long[n];
          Arrays.fill(expiry, ZoneRecord.PERMANENT);
        }
        expiry[i] = lease;
      }
      int rrType = rows.type(i);
      type[i] = (char) rrType;
      dclass[i] = (char) rows.dclass(i);
      ttl[i] = rows.ttl(i);
      rdataStart[i + 1] = rows.rdataEnd(i);
      Node node = node(name);
      ownerNodes[i] = node;
      // canonicalize() returns the name itself when it has no upper case (the loaded rows).
      if (name.canonicalize() != name) {
        if (ownerCase == null) {
          ownerCase = new HashMap<>();
        }
        ownerCase.put(i, name);
      }
      // The synthesised apex SOA/NS win over stored copies (an imported file carries its own).
      boolean apexOwn = (rrType == Type.SOA || rrType == Type.NS) && name.equals(apex);
      if (!apexOwn) {
        node.set(rrsetType(rrType, data, rows.rdataStart(i))).members.add(i);
        earliestExpiry = Math.min(earliestExpiry, lease);
      }
    }
    rdata = Arrays.copyOf(data, rdataStart[n]);
  }

  /** RFC 4034 §3.1: an RRSIG belongs with the RRset it covers (as dnsjava's getRRsetType). */
  private static int rrsetType(int type, byte[] rdata, int start) {
    return type == Type.RRSIG ? (rdata[start] & 0xFF) << 8 | rdata[start + 1] & 0xFF : type;
  }

  /** The name of each stored record while building, numbered by {@link #writeNames}. */
  private Node[] ownerNodes;

  /** RFC 4592 §2.2.2: every name between an owner and the apex exists (NODATA, not NXDOMAIN). */
  private void emptyNonTerminals() {
    for (Name name : new ArrayList<>(byName.keySet())) {
      for (int skip = 1; name.labels() - skip > apex.labels(); skip++) {
        node(new Name(name, skip));
      }
    }
  }

  private void writeNames() {
    int count = byName.size();
    int apexLength = apex.length();
    nameStart = new int[count + 1];
    nameHash = new int[count];
    firstSet = new int[count + 1];
    int table = Integer.highestOneBit(Math.max(count, 1) * 2 - 1) << 1;
    slots = new int[Math.max(table, 4)];
    int setCount = 0;
    int memberCount = 0;
    for (Node node : byName.values()) {
      setCount += node.sets.size();
      for (SetBuilder s : node.sets.values()) {
        memberCount += s.members.size();
      }
    }
    setType = new char[setCount];
    setSynthesised = new byte[setCount];
    firstMember = new int[setCount + 1];
    members = new int[memberCount];
    ByteArrayOutputStream text = new ByteArrayOutputStream(count * 12);
    int i = 0;
    int s = 0;
    int m = 0;
    for (Node node : byName.values()) {
      byte[] wire = node.name.toWireCanonical();
      text.write(wire, 0, wire.length - apexLength);
      nameStart[i + 1] = text.size();
      nameHash[i] = node.name.hashCode();
      int mask = slots.length - 1;
      int at = ZoneIndex.slot(nameHash[i], mask);
      while (slots[at] != 0) {
        at = (at + 1) & mask;
      }
      slots[at] = i + 1;
      for (Map.Entry<Integer, SetBuilder> e : node.sets.entrySet()) {
        setType[s] = (char) e.getKey().intValue();
        setSynthesised[s] = e.getValue().synthesised;
        for (int member : e.getValue().members) {
          members[m++] = member;
        }
        firstMember[++s] = m;
      }
      firstSet[i + 1] = s;
      if (!node.name.equals(apex) && node.sets.containsKey(Type.NS)) {
        delegations.add(node.name);
      }
      node.number = i++;
    }
    names = text.toByteArray();
    for (int r = 0; r < owner.length; r++) {
      owner[r] = ownerNodes[r].number;
    }
    ownerNodes = null;
  }
}
