/**
 * DNS Long-Lived Queries, RFC 8764: a client subscribes to a question and the server pushes every
 * change of its answer.
 *
 * <ul>
 *   <li>{@link net.membersdns.server.llq.LlqHandler}: setup (UDP four-way, TCP/TLS two-message),
 *       refresh, cancel and event acknowledgements. Called on Netty event loops; in memory only.
 *   <li>{@link net.membersdns.server.llq.LlqRegistry}: the live LLQs by LLQ-ID and by question
 *       name, with the per-key, per-address and total limits. Thread-safe.
 *   <li>{@link net.membersdns.server.llq.LlqNotifier}: the {@code ZoneChangeSink} that turns
 *       committed changes into events, coalesced per subscriber, one unacknowledged UDP event in
 *       flight with retransmission (a Headscale-style batcher). Runs on its own single thread
 *       ({@link net.membersdns.server.llq.LlqScheduler}); never blocks its callers.
 * </ul>
 *
 * <p>Nothing here touches the database or blocks: state is lost on restart, and clients set their
 * LLQs up again when a refresh gets NO-SUCH-LLQ (RFC 8764 §5.2.1).
 */
package net.membersdns.server.llq;
