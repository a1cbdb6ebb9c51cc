package net.membersdns.agent.hostid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;

/**
 * The host's ULA, made once and kept in the state directory ({@code host-id}), so it is the same
 * after every restart and every move: peers key their tunnels on it.
 *
 * @param ula the host's Unique Local Address (RFC 4193)
 * @param created when it was made
 */
public record HostIdentity(Inet6Address ula, Instant created) {
  /** File name in the state directory. */
  public static final String FILE = "host-id";

  /**
   * The identity stored in {@code stateDir}, or a new one written there first.
   *
   * @throws IOException if the state directory cannot be read or written, or the file is damaged
   */
  public static HostIdentity loadOrCreate(StateDir stateDir, Clock clock, SecureRandom random)
      throws IOException {
    Path file = stateDir.path().resolve(FILE);
    if (Files.exists(file)) {
      return read(file);
    }
    byte[] interfaceId = new byte[8];
    random.nextBytes(interfaceId);
    Instant now = clock.instant();
    HostIdentity id =
        new HostIdentity(UniqueLocalAddress.of(now, nodeId(random), 0, interfaceId), now);
    Properties p = new Properties();
    p.setProperty("ula", id.ula().getHostAddress());
    p.setProperty("created", now.toString());
    stateDir.writeAtomically(FILE, properties(p), false);
    return id;
  }

  private static HostIdentity read(Path file) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    String ula = p.getProperty("ula", "");
    try {
      InetAddress a = InetAddress.getByName(ula);
      if (!UniqueLocalAddress.isUla(a) || ula.isEmpty()) {
        throw new IOException(file + ": 'ula' is not a unique local address: " + ula);
      }
      return new HostIdentity(
          (Inet6Address) a, Instant.parse(p.getProperty("created", Instant.EPOCH.toString())));
    } catch (java.time.format.DateTimeParseException | java.net.UnknownHostException e) {
      throw new IOException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  /**
   * RFC 4193 §3.2.2 step 2 asks for an EUI-64 or another node-unique value: systemd's machine id
   * when there is one, else random bytes (the SHA-1 only needs the input to be unlikely to repeat).
   */
  private static byte[] nodeId(SecureRandom random) {
    try {
      byte[] id = Files.readAllBytes(Path.of("/etc/machine-id"));
      if (id.length > 0) {
        return id;
      }
    } catch (IOException | UncheckedIOException e) {
      // no machine id: fall through
    }
    byte[] b = new byte[16];
    random.nextBytes(b);
    return b;
  }

  private static byte[] properties(Properties p) throws IOException {
    var out = new java.io.StringWriter();
    p.store(
        out, "membersdns agent host identity (RFC 4193 ULA); keep it: peers know the host by it");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
