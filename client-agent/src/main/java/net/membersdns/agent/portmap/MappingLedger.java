package net.membersdns.agent.portmap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.agent.netwatch.Ipv4;
import net.membersdns.agent.netwatch.NetworkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mappings this agent may have live on gateways, in a small JSON file in the state dir ({@value
 * #FILE_NAME}), rewritten whole and atomically (temporary file, fsync, rename) after every change.
 * After a crash it tells the next run what to release: a mapping lives on in the gateway for up to
 * its lifetime (two hours) whether or not the agent that asked still runs.
 *
 * <p>Not thread-safe: the port mapper's thread owns it. A missing, unreadable or corrupt file reads
 * as empty (logged); a failed write is logged and the mapping goes on: the ledger is a safety net,
 * not a reason to stop being reachable.
 */
public final class MappingLedger {
  private static final Logger log = LoggerFactory.getLogger(MappingLedger.class);
  public static final String FILE_NAME = "portmap-ledger.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One mapping that may be live on {@code gateway} for {@code local}:{@code internalPort} until
   * {@code expiry}; {@code nonce} for PCP (its deletion needs it, RFC 6887 §15).
   */
  public record Entry(
      Inet4Address gateway,
      Inet4Address local,
      MappingProtocol protocol,
      TransportProtocol transport,
      int internalPort,
      int externalPort,
      Optional<PcpNonce> nonce,
      Instant expiry) {
    public Entry {
      Objects.requireNonNull(nonce, "nonce");
    }
  }

  /**
   * What to do with entries not held live once the network is known: {@code release} them (delete
   * on the gateway), {@code keep} them (their gateway is out of reach now; should the host come
   * back before they expire, they are released then). Expired ones are in neither list.
   */
  public record Recovery(List<Entry> release, List<Entry> keep) {}

  private final Path file;

  public MappingLedger(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  /**
   * Pure: unexpired entries for the current gateway and local address are to be released (only from
   * that address can they be deleted: both protocols key a mapping on it); unexpired others are
   * kept; expired ones are forgotten, the gateway has dropped them already.
   */
  public static Recovery recover(List<Entry> entries, NetworkState state, Instant now) {
    List<Entry> release = new ArrayList<>();
    List<Entry> keep = new ArrayList<>();
    for (Entry e : entries) {
      if (!e.expiry().isAfter(now)) {
        continue;
      }
      boolean here =
          state.gateway().equals(Optional.of(e.gateway()))
              && state.localAddress().equals(Optional.of(e.local()));
      (here ? release : keep).add(e);
    }
    return new Recovery(release, keep);
  }

  public List<Entry> read() {
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      List<Entry> out = new ArrayList<>();
      for (JsonNode n : root.path("mappings")) {
        parse(n).ifPresent(out::add);
      }
      return out;
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | RuntimeException e) {
      log.warn("portmap: ledger {} is unreadable ({}); starting without it", file, e.toString());
      return List.of();
    }
  }

  /** Replaces the file's content with {@code entries} (an empty list after a clean stop). */
  public void write(List<Entry> entries) {
    ObjectNode root = JSON.createObjectNode().put("version", 1);
    ArrayNode list = root.putArray("mappings");
    for (Entry e : entries) {
      ObjectNode n = list.addObject();
      n.put("gateway", e.gateway().getHostAddress());
      n.put("local", e.local().getHostAddress());
      n.put("protocol", e.protocol().id());
      n.put("transport", e.transport().id());
      n.put("internalPort", e.internalPort());
      n.put("externalPort", e.externalPort());
      e.nonce().ifPresent(x -> n.put("nonce", x.hex()));
      n.put("expires", e.expiry().toString());
    }
    Path tmp = null;
    try {
      Files.createDirectories(file.getParent());
      tmp = Files.createTempFile(file.getParent(), ".portmap-ledger", ".tmp");
      byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(bytes));
        ch.force(true); // the rename must not publish an empty file after a power cut
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("portmap: cannot write the ledger {}: {}", file, e.toString());
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private static Optional<Entry> parse(JsonNode n) {
    try {
      MappingProtocol protocol =
          switch (n.path("protocol").asText()) {
            case "pcp" -> MappingProtocol.PCP;
            case "nat-pmp" -> MappingProtocol.NAT_PMP;
            default -> throw new IllegalArgumentException("protocol " + n.path("protocol"));
          };
      Optional<PcpNonce> nonce =
          n.hasNonNull("nonce")
              ? Optional.of(PcpNonce.ofHex(n.get("nonce").asText()))
              : Optional.empty();
      if (protocol == MappingProtocol.PCP && nonce.isEmpty()) {
        return Optional.empty(); // cannot be deleted without it; it expires by itself
      }
      return Optional.of(
          new Entry(
              Ipv4.parse(n.path("gateway").asText()),
              Ipv4.parse(n.path("local").asText()),
              protocol,
              TransportProtocol.valueOf(
                  n.path("transport").asText().toUpperCase(java.util.Locale.ROOT)),
              port(n.path("internalPort")),
              port(n.path("externalPort")),
              nonce,
              Instant.parse(n.path("expires").asText())));
    } catch (RuntimeException e) {
      log.warn("portmap: skipping a ledger entry that does not parse: {}", n);
      return Optional.empty();
    }
  }

  private static int port(JsonNode n) {
    if (!n.isInt() || n.asInt() < 0 || n.asInt() > 65535) {
      throw new IllegalArgumentException("not a port: " + n);
    }
    return n.asInt();
  }
}
