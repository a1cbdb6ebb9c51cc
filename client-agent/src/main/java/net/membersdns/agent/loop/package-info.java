/** The agent's single-threaded event loop: all agent state lives on it; I/O threads post to it. */
package net.membersdns.agent.loop;
