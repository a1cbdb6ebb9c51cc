package net.membersdns.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import net.membersdns.protocol.tsig.KeyLine;

/**
 * Reads the host key file that {@code membersdns host add --key-file} writes: one key line ({@link
 * KeyLine}), blank lines and {@code #} comments ignored.
 */
public final class KeyFile {
  private KeyFile() {}

  /**
   * @throws IllegalArgumentException naming the file and what is wrong (never the secret)
   */
  public static KeyLine read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read key file "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage());
    }
    String line =
        text.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("key file " + file + " is empty"));
    try {
      return KeyLine.parse(line);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key file " + file + ": " + e.getMessage());
    }
  }

  /** Whether others than the owner may read {@code file} (the key should be 0600). */
  public static boolean readableByOthers(Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      return p.contains(PosixFilePermission.GROUP_READ)
          || p.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
