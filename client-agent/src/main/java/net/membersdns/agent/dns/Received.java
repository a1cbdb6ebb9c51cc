package net.membersdns.agent.dns;

import org.xbill.DNS.Message;

/**
 * A DNS message as it arrived: parsed, and its wire bytes (TSIG verification and LLQ event decoding
 * need the original bytes, RFC 8945 §5.3).
 */
public record Received(Message message, byte[] wire) {}
