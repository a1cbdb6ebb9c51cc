package net.membersdns.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real membersdns server (the jar the reactor built in {@code ../server/target}) running in the
 * test network's {@code inet} namespace on 198.18.0.53 — DNS on 53, DNS-over-TLS on 853 — for the
 * members domain {@code members.example.}. Its database: a fresh one on {@code
 * MEMBERSDNS_TEST_DB_URL} (reached through the network's db relay) when that is set, else its
 * embedded PostgreSQL inside the namespace. Administration commands run in {@code inet} too, so
 * they reach the same database either way.
 */
public final class ServerNode implements AutoCloseable {
  public static final String ADDRESS = "198.18.0.53";
  public static final String DOMAIN = "members.example.";
  public static final String NAME = "dns.members.example";
  public static final Path JAR =
      Path.of("..", "server", "target", "membersdns-server.jar").toAbsolutePath().normalize();
  private static final Pattern URL =
      Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?$");

  private final Netns net;
  private final Path dataDir;
  private final List<String> dbArgs;
  private final String adminUrl;
  private final String database;
  private Process process;

  private ServerNode(Netns net, Path dataDir, List<String> dbArgs, String adminUrl, String db) {
    this.net = net;
    this.dataDir = dataDir;
    this.dbArgs = dbArgs;
    this.adminUrl = adminUrl;
    this.database = db;
  }

  /**
   * Starts the server with {@code extra} serve options (e.g. short leases) and waits until it
   * answers.
   */
  public static ServerNode start(Netns net, String... extra) throws Exception {
    assertThat(JAR).as("the server jar (build the reactor: ./mvnw verify)").exists();
    Path data = net.state().resolve("server-data");
    Files.createDirectories(data);
    String env = System.getenv("MEMBERSDNS_TEST_DB_URL");
    List<String> dbArgs = new ArrayList<>(List.of("--data-dir", data.toString()));
    String admin = null;
    String db = null;
    if (env != null && !env.isBlank()) {
      admin = env;
      db = "membersdns_agent_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection c = DriverManager.getConnection(admin);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
      }
      net.dbRelay(env);
      Matcher m = URL.matcher(env);
      assertThat(m.matches()).as("MEMBERSDNS_TEST_DB_URL is a jdbc:postgresql URL").isTrue();
      String hostPort = m.group(1).replaceAll("^jdbc:postgresql://|/$", "");
      String port =
          hostPort.contains(":") ? hostPort.substring(hostPort.lastIndexOf(':') + 1) : "5432";
      dbArgs.addAll(
          List.of(
              "--db-url",
              "jdbc:postgresql://127.0.0.1:"
                  + port
                  + "/"
                  + db
                  + (m.group(3) == null ? "" : m.group(3))));
    }
    ServerNode s = new ServerNode(net, data, dbArgs, admin, db);
    s.startProcess(extra);
    return s;
  }

  private void startProcess(String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(java());
    cmd.addAll(
        List.of(
            "serve",
            "--listen",
            ADDRESS + ":53",
            "--tls-listen",
            ADDRESS + ":853",
            "--http-listen",
            ADDRESS + ":9153",
            "--domain",
            DOMAIN,
            "--server-name",
            NAME + "."));
    cmd.addAll(dbArgs);
    cmd.addAll(List.of(extra));
    process = net.start("inet", "server", List.of(), cmd.toArray(String[]::new));
    Await.until(
        Duration.ofSeconds(120),
        "the server to answer on " + ADDRESS,
        () -> log(),
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError("the server exited:\n" + log());
          }
          return net.run(
                  "inet",
                  Duration.ofSeconds(5),
                  "dig",
                  "+short",
                  "+time=1",
                  "+tries=1",
                  "@" + ADDRESS,
                  DOMAIN,
                  "SOA")
              .out()
              .contains(NAME);
        });
  }

  /** Stops the server process (SIGTERM) and starts it again with the same data. */
  public void restart(String... extra) throws Exception {
    stopProcess();
    startProcess(extra);
  }

  /** The self-signed certificate the server generated: what agents pass as {@code --ca-file}. */
  public Path certificate() {
    return dataDir.resolve("tls").resolve("server.crt");
  }

  /** Runs an administration command ({@code member add alice}, ...) against the server's data. */
  public Netns.Result cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(java());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--domain", DOMAIN));
    cmd.addAll(dbArgs);
    return net.run("inet", Duration.ofSeconds(120), cmd.toArray(String[]::new));
  }

  /** Like {@link #cli} but fails the test on a non-zero exit. */
  public String ok(String... args) throws Exception {
    Netns.Result r = cli(args);
    assertThat(r.exit()).as(String.join(" ", args) + ":\n" + r.out()).isZero();
    return r.out();
  }

  /** Enrols host {@code host} of {@code member} and writes its key file; returns the file. */
  public Path hostKey(String member, String host) throws Exception {
    Path file = net.state().resolve("key-" + member + "-" + host);
    Files.deleteIfExists(file);
    ok("host", "add", member, host, "--key-file", file.toString());
    return file;
  }

  /** {@code dig +short} from inet. */
  public String dig(String name, String type) throws Exception {
    return net.exec("inet", "dig", "+short", "+time=2", "+tries=2", "@" + ADDRESS, name, type)
        .strip();
  }

  public String log() {
    try {
      return net.log("server");
    } catch (Exception e) {
      return "(no server log: " + e + ")";
    }
  }

  private static List<String> java() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString());
  }

  private void stopProcess() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Override
  public void close() throws Exception {
    stopProcess();
    if (database != null) {
      Matcher m = URL.matcher(adminUrl);
      if (m.matches()) {
        try (Connection c = DriverManager.getConnection(adminUrl);
            Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
      }
    }
  }
}
