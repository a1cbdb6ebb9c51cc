package net.membersdns.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.membersdns.agent.status.AgentStatus;
import net.membersdns.agent.status.StatusFile;

/**
 * The real agent ({@code target/membersdns-agent.jar}) running in one host namespace of the test
 * network, the way a user runs {@code membersdns-agent up}: it finds the server through the SRV
 * record (the namespace's resolv.conf points at the server) and trusts its self-signed certificate
 * with {@code --ca-file}.
 */
public final class AgentNode implements AutoCloseable {
  public static final Path JAR = Path.of("target", "membersdns-agent.jar").toAbsolutePath();

  /** The launcher users run: the agent starts with the JVM settings it chooses. */
  public static final Path LAUNCHER =
      Path.of("..", "bin", "membersdns-agent").toAbsolutePath().normalize();

  private final Netns net;
  private final String node;
  private final String name;
  private final Path stateDir;
  private final String interfaceName;
  private final List<String> command;
  private Process process;

  private AgentNode(
      Netns net, String node, String name, Path stateDir, String iface, List<String> command) {
    this.net = net;
    this.node = node;
    this.name = name;
    this.stateDir = stateDir;
    this.interfaceName = iface;
    this.command = command;
  }

  /**
   * Starts the agent for {@code host} of {@code member} in namespace {@code node} with the key in
   * {@code keyFile}; {@code extra} options are appended.
   */
  public static AgentNode start(
      Netns net,
      String node,
      ServerNode server,
      String member,
      String host,
      Path keyFile,
      String... extra)
      throws Exception {
    return start(net, node, "", server, member, host, keyFile, extra);
  }

  /**
   * Like {@link #start(Netns, String, ServerNode, String, String, Path, String...)}, for one of
   * several agents in the same namespace: {@code instance} tells their logs, state directories and
   * interfaces apart (give each its own {@code --port} too).
   */
  public static AgentNode start(
      Netns net,
      String node,
      String instance,
      ServerNode server,
      String member,
      String host,
      Path keyFile,
      String... extra)
      throws Exception {
    assertThat(JAR).as("the agent jar (mvn package)").exists();
    String iface = net.prefix().replace("-", "") + "w" + node.charAt(node.length() - 1) + instance;
    Path state = net.state().resolve("agent-" + node + instance);
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            LAUNCHER.toString(),
            "up",
            "--domain",
            member + "." + ServerNode.DOMAIN,
            "--key-file",
            keyFile.toString(),
            "--host",
            host,
            "--state-dir",
            state.toString(),
            "--interface",
            iface,
            "--metrics-listen",
            "127.0.0.1:" + (9154 + (instance.isEmpty() ? 0 : Integer.parseInt(instance)))));
    if (!List.of(extra).contains("--ca-file")) {
      cmd.addAll(List.of("--ca-file", server.certificate().toString()));
    }
    cmd.addAll(List.of(extra));
    AgentNode a = new AgentNode(net, node, "agent-" + node + instance, state, iface, cmd);
    a.launch();
    return a;
  }

  private void launch() throws Exception {
    process =
        net.start(
            node,
            name,
            List.of("JAVA_HOME=" + System.getProperty("java.home"), "MEMBERSDNS_AGENT_JAR=" + JAR),
            command.toArray(String[]::new));
  }

  /** Starts the same agent again (same state directory: same ULA and keys). */
  public void restart() throws Exception {
    stop();
    launch();
  }

  /** The agent JVM's process id (ip netns exec execs it: the PID is the agent's own). */
  public long pid() {
    return process.pid();
  }

  public String interfaceName() {
    return interfaceName;
  }

  public Path stateDir() {
    return stateDir;
  }

  public String log() {
    try {
      return net.log(name);
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }

  /** The agent's status file now, if written yet. */
  public Optional<AgentStatus> status() {
    try {
      return StatusFile.read(stateDir);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Waits until the status file satisfies {@code condition}. */
  public AgentStatus awaitStatus(Duration timeout, String what, Predicate<AgentStatus> condition) {
    return Await.until(
        timeout,
        node + ": " + what,
        this::context,
        () -> {
          assertThat(process.isAlive()).as("agent on " + node + " alive\n" + log()).isTrue();
          return status().filter(condition).orElse(null);
        });
  }

  /** Where the agent's output ends now: pass it to {@link #awaitLog} to wait for what follows. */
  public int logMark() {
    return log().length();
  }

  /** Waits until the agent's output after {@code mark} contains {@code text}. */
  public void awaitLog(Duration timeout, String text, int mark) {
    Await.until(
        timeout,
        node + " saying '" + text + "'",
        this::context,
        () -> {
          String all = log();
          return all.length() > mark && all.substring(mark).contains(text);
        });
  }

  /** {@code membersdns-agent status} (plain or {@code --json}) in the node. */
  public Netns.Result statusCommand(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "status",
                "--state-dir",
                stateDir.toString()));
    cmd.addAll(List.of(args));
    return net.run(node, Duration.ofSeconds(60), cmd.toArray(String[]::new));
  }

  /** SIGTERM, then waits for the exit; returns the exit code. */
  public int stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return process == null ? 0 : process.exitValue();
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  /** SIGKILL: a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  private String context() {
    return "--- "
        + name
        + " log ---\n"
        + log()
        + "\n--- status ---\n"
        + status().map(String::valueOf).orElse("none");
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
