/**
 * TSIG (RFC 8945) vocabulary both programs share: the algorithm names and the {@code
 * ALGORITHM:NAME:SECRET} key line that enrolment prints and the host agent reads.
 */
package net.membersdns.protocol.tsig;
