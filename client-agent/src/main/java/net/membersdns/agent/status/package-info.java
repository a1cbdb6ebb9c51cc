/**
 * What the running agent believes, written atomically to {@code status.json} in the state directory
 * and shown by {@code membersdns-agent status} (plain words or {@code --json}).
 */
package net.membersdns.agent.status;
