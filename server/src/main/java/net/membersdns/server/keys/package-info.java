/**
 * The TSIG keys and grants the request path authenticates and authorises with, held in memory
 * ({@link net.membersdns.server.keys.KeyCache}) and reloaded from the store on the change feed's
 * keys notifications and sweep. Lookups never block; reloads run on the change feed's thread.
 */
package net.membersdns.server.keys;
