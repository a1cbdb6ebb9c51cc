package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A note in the state directory that this agent created interface IF ({@code tunnel-IF.owner}:
 * {@code kernel}, or {@code wireguard-go PID}). It outlives a crash, so the next run can tell its
 * own leftover interface from one somebody else made, take it over, and remove it on a clean
 * shutdown; an interface without the note is never removed. Without a state directory nothing is
 * recorded. Used by one thread at a time.
 */
final class OwnerRecord {
  private static final String KERNEL = "kernel";
  private static final String WIREGUARD_GO = "wireguard-go";

  private final Optional<Path> file;

  private OwnerRecord(Optional<Path> file) {
    this.file = file;
  }

  static OwnerRecord of(Optional<Path> stateDir, String interfaceName) {
    return new OwnerRecord(stateDir.map(d -> d.resolve("tunnel-" + interfaceName + ".owner")));
  }

  /** Whether the record says we created a kernel link. */
  boolean saysKernel() throws IOException {
    return read().equals(List.of(KERNEL));
  }

  /** The pid of the wireguard-go we started, if the record says so. */
  OptionalLong wireguardGoPid() throws IOException {
    List<String> words = read();
    if (words.size() == 2 && words.get(0).equals(WIREGUARD_GO)) {
      try {
        return OptionalLong.of(Long.parseLong(words.get(1)));
      } catch (NumberFormatException e) {
        return OptionalLong.empty(); // garbled: as good as no record
      }
    }
    return OptionalLong.empty();
  }

  void recordKernel() throws IOException {
    write(KERNEL);
  }

  void recordWireguardGo(long pid) throws IOException {
    write(WIREGUARD_GO + " " + pid);
  }

  void clear() throws IOException {
    if (file.isPresent()) {
      Files.deleteIfExists(file.get());
    }
  }

  private List<String> read() throws IOException {
    if (file.isEmpty() || !Files.exists(file.get())) {
      return List.of();
    }
    String text = Files.readString(file.get(), StandardCharsets.US_ASCII).strip();
    return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
  }

  private void write(String text) throws IOException {
    if (file.isPresent()) {
      Files.createDirectories(file.get().getParent());
      Files.writeString(file.get(), text + "\n", StandardCharsets.US_ASCII);
    }
  }
}
