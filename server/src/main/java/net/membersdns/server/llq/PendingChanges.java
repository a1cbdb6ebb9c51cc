package net.membersdns.server.llq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Record;

/**
 * The changes one subscriber has not been sent yet, coalesced (a per-node pending list merged
 * before sending). An add and a later remove of the same record cancel out, and so do a remove and
 * a later add: the client's view is already right. dnsjava's {@link Record#equals} ignores the TTL,
 * so a record is "the same" by owner, type, class and RDATA. Not thread-safe: used by the
 * notifier's thread only.
 */
final class PendingChanges {
  /** One change: the record, and whether it was added (else removed). */
  record Change(Record record, boolean added) {}

  private LinkedHashMap<Record, Boolean> changes;
  private Instant oldestCommit;

  void add(Record r, Instant committedAt) {
    put(r, true, committedAt);
  }

  void remove(Record r, Instant committedAt) {
    put(r, false, committedAt);
  }

  private void put(Record r, boolean added, Instant committedAt) {
    if (changes == null) {
      changes = new LinkedHashMap<>(4);
    }
    Boolean before = changes.get(r);
    if (before != null && before != added) {
      changes.remove(r);
    } else {
      changes.put(r, added);
    }
    if (changes.isEmpty()) {
      clear();
    } else if (oldestCommit == null || committedAt.isBefore(oldestCommit)) {
      oldestCommit = committedAt;
    }
  }

  boolean isEmpty() {
    return changes == null || changes.isEmpty();
  }

  int size() {
    return changes == null ? 0 : changes.size();
  }

  /** Commit time of the oldest change waiting, or {@code null} when there is none. */
  Instant oldestCommit() {
    return oldestCommit;
  }

  /** Every change, in arrival order, without taking them. */
  List<Change> peek() {
    List<Change> out = new ArrayList<>(size());
    if (changes != null) {
      for (Map.Entry<Record, Boolean> e : changes.entrySet()) {
        out.add(new Change(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /** Takes the first {@code n} changes (they are being sent). */
  void take(int n) {
    Iterator<Map.Entry<Record, Boolean>> it = changes.entrySet().iterator();
    for (int i = 0; i < n && it.hasNext(); i++) {
      it.next();
      it.remove();
    }
    if (changes.isEmpty()) {
      clear();
    }
  }

  void clear() {
    changes = null;
    oldestCommit = null;
  }
}
