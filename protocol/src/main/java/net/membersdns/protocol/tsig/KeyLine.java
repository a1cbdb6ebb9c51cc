package net.membersdns.protocol.tsig;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key written as one line, {@code ALGORITHM:NAME:SECRET} — the form {@code nsupdate -y}
 * takes, {@code membersdns member add} and {@code host add} print (after {@code "key: "}), key
 * files hold and the host agent reads. The one parser and formatter both programs use.
 *
 * <p>Parsing accepts what those print and what people paste: an optional {@code key:} prefix,
 * surrounding white space, the algorithm in either spelling ({@link TsigAlgorithm#fromText}), the
 * key name with or without its trailing dot. Refusals are {@link IllegalArgumentException}s whose
 * message says what is wrong and never contains the secret.
 *
 * @param algorithm the HMAC algorithm
 * @param name the key name, absolute
 * @param secret the shared secret (RFC 8945 §4.1), at least one byte
 */
public record KeyLine(TsigAlgorithm algorithm, Name name, byte[] secret) {
  /** What {@code member add} and {@code host add} print before the key line. */
  public static final String PREFIX = "key: ";

  public KeyLine {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(name, "name");
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("key name " + name + " is not absolute");
    }
    if (secret.length == 0) {
      throw new IllegalArgumentException("empty secret for key " + name);
    }
    secret = secret.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** {@code ALGORITHM:NAME:SECRET}, the secret in base64. */
  public String format() {
    return algorithm.presentationName()
        + ":"
        + name
        + ":"
        + Base64.getEncoder().encodeToString(secret);
  }

  /** {@code key: ALGORITHM:NAME:SECRET}, as the enrolment commands print it. */
  public String printed() {
    return PREFIX + format();
  }

  /**
   * Parses one key line.
   *
   * @throws IllegalArgumentException with a readable reason (without the secret)
   */
  public static KeyLine parse(String line) {
    String t = line.strip();
    if (t.regionMatches(true, 0, PREFIX.strip(), 0, PREFIX.strip().length())) {
      t = t.substring(PREFIX.strip().length()).strip();
    }
    String[] parts = t.split(":", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "a key line is ALGORITHM:NAME:SECRET (e.g. hmac-sha256:mbp.alice.key.members.example.:"
              + "<base64>), found "
              + parts.length
              + " field(s)");
    }
    TsigAlgorithm algorithm = TsigAlgorithm.parse(parts[0].strip());
    Name name;
    try {
      String n = parts[1].strip();
      if (n.isEmpty()) {
        throw new IllegalArgumentException("the key name is empty");
      }
      name = Name.fromString(n.endsWith(".") ? n : n + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(
          "bad key name '" + parts[1].strip() + "': " + e.getMessage());
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(parts[2].strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the secret of key " + name + " is not base64");
    }
    if (secret.length == 0) {
      throw new IllegalArgumentException("the secret of key " + name + " is empty");
    }
    return new KeyLine(algorithm, name, secret);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyLine k
        && algorithm == k.algorithm
        && name.equals(k.name)
        && Arrays.equals(secret, k.secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, name, Arrays.hashCode(secret));
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "KeyLine[" + algorithm + ":" + name + "]";
  }
}
