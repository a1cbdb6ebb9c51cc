/**
 * Wire types shared by the server and the host agent. Pure value types and codecs over dnsjava: no
 * I/O, no threads, safe to call from any thread.
 */
package net.membersdns.protocol;
