/** Wire framing shared by the server and the host agent. */
package net.membersdns.protocol.wire;
