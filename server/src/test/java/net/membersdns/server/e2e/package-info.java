/**
 * End-to-end tests: the built server jar run as processes on a real PostgreSQL, driven by peer
 * tools nobody here wrote (nsupdate, dig, dnspython) and by dnsjava for load.
 */
package net.membersdns.server.e2e;
