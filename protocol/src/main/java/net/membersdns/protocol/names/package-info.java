/**
 * Names both programs derive the same way: the server-discovery SRV names (RFC 6281 §4) and the
 * names a host registers in its member zone, with the rule of which names belong to which host.
 */
package net.membersdns.protocol.names;
