package net.membersdns.server.query;

import java.util.List;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.RRset;

/**
 * What a lookup found: rcode, whether the answer is authoritative (not for referrals), the answer
 * RRsets (a CNAME chain, then the data) and the authority RRsets (SOA for negative answers, NS for
 * referrals).
 *
 * @param sources the zone versions read, the zone the lookup started in first
 */
public record LookupResult(
    int rcode,
    boolean authoritative,
    List<RRset> answer,
    List<RRset> authority,
    List<ZoneData> sources) {}
