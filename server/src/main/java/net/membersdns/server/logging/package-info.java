/**
 * The server's logging backend (Logback), configured from code rather than a logback.xml: lines go
 * to stderr as text or as one JSON object each ({@code MEMBERSDNS_LOG_FORMAT}), with levels per
 * component ({@code MEMBERSDNS_LOG_LEVEL}, e.g. {@code info,llq=debug,audit=warn}). A component is
 * one of the server's packages ({@code update}, {@code llq}, {@code audit}, ...); dotted names are
 * logger names as they are ({@code org.postgresql}).
 *
 * <p>Applied once when the first logger is created (Logback finds {@link LogbackConfigurator}
 * through {@link java.util.ServiceLoader}), and again by {@code serve} from its options.
 */
package net.membersdns.server.logging;
