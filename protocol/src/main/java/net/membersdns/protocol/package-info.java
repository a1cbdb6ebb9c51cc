/**
 * Wire types and names shared by the server and the host agent: EDNS options, TSIG algorithms and
 * key lines, DNS-over-TCP framing, discovery and host record names, LLQ event changes. Pure value
 * types and codecs over dnsjava: no I/O beyond reading a given stream, no threads, safe to call
 * from any thread.
 */
package net.membersdns.protocol;
