package net.membersdns.server.query;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.membersdns.server.codec.Transport;
import net.membersdns.server.pipeline.Edns;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;

/**
 * The query fast path: rendered answers replayed for repeated questions without parsing the query
 * with dnsjava or building a message. An entry is keyed by the lower-cased question name, type,
 * class and EDNS shape, and is valid while every zone version it was read from is still published,
 * no zone was added or removed, and no lease in those zones has run out. A replayed answer gets the
 * query's ID, RD and CD bits and its question bytes (so the client sees its own 0x20 case mix;
 * compression pointers into the question still land on the same offsets).
 *
 * <p>Only plain queries take this path: opcode QUERY, one uncompressed question, no answer or
 * authority records, and at most an EDNS version 0 OPT as the only additional record. Everything
 * else goes through the full dispatcher. Thread-safe and lock-free on the read side.
 */
public final class AnswerCache {
  private static final int HEADER = 12;
  private static final int EDNS_PRESENT = 1;
  private static final int EDNS_DO = 2;

  private final ServedZones zones;
  private final int maxEntries;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

  public AnswerCache(ServedZones zones, int maxEntries) {
    this.zones = zones;
    this.maxEntries = maxEntries;
  }

  /** The rendered answer to {@code query}, or {@code null} when it must take the full path. */
  public byte[] answer(byte[] query, Transport transport, long nowMillis) {
    Parsed p = parse(query);
    if (p == null) {
      return null;
    }
    Entry e = entries.get(p.key);
    if (e == null || !e.valid(zones, nowMillis)) {
      return null;
    }
    byte[] cached = e.response;
    if (transport.datagram() && cached.length > p.udpLimit) {
      return null; // needs truncation: the full path renders it
    }
    byte[] out = cached.clone();
    out[0] = query[0];
    out[1] = query[1];
    out[2] = (byte) ((cached[2] & ~RD_MASK) | (query[2] & RD_MASK));
    out[3] = (byte) ((cached[3] & ~CD_MASK) | (query[3] & CD_MASK));
    System.arraycopy(query, HEADER, out, HEADER, p.questionEnd - HEADER);
    return out;
  }

  /** Stores the full-path answer to {@code query} if it may be replayed. */
  public void remember(byte[] query, QueryHandler.Answer answer, byte[] rendered) {
    if (!answer.cacheable() || answer.sources().isEmpty()) {
      return;
    }
    if ((rendered[2] & 0x02) != 0) {
      return; // truncated for this client; a later one may take more
    }
    Parsed p = parse(query);
    if (p == null) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.clear(); // crude but bounded; the working set refills within a second
    }
    List<ZoneData> sources = List.copyOf(answer.sources());
    long validUntil = Long.MAX_VALUE;
    for (ZoneData z : sources) {
      validUntil = Math.min(validUntil, z.earliestExpiry());
    }
    entries.put(p.key, new Entry(rendered, sources, zones.structureVersion(), validUntil));
  }

  public int size() {
    return entries.size();
  }

  private static final int CD_MASK = 0x10;
  private static final int RD_MASK = 0x01;

  private record Parsed(Key key, int questionEnd, int udpLimit) {}

  /** Reads a plain query's question and OPT straight from the wire, or {@code null}. */
  static Parsed parse(byte[] q) {
    int len = q.length;
    if (len < HEADER + 5) {
      return null;
    }
    // QR=0, opcode QUERY, TC=0; QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1.
    if ((q[2] & 0xFA) != 0 || q[4] != 0 || q[5] != 1 || q[6] != 0 || q[7] != 0) {
      return null;
    }
    if (q[8] != 0 || q[9] != 0 || q[10] != 0 || (q[11] & 0xFE) != 0) {
      return null;
    }
    int pos = HEADER;
    while (true) {
      if (pos >= len) {
        return null;
      }
      int l = q[pos] & 0xFF;
      if (l == 0) {
        pos++;
        break;
      }
      if (l > 63 || pos + 1 + l - HEADER > 255) {
        return null; // compression pointer or oversize name: full path
      }
      pos += 1 + l;
    }
    int nameEnd = pos;
    pos += 4;
    if (pos > len) {
      return null;
    }
    int questionEnd = pos;
    int flags = 0;
    int udpLimit = 512;
    if (q[11] == 1) {
      // OPT: root owner, TYPE 41, CLASS payload, TTL xrcode(0)/version(0)/flags, RDLEN, options.
      if (pos + 11 > len || q[pos] != 0 || q[pos + 1] != 0 || q[pos + 2] != 41) {
        return null;
      }
      int payload = ((q[pos + 3] & 0xFF) << 8) | (q[pos + 4] & 0xFF);
      if (q[pos + 5] != 0 || q[pos + 6] != 0) {
        return null; // extended rcode or version > 0: full path answers BADVERS
      }
      boolean dnssecOk = (q[pos + 7] & 0x80) != 0;
      int rdlen = ((q[pos + 9] & 0xFF) << 8) | (q[pos + 10] & 0xFF);
      if (hasOption(q, pos + 11, Math.min(len, pos + 11 + rdlen), LLQ_OPTION)) {
        return null; // an LLQ (RFC 8764) is not a plain query: the LLQ handler answers it
      }
      pos += 11 + rdlen;
      flags = EDNS_PRESENT | (dnssecOk ? EDNS_DO : 0);
      udpLimit = Math.min(Math.max(512, payload), Edns.OUR_PAYLOAD_SIZE);
    }
    if (pos != len) {
      return null;
    }
    byte[] key = new byte[nameEnd - HEADER + 5];
    for (int i = HEADER; i < nameEnd; i++) {
      byte b = q[i];
      key[i - HEADER] = (b >= 'A' && b <= 'Z') ? (byte) (b + 32) : b;
    }
    // Length bytes are < 64 and never in 'A'..'Z' (65..90), so lower-casing cannot touch them.
    System.arraycopy(q, nameEnd, key, nameEnd - HEADER, 4);
    key[key.length - 1] = (byte) flags;
    return new Parsed(new Key(key), questionEnd, udpLimit);
  }

  /** EDNS option code of LLQ (RFC 8764 §3.2). */
  private static final int LLQ_OPTION = 1;

  /** Whether the OPT RDATA in {@code q[from, to)} holds an option with {@code code}. */
  private static boolean hasOption(byte[] q, int from, int to, int code) {
    int pos = from;
    while (pos + 4 <= to) {
      int c = ((q[pos] & 0xFF) << 8) | (q[pos + 1] & 0xFF);
      if (c == code) {
        return true;
      }
      pos += 4 + (((q[pos + 2] & 0xFF) << 8) | (q[pos + 3] & 0xFF));
    }
    return false;
  }

  private record Entry(byte[] response, List<ZoneData> sources, long structure, long validUntil) {
    boolean valid(ServedZones zones, long now) {
      if (now >= validUntil || structure != zones.structureVersion()) {
        return false;
      }
      for (ZoneData z : sources) {
        if (z.superseded()) {
          return false;
        }
      }
      return true;
    }
  }

  private static final class Key {
    private final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
