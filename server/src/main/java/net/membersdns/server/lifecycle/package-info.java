/**
 * How the server process starts serving and stops: readiness ({@code /ready}: started, not
 * draining, following the database), the drain on SIGTERM, and the TLS reload on SIGHUP.
 *
 * <p>Threads: signal handlers run on the JVM's signal-dispatch threads and only hand over; the
 * drain runs on the thread that called {@code serve}.
 */
package net.membersdns.server.lifecycle;
