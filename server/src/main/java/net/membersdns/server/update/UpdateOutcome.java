package net.membersdns.server.update;

import java.util.Objects;
import java.util.Optional;
import net.membersdns.protocol.edns.UpdateLeaseOption;

/** The result of evaluating one UPDATE against the current zone ({@link UpdateProcessor}). */
public sealed interface UpdateOutcome permits UpdateOutcome.Applied, Rejection {

  /**
   * Every check passed: commit {@code changes} (possibly {@link ChangeSet#isEmpty() empty}), then
   * answer NOERROR with {@code replyLease} in the OPT when present.
   */
  record Applied(ChangeSet changes, Optional<UpdateLeaseOption> replyLease)
      implements UpdateOutcome {
    public Applied {
      Objects.requireNonNull(changes, "changes");
      Objects.requireNonNull(replyLease, "replyLease");
    }
  }
}
