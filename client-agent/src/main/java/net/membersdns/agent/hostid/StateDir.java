package net.membersdns.agent.hostid;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The agent's state directory (default {@code /var/lib/membersdns-agent}): the host identity, the
 * tunnel key, the port-mapping ledger and the status file. Created 0700. Files are replaced
 * atomically (write a temporary file, then rename), so a reader or a crash never sees half a file.
 */
public final class StateDir {
  /** The default, as systemd's {@code StateDirectory=membersdns-agent} makes it. */
  public static final Path DEFAULT = Path.of("/var/lib/membersdns-agent");

  private final Path path;

  private StateDir(Path path) {
    this.path = path;
  }

  /** Opens {@code path}, creating it (mode 0700) when missing. */
  public static StateDir open(Path path) throws IOException {
    Path p = path.toAbsolutePath();
    if (!Files.isDirectory(p)) {
      try {
        Files.createDirectories(
            p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        throw new IOException(p + " exists and is not a directory", e);
      }
    }
    if (!Files.isWritable(p)) {
      throw new IOException(p + " is not writable");
    }
    return new StateDir(p);
  }

  /** Opens an existing directory for reading only (the {@code status} command). */
  public static StateDir existing(Path path) throws IOException {
    Path p = path.toAbsolutePath();
    if (!Files.isDirectory(p)) {
      throw new IOException(p + " does not exist");
    }
    return new StateDir(p);
  }

  public Path path() {
    return path;
  }

  /**
   * Replaces file {@code name} with {@code content} atomically.
   *
   * @param secret create it 0600 from the start (keys), else 0644
   */
  public void writeAtomically(String name, byte[] content, boolean secret) throws IOException {
    Path target = path.resolve(name);
    Path tmp =
        Files.createTempFile(
            path,
            "." + name,
            ".tmp",
            PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    try {
      Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
