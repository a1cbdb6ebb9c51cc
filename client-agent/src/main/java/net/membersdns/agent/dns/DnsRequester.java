package net.membersdns.agent.dns;

import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/** Sends a request to the server signed and returns its checked reply ({@link ServerSession}). */
@FunctionalInterface
public interface DnsRequester {
  CompletableFuture<Reply> request(Message request);
}
