package net.membersdns.agent.peers;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.membersdns.agent.dns.DnsRequester;
import net.membersdns.agent.dns.Reply;
import net.membersdns.protocol.names.HostNames;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Reads other hosts from the member zone with signed queries: who is there (the browse PTRs) and,
 * per host, its record set as RFC 6281 Figure 3 resolves it — SRV, then the A of each target, the
 * AAAA and the TXT. Only verified, signed answers count (design: a tunnel key is trusted only when
 * read from the member's own zone over verified TLS); a failed or unverified answer fails the whole
 * read, so nothing half-known is ever used. Any thread; results complete on the connection's reader
 * thread.
 */
public final class PeerResolver {
  private final Name zone;

  public PeerResolver(Name zone) {
    this.zone = zone;
  }

  /** The hosts that have a browse PTR, by label. */
  public CompletableFuture<List<String>> hosts(DnsRequester dns) {
    return query(dns, HostNames.browse(zone), Type.PTR)
        .thenApply(rrs ->
            rrs.stream()
                .filter(PTRRecord.class::isInstance)
                .map(r -> HostNames.hostOf(zone, ((PTRRecord) r).getTarget()))
                .flatMap(Optional::stream)
                .distinct()
                .sorted()
                .toList());
  }

  /** Host {@code host}'s records; empty when it has no AAAA (it is gone). */
  public CompletableFuture<Optional<PeerRecords>> resolve(DnsRequester dns, String host) {
    var aaaa = query(dns, HostNames.host(zone, host), Type.AAAA);
    var txt = query(dns, HostNames.tunnelTarget(zone, host), Type.TXT);
    var srv = query(dns, HostNames.tunnelService(zone, host), Type.SRV);
    var endpoints = srv.thenCompose(rrs -> endpoints(dns, rrs));
    return CompletableFuture.allOf(aaaa, txt, endpoints)
        .thenApply(v -> {
          Optional<Inet6Address> ula =
              aaaa.join().stream()
                  .filter(AAAARecord.class::isInstance)
                  .map(r -> (Inet6Address) ((AAAARecord) r).getAddress())
                  .findFirst();
          if (ula.isEmpty()) {
            return Optional.empty();
          }
          List<Endpoint> eps = endpoints.join();
          return Optional.of(
              new PeerRecords(
                  host,
                  ula.get(),
                  pick(eps, HostNames.PUBLIC_PRIORITY),
                  pick(eps, HostNames.LAN_PRIORITY),
                  txtValue(txt.join(), HostNames.WG_KEY_PREFIX),
                  txtValue(txt.join(), HostNames.NAT_PREFIX)));
        });
  }

  private record Endpoint(int priority, InetSocketAddress address) {}

  private CompletableFuture<List<Endpoint>> endpoints(DnsRequester dns, List<Record> srvs) {
    List<CompletableFuture<List<Endpoint>>> each = new ArrayList<>();
    for (Record r : srvs) {
      if (r instanceof SRVRecord srv) {
        each.add(
            query(dns, srv.getTarget(), Type.A)
                .thenApply(as ->
                    as.stream()
                        .filter(ARecord.class::isInstance)
                        .map(a ->
                            new Endpoint(
                                srv.getPriority(),
                                new InetSocketAddress(
                                    (Inet4Address) ((ARecord) a).getAddress(), srv.getPort())))
                        .toList()));
      }
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().flatMap(f -> f.join().stream()).toList());
  }

  /** The endpoint of the given SRV priority (the lowest address of the lowest weight wins ties). */
  private static Optional<InetSocketAddress> pick(List<Endpoint> eps, int priority) {
    return eps.stream()
        .filter(e -> e.priority() == priority)
        .map(Endpoint::address)
        .min(Comparator.comparing(a -> a.getAddress().getHostAddress()));
  }

  /** The value of the first {@code key=value} string starting with {@code prefix}. */
  private static Optional<String> txtValue(List<Record> txts, String prefix) {
    for (Record r : txts) {
      if (r instanceof TXTRecord t) {
        for (String s : t.getStrings()) {
          if (s.startsWith(prefix)) {
            return Optional.of(s.substring(prefix.length()));
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The answer RRs of {@code name}/{@code type}: empty for NXDOMAIN or no data; a failed future for
   * anything else, including an answer whose signature does not verify.
   */
  CompletableFuture<List<Record>> query(DnsRequester dns, Name name, int type) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    return dns.request(q)
        .thenApply((Reply reply) -> {
          if (reply.check() != net.membersdns.agent.dns.RequestSigner.Check.VERIFIED) {
            throw new IllegalStateException(
                name + " " + Type.string(type) + ": answer not signed by the server");
          }
          int rc = reply.rcode();
          if (rc == Rcode.NXDOMAIN) {
            return List.of();
          }
          if (rc != Rcode.NOERROR) {
            throw new IllegalStateException(
                name + " " + Type.string(type) + ": " + reply.describe());
          }
          return reply.message().getSection(Section.ANSWER).stream()
              .filter(r -> r.getType() == type && r.getName().equals(name))
              .toList();
        });
  }
}
