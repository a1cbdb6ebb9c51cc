/**
 * The command line (README.md, serve options): picocli commands, each a thin shell that parses
 * options, opens the database, calls one service and prints. Exit codes: 0 ok; 2 bad usage or
 * configuration, with a one-line reason naming the option; 1 runtime failure, one readable line
 * (stack trace only with {@code --verbose}). Runs on the main thread of a CLI process.
 */
package net.membersdns.server.cli;
