package net.membersdns.server.query;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.membersdns.server.request.Edns;
import net.membersdns.server.request.Transport;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;

/**
 * The query fast path: rendered answers replayed for repeated questions without parsing the query
 * with dnsjava or building a message. An entry is keyed by the question name (compared without
 * case), type, class and EDNS shape, and is valid while every zone version it was read from is
 * still published, no zone was added or removed, and no lease in those zones has run out. A
 * replayed answer gets the query's ID, RD and CD bits and its question bytes (so the client sees
 * its own 0x20 case mix; compression pointers into the question still land on the same offsets).
 *
 * <p>Only plain queries take this path: opcode QUERY, one uncompressed question, no answer or
 * authority records, and at most an EDNS version 0 OPT (with no option but a COOKIE or PADDING,
 * well formed) as the only additional record. Everything else goes through the full dispatcher.
 * Thread-safe and lock-free on the read side.
 *
 * <p>Layout matters here: a hit touches the map's node, the {@link Entry} (which is its own key)
 * and the one array holding both the question it matches and the answer, then the zone it came
 * from. Every extra object on that path was a cache miss per query in profiles.
 */
public final class AnswerCache {
  private static final int HEADER = 12;
  private static final int EDNS_PRESENT = 1;
  private static final int EDNS_DO = 2;
  private static final int COOKIE = 10; // RFC 7873
  private static final int PADDING = 12; // RFC 7830
  private static final int CD_MASK = 0x10;
  private static final int RD_MASK = 0x01;
  private static final int TC_MASK = 0x02;

  /**
   * Heap an entry holds besides its answer's octets: the {@link Entry} (with compact headers), the
   * map's node and table slot, the array's header and the zone array of a multi-zone answer.
   */
  static final int ENTRY_OVERHEAD = 96;

  private final ServedZones zones;
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final ConcurrentHashMap<Object, Entry> entries = new ConcurrentHashMap<>();

  /**
   * @param maxBytes heap the entries may hold, answers and bookkeeping together ({@link #bytes}); 0
   *     turns the cache off
   */
  public AnswerCache(ServedZones zones, long maxBytes) {
    this.zones = zones;
    this.maxBytes = maxBytes;
  }

  /** The rendered answer to {@code query}, or {@code null} when it must take the full path. */
  public byte[] answer(byte[] query, Transport transport, long nowMillis) {
    Probe p = parse(query);
    if (p == null) {
      return null;
    }
    Entry e = entries.get(p);
    if (e == null) {
      return null;
    }
    if (!e.valid(zones, nowMillis)) {
      // Let go of it now: it holds the superseded zone version it was read from.
      forget(e);
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
    List<ZoneData> sources = answer.sources();
    if (!answer.cacheable() || sources.isEmpty()) {
      return;
    }
    if ((rendered[2] & TC_MASK) != 0) {
      return; // truncated for this client; a later one may take more
    }
    Probe p = parse(query);
    if (p == null || rendered.length < p.questionEnd) {
      return;
    }
    long cost = (long) rendered.length + ENTRY_OVERHEAD;
    if (cost > maxBytes) {
      return;
    }
    if (bytes.get() + cost > maxBytes) {
      makeRoom();
      if (bytes.get() + cost > maxBytes) {
        return; // an answer larger than half the bound: kept out rather than over it
      }
    }
    long validUntil = Long.MAX_VALUE;
    for (ZoneData z : sources) {
      validUntil = Math.min(validUntil, z.earliestExpiry());
    }
    ZoneData[] more =
        sources.size() > 1 ? sources.subList(1, sources.size()).toArray(ZoneData[]::new) : null;
    Entry e =
        new Entry(
            rendered,
            p.nameEnd,
            p.flags,
            p.hash,
            sources.get(0),
            more,
            zones.structureVersion(),
            validUntil);
    Entry before = entries.put(e, e);
    bytes.addAndGet(cost - (before == null ? 0 : before.cost()));
  }

  /** Removes {@code e} itself (not a newer answer to the same question) and its bytes. */
  private void forget(Entry e) {
    boolean[] removed = new boolean[1];
    entries.computeIfPresent(
        e,
        (k, v) -> {
          removed[0] = v == e;
          return removed[0] ? null : v;
        });
    if (removed[0]) {
      bytes.addAndGet(-e.cost());
    }
  }

  /**
   * Brings the cache down to half its bound when an answer would not fit: first every entry that
   * can no longer be replayed (its zone was superseded, a lease ran out), then whatever the map's
   * iteration order yields — arbitrary with respect to age, so a hot answer is as likely to go as a
   * cold one, and it comes back at its next miss. Runs on the thread that missed, rarely: each
   * round frees half the bound.
   */
  private synchronized void makeRoom() {
    if (bytes.get() <= maxBytes / 2) {
      return; // another thread made room meanwhile
    }
    long now = System.currentTimeMillis();
    for (Entry e : entries.values()) {
      if (!e.valid(zones, now)) {
        forget(e);
      }
    }
    for (Entry e : entries.values()) {
      if (bytes.get() <= maxBytes / 2) {
        return;
      }
      forget(e);
    }
  }

  public int size() {
    return entries.size();
  }

  /** Heap the entries hold, by the estimate of {@link #ENTRY_OVERHEAD}; for metrics. */
  public long bytes() {
    return bytes.get();
  }

  /** Reads a plain query's question and OPT straight from the wire, or {@code null}. */
  static Probe parse(byte[] q) {
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
      if (pos + 11 + rdlen > len || !onlyPlainOptions(q, pos + 11, pos + 11 + rdlen)) {
        return null; // the full path parses it: FORMERR, an LLQ, or an option to read
      }
      pos += 11 + rdlen;
      flags = EDNS_PRESENT | (dnssecOk ? EDNS_DO : 0);
      udpLimit = Math.min(Math.max(512, payload), Edns.OUR_PAYLOAD_SIZE);
    }
    if (pos != len) {
      return null;
    }
    return new Probe(q, nameEnd, flags, hash(q, nameEnd, flags), questionEnd, udpLimit);
  }

  /**
   * Whether the OPT RDATA in {@code q[from, to)} is a well-formed option list (RFC 6891 §6.1.2:
   * each option's code and length, the options filling the RDATA exactly) of options that change no
   * answer and that the full path would accept as they are: a COOKIE of a valid length (RFC 7873
   * §4: 8 octets, or 16 to 40 with a server cookie; dig sends one by default) and PADDING (RFC
   * 7830). Anything else (an LLQ, RFC 8764, a client subnet, an option that overruns the RDATA)
   * goes to the full path, which parses it or answers FORMERR: a cached answer must never stand in
   * for a FORMERR.
   */
  private static boolean onlyPlainOptions(byte[] q, int from, int to) {
    int pos = from;
    while (pos < to) {
      if (pos + 4 > to) {
        return false;
      }
      int code = ((q[pos] & 0xFF) << 8) | (q[pos + 1] & 0xFF);
      int length = ((q[pos + 2] & 0xFF) << 8) | (q[pos + 3] & 0xFF);
      pos += 4 + length;
      if (pos > to) {
        return false;
      }
      boolean plain =
          code == COOKIE && (length == 8 || (length >= 16 && length <= 40)) || code == PADDING;
      if (!plain) {
        return false;
      }
    }
    return true;
  }

  /** ASCII lower case; label length bytes are below 64 and never in 'A'..'Z'. */
  private static int lower(byte b) {
    return (b >= 'A' && b <= 'Z') ? b + 32 : b;
  }

  /** Hash of the lower-cased question name, type, class and EDNS shape. */
  private static int hash(byte[] m, int nameEnd, int flags) {
    int h = flags;
    for (int i = HEADER; i < nameEnd + 4; i++) {
      h = 31 * h + (i < nameEnd ? lower(m[i]) : m[i]);
    }
    return h;
  }

  /** Same question (name without case, type, class) at the same offsets in both messages. */
  private static boolean sameQuestion(byte[] a, byte[] b, int nameEnd) {
    for (int i = HEADER; i < nameEnd; i++) {
      if (a[i] != b[i] && lower(a[i]) != lower(b[i])) {
        return false;
      }
    }
    for (int i = nameEnd; i < nameEnd + 4; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /** A lookup key over the query's own bytes: no copy. Equal to an {@link Entry} it matches. */
  static final class Probe {
    final byte[] query;
    final int nameEnd;
    final int flags;
    final int hash;
    final int questionEnd;
    final int udpLimit;

    Probe(byte[] query, int nameEnd, int flags, int hash, int questionEnd, int udpLimit) {
      this.query = query;
      this.nameEnd = nameEnd;
      this.flags = flags;
      this.hash = hash;
      this.questionEnd = questionEnd;
      this.udpLimit = udpLimit;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && e.matches(query, nameEnd, flags, hash);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * One replayable answer; also its own map key (the question is read from {@code response}).
   * {@code first} and {@code more} are the zone versions it was read from.
   */
  private static final class Entry {
    final byte[] response;
    final int nameEnd;
    final int flags;
    final int hash;
    final ZoneData first;
    final ZoneData[] more;
    final long structure;
    final long validUntil;

    Entry(
        byte[] response,
        int nameEnd,
        int flags,
        int hash,
        ZoneData first,
        ZoneData[] more,
        long structure,
        long validUntil) {
      this.response = response;
      this.nameEnd = nameEnd;
      this.flags = flags;
      this.hash = hash;
      this.first = first;
      this.more = more;
      this.structure = structure;
      this.validUntil = validUntil;
    }

    boolean valid(ServedZones zones, long now) {
      if (now >= validUntil || structure != zones.structureVersion() || first.superseded()) {
        return false;
      }
      if (more != null) {
        for (ZoneData z : more) {
          if (z.superseded()) {
            return false;
          }
        }
      }
      return true;
    }

    /** Whether {@code message} asks this entry's question with the same EDNS shape. */
    boolean matches(byte[] message, int nameEnd, int flags, int hash) {
      return this.hash == hash
          && this.flags == flags
          && this.nameEnd == nameEnd
          && sameQuestion(message, response, nameEnd);
    }

    long cost() {
      return (long) response.length + ENTRY_OVERHEAD;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && e.matches(response, nameEnd, flags, hash);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
