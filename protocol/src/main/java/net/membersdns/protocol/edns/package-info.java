/**
 * Typed EDNS(0) options (RFC 6891) that dnsjava only knows as codes: the Update Lease option (RFC
 * 9664, code 2) and the LLQ option (RFC 8764, code 1), plus {@link
 * net.membersdns.protocol.edns.EdnsOptions} to find them in a {@link org.xbill.DNS.Message}.
 *
 * <p>Parsing never throws on bad input: a malformed option is a {@link
 * net.membersdns.protocol.edns.OptionResult.Malformed} result that the caller maps to an rcode (or,
 * for LLQ, to the LLQ error FORMAT-ERR). Options are found at any position inside the OPT RR, since
 * kdig puts PADDING first (RFC 6891 §6.1.2 sets no order).
 */
package net.membersdns.protocol.edns;
