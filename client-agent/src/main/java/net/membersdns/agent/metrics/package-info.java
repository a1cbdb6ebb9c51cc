/** The agent's Micrometer meters and the Prometheus endpoint of {@code --metrics-listen}. */
package net.membersdns.agent.metrics;
