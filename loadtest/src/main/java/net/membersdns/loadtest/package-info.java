/**
 * Load clients for a running server (not part of {@code ./mvnw verify}'s tests): {@link
 * net.membersdns.loadtest.LlqLoad} holds N LLQs over UDP or TLS while updates flow, and reports
 * commit → event-received latency, server heap per LLQ and server CPU. Run it on a quiet machine;
 * see {@code docs/benchmarks.md}.
 */
package net.membersdns.loadtest;
