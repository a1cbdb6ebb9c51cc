/** The agent's validated settings and the host key file. */
package net.membersdns.agent.config;
