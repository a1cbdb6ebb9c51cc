package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @Test
  void createsTheKeyOwnerOnlyInWgGenkeyFormat() throws IOException {
    Path state = dir.resolve("state");
    KeyPair p = KeyFile.loadOrCreate(state, RANDOM);
    Path file = state.resolve(KeyFile.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwx------");
    assertThat(Files.readString(file, StandardCharsets.US_ASCII))
        .isEqualTo(p.privateKey().base64() + "\n");
    try (var files = Files.list(state)) {
      assertThat(files).as("no temporary file left").containsExactly(file);
    }
  }

  @Test
  void reloadGivesTheSameKey() throws IOException {
    KeyPair first = KeyFile.loadOrCreate(dir, RANDOM);
    KeyPair again = KeyFile.loadOrCreate(dir, RANDOM);
    assertThat(again).isEqualTo(first);
    assertThat(KeyFile.load(dir.resolve(KeyFile.FILE_NAME)).publicKey())
        .isEqualTo(first.publicKey());
  }

  @Test
  void refusesAKeyOthersCanRead() throws IOException {
    KeyFile.loadOrCreate(dir, RANDOM);
    Path file = dir.resolve(KeyFile.FILE_NAME);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> KeyFile.loadOrCreate(dir, RANDOM))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("leaked");
  }

  @Test
  void refusesAFileThatIsNoKey() throws IOException {
    Path file = dir.resolve(KeyFile.FILE_NAME);
    Files.writeString(file, "hello\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> KeyFile.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not hold a WireGuard private key");
  }
}
