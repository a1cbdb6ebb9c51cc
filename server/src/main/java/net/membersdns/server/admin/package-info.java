/**
 * The operator's HTTP endpoint: Prometheus scrape at {@code /metrics}, liveness at {@code /health},
 * readiness at {@code /ready}, and the binding of the standard JVM and process meters.
 *
 * <p>Threads: requests run on the endpoint's own single thread, never on a DNS event loop; start
 * and stop are called by the composition root.
 */
package net.membersdns.server.admin;
