/** LLQ (RFC 8764) message content both sides must read alike: the add/remove marker of events. */
package net.membersdns.protocol.llq;
