package net.membersdns.server.update;

import java.util.Optional;
import java.util.OptionalLong;
import net.membersdns.protocol.edns.UpdateLeaseOption;

/** What became of one {@link WriterJob}; the caller maps it to a reply. */
public sealed interface JobResult {

  /**
   * The update committed (or changed nothing): NOERROR.
   *
   * @param replyLease the Update Lease option for the reply (RFC 9664 §4), when the request had one
   * @param leaseGranted seconds granted to the records it added or refreshed, if any
   */
  record Applied(Optional<UpdateLeaseOption> replyLease, OptionalLong leaseGranted)
      implements JobResult {}

  /** The update was refused with {@code rcode} and changed nothing. */
  record Rejected(int rcode, String reason) implements JobResult {}

  /**
   * The signing key no longer exists (its member was removed, or an operator removed it) when the
   * batch committed: NOTAUTH with TSIG error BADKEY (RFC 8945 §5.2.1); nothing changed.
   */
  record KeyRevoked() implements JobResult {}

  /**
   * The update's TSIG signature was used before (recorded in the store by an earlier commit, on
   * this or another process, or earlier in the same batch): a replay, refused; nothing changed.
   */
  record Replayed() implements JobResult {}

  /** The transaction failed (database down, a bug): SERVFAIL; nothing of the batch changed. */
  record Failed(String reason) implements JobResult {}

  /** A reap job removed {@code records} expired records. */
  record Reaped(int records) implements JobResult {}
}
