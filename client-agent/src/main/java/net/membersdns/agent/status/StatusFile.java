package net.membersdns.agent.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import net.membersdns.agent.hostid.StateDir;

/**
 * The status file {@code status.json} in the state directory: rewritten atomically by the running
 * agent on every change, read by {@code status}. JSON, so scripts can read it too ({@code status
 * --json} prints it).
 */
public final class StatusFile {
  /** File name in the state directory. */
  public static final String FILE = "status.json";

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private StatusFile() {}

  /** Replaces the file with {@code status}. */
  public static void write(StateDir dir, AgentStatus status) throws IOException {
    dir.writeAtomically(FILE, JSON.writeValueAsBytes(status), false);
  }

  /** The status in {@code dir}; empty when the agent never ran there. */
  public static Optional<AgentStatus> read(Path dir) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(dir.resolve(FILE)), AgentStatus.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** {@code status} as JSON text, with a {@code running} verdict added by the reader. */
  public static String json(AgentStatus status, boolean running) throws IOException {
    var node = JSON.valueToTree(status);
    ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("running", running);
    return JSON.writeValueAsString(node);
  }
}
