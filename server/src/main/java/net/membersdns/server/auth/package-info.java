/**
 * Transaction authentication with TSIG (RFC 8945): the {@link
 * net.membersdns.server.auth.TsigKeyring} port (keys live in PostgreSQL), request verification in
 * the RFC 8945 §5.2 order ({@link net.membersdns.server.auth.TsigVerifier}) and response signing
 * ({@link net.membersdns.server.auth.TsigSigner}).
 *
 * <p>Pure logic over dnsjava: no I/O, no blocking, callable from a Netty event loop or any
 * executor. Time comes from an injected {@link java.time.Clock} so BADTIME is testable without
 * sleeping. Outcomes are the sealed {@link net.membersdns.server.auth.TsigOutcome}; exceptions mean
 * bugs.
 */
package net.membersdns.server.auth;
