package net.membersdns.protocol.edns;

import java.util.Objects;

/**
 * The outcome of looking for one typed EDNS option: absent, present and well-formed, or present but
 * malformed (wrong length, duplicated). A sealed result rather than an exception: malformed input
 * from the network is an expected outcome, not a bug.
 *
 * @param <T> the option type
 */
public sealed interface OptionResult<T> {

  /** No option with this code (or no OPT RR at all). */
  record Absent<T>() implements OptionResult<T> {}

  /** A well-formed option. */
  record Present<T>(T option) implements OptionResult<T> {
    public Present {
      Objects.requireNonNull(option, "option");
    }
  }

  /** The option is there but cannot be used; {@code reason} is for logs, never for the wire. */
  record Malformed<T>(String reason) implements OptionResult<T> {}

  static <T> OptionResult<T> absent() {
    return new Absent<>();
  }

  static <T> OptionResult<T> present(T option) {
    return new Present<>(option);
  }

  static <T> OptionResult<T> malformed(String reason) {
    return new Malformed<>(reason);
  }
}
