/** What the agent concluded about its network and its server, as data and in plain words. */
package net.membersdns.agent.diagnosis;
