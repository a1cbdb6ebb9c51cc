package net.membersdns.server.update;

import java.util.Objects;
import java.util.Optional;
import net.membersdns.protocol.edns.UpdateLeaseOption;

/** What {@link UpdateLeasePolicy} decided for one update. */
public sealed interface LeaseDecision permits LeaseDecision.Granted, Rejection {

  /**
   * The update may proceed; added records live for {@code grant}.
   *
   * @param reply the Update Lease option for a NOERROR reply: present exactly when the request
   *     carried one (RFC 9664 §4: the server MUST return it), in the same 4- or 8-byte form
   */
  record Granted(LeaseGrant grant, Optional<UpdateLeaseOption> reply) implements LeaseDecision {
    public Granted {
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(reply, "reply");
    }
  }
}
