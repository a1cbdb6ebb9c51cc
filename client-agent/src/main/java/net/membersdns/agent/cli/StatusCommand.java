package net.membersdns.agent.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.membersdns.agent.hostid.StateDir;
import net.membersdns.agent.status.AgentStatus;
import net.membersdns.agent.status.StatusFile;
import net.membersdns.agent.status.StatusPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code membersdns-agent status}: what the running agent believes, read from its state file. Exit
 * 0 while the agent runs, 1 when it does not (the last state is still shown, marked as such).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show what the running agent believes (from its state directory).")
final class StatusCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--state-dir",
      defaultValue = "${env:MEMBERSDNS_AGENT_STATE_DIR:-/var/lib/membersdns-agent}",
      description = "The agent's state directory (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  @Option(
      names = "--hosts",
      description =
          "Print the other hosts as /etc/hosts lines (ULA, short name, full name), so that"
              + " 'ssh mini' reaches mini through the tunnel.")
  boolean hosts;

  @Override
  public Integer call() throws Exception {
    Optional<AgentStatus> status = StatusFile.read(StateDir.existing(stateDir).path());
    if (status.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("membersdns-agent status: no agent has run with state directory " + stateDir);
      return AgentCommand.FAILURE;
    }
    AgentStatus s = status.get();
    boolean running =
        !s.stopped() && ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
    var out = spec.commandLine().getOut();
    if (hosts) {
      out.print(StatusPrinter.hostsLines(s));
      out.flush();
      return running ? 0 : AgentCommand.FAILURE;
    }
    out.print(
        json
            ? StatusFile.json(s, running) + "\n"
            : StatusPrinter.render(s, running, Instant.now()));
    out.flush();
    return running ? 0 : AgentCommand.FAILURE;
  }
}
