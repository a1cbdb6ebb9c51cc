package net.membersdns.server.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster in {@code <dataDir>/pg}, run from binaries unpacked in {@code
 * <dataDir>/pg-bin}, listening on 127.0.0.1 only (no Unix socket) on a port chosen free at start
 * and written to {@code <dataDir>/postgres.port}. Authentication is {@code trust}: only local
 * processes can reach it.
 *
 * <p>If a postmaster already runs for the directory (the server while the CLI runs {@code member
 * add}, or a test's first instance), {@link #start} connects to it and {@link #close} leaves it
 * running; only the process that started the postmaster stops it. Start-up is serialised across
 * processes by a file lock in the data directory. Thread-safe; {@link #close} is idempotent.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();
  private static final long START_TIMEOUT_SECONDS = 120;

  private final Path bin;
  private final Path cluster;
  private final int port;
  private final boolean startedHere;
  private boolean closed;

  private EmbeddedPostgresServer(Path bin, Path cluster, int port, boolean startedHere) {
    this.bin = bin;
    this.cluster = cluster;
    this.port = port;
    this.startedHere = startedHere;
  }

  /**
   * Unpacks, initialises and starts PostgreSQL under {@code dataDir} as needed, or attaches to the
   * postmaster already running there. Blocks until it accepts connections.
   *
   * @throws IllegalStateException with PostgreSQL's own output when it cannot be started
   */
  public static EmbeddedPostgresServer start(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    IN_PROCESS.lock();
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve("embedded-postgres.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        return startLocked(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
    } finally {
      IN_PROCESS.unlock();
    }
  }

  private static EmbeddedPostgresServer startLocked(Path dir) throws IOException {
    Unprivileged.makeParentsTraversable(dir.resolve("pg"));
    Path bin = PostgresBinaries.install(dir.resolve("pg-bin")).resolve("bin");
    if (Unprivileged.isRoot()) {
      Unprivileged.chownTree(bin.getParent());
    }
    Path cluster = dir.resolve("pg");
    if (!Files.exists(cluster.resolve("PG_VERSION"))) {
      initdb(bin, cluster);
    }
    Integer running = runningPort(bin, cluster);
    if (running != null) {
      log.info("embedded-postgres: using the postmaster already running on port {}", running);
      return new EmbeddedPostgresServer(bin, cluster, running, false);
    }
    int port = freePort();
    Files.writeString(dir.resolve("postgres.port"), port + "\n", StandardCharsets.US_ASCII);
    Unprivileged.Result r =
        Unprivileged.run(
            Unprivileged.command(
                List.of(
                    bin.resolve("pg_ctl").toString(),
                    "start",
                    "-w",
                    "-t",
                    Long.toString(START_TIMEOUT_SECONDS),
                    "-D",
                    cluster.toString(),
                    "-l",
                    cluster.resolve("postmaster.log").toString(),
                    "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''")),
            START_TIMEOUT_SECONDS + 10);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "pg_ctl start failed (exit " + r.exit() + "): " + r.output() + logTail(cluster));
    }
    log.info("embedded-postgres: started in {} on 127.0.0.1:{}", cluster, port);
    return new EmbeddedPostgresServer(bin, cluster, port, true);
  }

  private static void initdb(Path bin, Path cluster) throws IOException {
    Path tmp = cluster.resolveSibling("pg.init-tmp");
    Unprivileged.deleteTree(tmp);
    Files.createDirectory(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Unprivileged.chownTree(tmp);
    Unprivileged.Result r =
        Unprivileged.run(
            Unprivileged.command(
                List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    tmp.toString(),
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "-A",
                    "trust")),
            START_TIMEOUT_SECONDS);
    if (r.exit() != 0) {
      throw new IllegalStateException("initdb failed (exit " + r.exit() + "): " + r.output());
    }
    // Renamed whole, so a cluster directory with PG_VERSION is always complete.
    Files.move(tmp, cluster);
    log.info("embedded-postgres: initialised a cluster in {}", cluster);
  }

  /** The port of the postmaster running for {@code cluster}, or {@code null} if none runs. */
  private static Integer runningPort(Path bin, Path cluster) throws IOException {
    Unprivileged.Result status =
        Unprivileged.run(
            Unprivileged.command(
                List.of(bin.resolve("pg_ctl").toString(), "status", "-D", cluster.toString())),
            30);
    if (status.exit() != 0) {
      return null; // 3: not running; a stale postmaster.pid is handled by postgres itself
    }
    // postmaster.pid line 4 is the port (PostgreSQL's LOCK_FILE_LINE_PORT).
    List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"));
    return Integer.parseInt(lines.get(3).strip());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String logTail(Path cluster) {
    try {
      List<String> lines = Files.readAllLines(cluster.resolve("postmaster.log"));
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** JDBC URL of the {@code postgres} database as the {@code postgres} superuser. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  public int port() {
    return port;
  }

  /** Whether this object started the postmaster (and so stops it on {@link #close}). */
  public boolean startedHere() {
    return startedHere;
  }

  /** Stops the postmaster if this object started it ({@code pg_ctl stop -m fast}). */
  @Override
  public synchronized void close() {
    if (closed || !startedHere) {
      closed = true;
      return;
    }
    closed = true;
    Unprivileged.Result r =
        Unprivileged.run(
            Unprivileged.command(
                List.of(
                    bin.resolve("pg_ctl").toString(),
                    "stop",
                    "-w",
                    "-m",
                    "fast",
                    "-D",
                    cluster.toString())),
            START_TIMEOUT_SECONDS);
    if (r.exit() != 0) {
      log.warn("embedded-postgres: pg_ctl stop failed (exit {}): {}", r.exit(), r.output());
    } else {
      log.info("embedded-postgres: stopped {}", cluster);
    }
  }
}
