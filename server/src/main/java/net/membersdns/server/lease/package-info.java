/**
 * Update leases (RFC 9664) after they are granted: the {@link
 * net.membersdns.server.lease.LeaseReaper} removes expired records through the zone writers, so a
 * lease expiry is an ordinary commit (serial, journal, change events). Runs on its own timer
 * thread; the store query is the {@link net.membersdns.server.lease.ExpiredLeases} port.
 */
package net.membersdns.server.lease;
