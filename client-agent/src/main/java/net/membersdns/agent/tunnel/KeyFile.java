package net.membersdns.agent.tunnel;

import static java.nio.file.attribute.PosixFilePermission.GROUP_READ;
import static java.nio.file.attribute.PosixFilePermission.GROUP_WRITE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_READ;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * The host's WireGuard private key in the state directory: made once, then reused for the life of
 * the host, so peers keep the public key they read from DNS across restarts and moves.
 *
 * <p>The file ({@value #FILE_NAME}) holds the base64 key and a newline, exactly what {@code wg
 * genkey} prints, so {@code wg set IF private-key FILE} reads it too. It is created with mode 0600
 * from its first byte (a temporary file opened with that mode, then renamed over the name), so it
 * is never readable by others, not even briefly, and a crash never leaves half a key behind. A key
 * file that group or others may read is refused rather than used: the key may have leaked.
 *
 * <p>Not safe against two processes creating the key at the same moment (one agent per state
 * directory is the rule).
 */
public final class KeyFile {
  /** Name of the key file in the state directory. */
  public static final String FILE_NAME = "wireguard.key";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> LOOSE =
      EnumSet.of(GROUP_READ, GROUP_WRITE, OTHERS_READ, OTHERS_WRITE);

  private KeyFile() {}

  /**
   * Loads the key pair from {@code stateDir}, creating the directory (0700) and a new key (0600)
   * when there is none.
   *
   * @throws IOException when the file cannot be read or written, is not a key, or is readable by
   *     group or others
   */
  public static KeyPair loadOrCreate(Path stateDir, SecureRandom random) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return load(file);
    }
    if (!Files.isDirectory(stateDir)) {
      Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    }
    KeyPair pair = KeyPair.generate(random);
    write(file, pair.privateKey());
    return pair;
  }

  /** Reads an existing key file (see {@link #loadOrCreate} for the checks). */
  public static KeyPair load(Path file) throws IOException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    if (mode.stream().anyMatch(LOOSE::contains)) {
      throw new IOException(
          file
              + " is readable or writable by others (mode "
              + PosixFilePermissions.toString(mode)
              + "); the key may have leaked: remove it to make a new one, or chmod 600 it");
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      return KeyPair.fromPrivate(WgKey.fromBase64(text));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " does not hold a WireGuard private key: " + e.getMessage(), e);
    }
  }

  private static void write(Path file, WgKey key) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(), FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(StandardCharsets.US_ASCII.encode(key.base64() + "\n"));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
