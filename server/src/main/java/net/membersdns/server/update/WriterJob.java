package net.membersdns.server.update;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Work queued for one zone's {@link ZoneWriter}. Jobs are evaluated in queue order, each against
 * the zone as the previous job left it, and committed together; {@code done} is called exactly
 * once, after the commit (or its failure), on the writer's thread. It must not block.
 */
public sealed interface WriterJob permits WriterJob.Update, WriterJob.Reap {

  /** Called with the job's result after the batch committed or failed. */
  Consumer<JobResult> done();

  /**
   * One RFC 2136 UPDATE whose TSIG verified and whose zone section named this zone.
   *
   * @param keyName the verified TSIG key; re-checked inside the commit transaction, so a key
   *     removed meanwhile writes nothing
   * @param signature the request's TSIG signature, recorded in the commit transaction so that it is
   *     used once (replay protection); empty only for unsigned requests (tests)
   */
  record Update(
      Message request, Name keyName, Optional<UpdateSignature> signature, Consumer<JobResult> done)
      implements WriterJob {
    public Update {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(keyName, "keyName");
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(done, "done");
    }

    /** An update whose signature is its request's TSIG. */
    public Update(Message request, Name keyName, Consumer<JobResult> done) {
      this(request, keyName, UpdateSignature.of(request), done);
    }
  }

  /**
   * The lease reaper's job: remove every stored record whose lease ran out at the batch's clock
   * (RFC 9664 §4: the server MAY delete expired records), through the same commit path as updates.
   */
  record Reap(Consumer<JobResult> done) implements WriterJob {
    public Reap {
      Objects.requireNonNull(done, "done");
    }
  }
}
