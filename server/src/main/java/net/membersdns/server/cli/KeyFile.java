package net.membersdns.server.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import net.membersdns.protocol.tsig.KeyLine;

/**
 * A new file that will hold one key line, {@code ALGORITHM:NAME:SECRET} (what {@code nsupdate -y}
 * takes and {@link KeyLine#parse} reads). Created before the key exists, so that a path that cannot
 * be written fails the command before anything is enrolled, and created exclusively with mode 0600
 * in the same system call: it is never readable by others, not even for a moment, and an existing
 * file (or a symbolic link planted in its place) is never written through, whatever it holds.
 *
 * <p>Not thread-safe; one per command.
 */
final class KeyFile implements AutoCloseable {
  private final Path path;
  private final SeekableByteChannel channel;

  private KeyFile(Path path, SeekableByteChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * Creates {@code path}, empty, mode 0600 (fewer bits if the umask takes more).
   *
   * @throws java.nio.file.FileAlreadyExistsException if anything is at {@code path}
   * @throws IOException if it cannot be created
   */
  static KeyFile create(Path path) throws IOException {
    return new KeyFile(
        path,
        Files.newByteChannel(
            path,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
  }

  Path path() {
    return path;
  }

  /** Writes {@code key} as one line and closes the file. */
  void write(KeyLine key) throws IOException {
    try (channel) {
      ByteBuffer line = ByteBuffer.wrap((key.format() + "\n").getBytes(StandardCharsets.US_ASCII));
      while (line.hasRemaining()) {
        channel.write(line);
      }
    }
  }

  /** Closes and deletes the file (the key it was made for was never created). */
  void discard() {
    try (channel) {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Best effort: an empty file holds no secret.
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
