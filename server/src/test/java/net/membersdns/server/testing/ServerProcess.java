package net.membersdns.server.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built server jar started as a real process, the way users run it (end-to-end tests). Picks
 * free loopback ports, logs to a file under {@code target/}, waits for {@code /ready}.
 */
public final class ServerProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "membersdns-server.jar");

  private final Process process;
  private final Path log;
  public final int dnsPort;
  public final int tlsPort;
  public final int httpPort;

  private ServerProcess(Process process, Path log, int dnsPort, int tlsPort, int httpPort) {
    this.process = process;
    this.log = log;
    this.dnsPort = dnsPort;
    this.tlsPort = tlsPort;
    this.httpPort = httpPort;
  }

  /** Starts {@code serve} with the given extra arguments (database options, domain, ...). */
  public static ServerProcess start(Path workDir, List<String> extraArgs) throws Exception {
    return start(workDir, extraArgs, Map.of());
  }

  /**
   * Starts {@code serve} with extra arguments and environment variables. Without {@code
   * MEMBERSDNS_DRAIN} in {@code env} the drain is 0 s, so that stopping a test's server does not
   * wait out the production default.
   */
  public static ServerProcess start(Path workDir, List<String> extraArgs, Map<String, String> env)
      throws Exception {
    int dns = freePort();
    int tls = freePort();
    int http = freePort();
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.addAll(
        List.of(
            "serve",
            "--listen",
            "127.0.0.1:" + dns,
            "--tls-listen",
            "127.0.0.1:" + tls,
            "--http-listen",
            "127.0.0.1:" + http));
    cmd.addAll(extraArgs);
    Files.createDirectories(workDir);
    Path log = Files.createTempFile(workDir, "server-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("MEMBERSDNS_DRAIN", "0");
    pb.environment().putAll(env);
    Process p = pb.start();
    ServerProcess sp = new ServerProcess(p, log, dns, tls, http);
    sp.awaitReady(Duration.ofSeconds(90));
    return sp;
  }

  /** {@code java -jar membersdns-server.jar} with the running JVM's java. */
  public static List<String> javaCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-jar", JAR.toAbsolutePath().toString());
  }

  /** Runs a CLI subcommand to completion; returns exit code and combined output. */
  public static Result run(Path workDir, List<String> args) throws Exception {
    return run(workDir, args, Map.of());
  }

  /** Runs a CLI subcommand with extra environment variables. */
  public static Result run(Path workDir, List<String> args, Map<String, String> env)
      throws Exception {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.addAll(args);
    Files.createDirectories(workDir);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    return new Result(p.exitValue(), out);
  }

  public record Result(int exitCode, String output) {
    /**
     * The key a {@code member add}, {@code host add} or {@code key add} printed once, as {@code
     * alg:name:secret} (the text after its {@code key: } line's prefix).
     */
    public String keyLine() {
      return output
          .lines()
          .filter(l -> l.startsWith("key: "))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no key: line in\n" + output))
          .substring("key: ".length());
    }
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (HttpClient client = HttpClient.newHttpClient()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("server exited " + process.exitValue() + ":\n" + log());
        }
        try {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                      .timeout(Duration.ofSeconds(1))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server not ready in " + timeout + ":\n" + log());
  }

  /** GET on the admin port; returns the body. */
  public String http(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Sends {@code signal} (e.g. {@code HUP}, {@code TERM}) to the server process. */
  public void signal(String signal) throws Exception {
    Tool.Output out = Tool.run(List.of("kill", "-" + signal, String.valueOf(process.pid())));
    if (out.exitCode() != 0) {
      throw new IllegalStateException("kill -" + signal + ": " + out.stdout());
    }
  }

  /**
   * SIGKILL to the server's JVM (started as {@code java -jar} itself, not through a shell, so the
   * signal reaches the process that serves): no shutdown hook, no drain, no last commit. Waits for
   * it to be gone.
   *
   * @return the exit code: 137 (128 + SIGKILL) when the signal killed it
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server still running 30 s after SIGKILL");
    }
    return process.exitValue();
  }

  /** The command line of the running server process, as the kernel reports it. */
  public String commandLine() {
    return process.info().commandLine().orElse("");
  }

  /** Waits for the process to exit on its own; returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("server still running after " + timeout);
    }
    return process.exitValue();
  }

  /** The HTTP status of {@code GET path} on the admin port. */
  public int httpStatus(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  /** A port free for both TCP and UDP on 127.0.0.1 right now. */
  public static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        int port = s.getLocalPort();
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
          return port;
        } catch (IOException busy) {
          // UDP side taken; try another
        }
      }
    }
    throw new IOException("no free port");
  }

  /** Stops the server with SIGTERM (graceful), then SIGKILL after 15 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
