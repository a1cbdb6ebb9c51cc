package net.membersdns.server.pipeline;

/**
 * What response rate limiting counts a response as, read from the rendered response alone (so the
 * answer cache's replays and the full path classify alike). As in BIND's and Knot's RRL, identical
 * positive answers share a bucket per question name and type, while NXDOMAIN, NODATA and referrals
 * share one per zone (the owner of the first authority record: the SOA of the zone, or the NS of
 * the cut), so that a flood of random names in one zone is limited as one; errors share one per
 * client network.
 */
enum ResponseClass {
  /** NOERROR with answers: keyed by question name and type. */
  ANSWER,
  /** NOERROR without answers, SOA in authority (RFC 2308 §2.2): keyed by the zone. */
  NODATA,
  /** NXDOMAIN (RFC 2308 §2.1): keyed by the zone. */
  NXDOMAIN,
  /** NOERROR without answers, NS in authority (a delegation): keyed by the cut. */
  REFERRAL,
  /** Every other RCODE (REFUSED, FORMERR, NOTIMP, SERVFAIL, NOTAUTH): keyed by nothing more. */
  ERROR
}
