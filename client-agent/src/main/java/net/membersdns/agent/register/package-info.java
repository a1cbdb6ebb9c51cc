/**
 * Registration: the record set a host publishes in its member zone (RFC 6281 §4.3 with the names of
 * {@link net.membersdns.protocol.names.HostNames}), the single RFC 2136 UPDATE that brings the
 * server from the registered set to the wanted one, and when to send it (lease refresh at 75 %, RFC
 * 9664; backoff after failures). Pure; the agent sends what it plans over the {@code dns} package's
 * session.
 */
package net.membersdns.agent.register;
