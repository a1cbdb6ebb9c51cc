/** Test support shared by integration tests: real databases, never mocks. */
package net.membersdns.server.testing;
