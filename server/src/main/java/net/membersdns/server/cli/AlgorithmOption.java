package net.membersdns.server.cli;

import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.member.KeyAlgorithms;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --algorithm} of the commands that make keys ({@code member add}, {@code host add}, {@code
 * key add}, {@code import}): one of {@link KeyAlgorithms#OFFERED}. A picocli mixin: {@code @Mixin
 * AlgorithmOption algorithm;}.
 */
public final class AlgorithmOption {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--algorithm",
      defaultValue = "hmac-sha256",
      paramLabel = "ALG",
      description =
          "Algorithm of new keys: hmac-sha256 (default), hmac-md5 (Apple clients), hmac-sha512")
  private String algorithm;

  /** The algorithm asked for; exit 2 naming {@code --algorithm} when it is not offered. */
  public TsigAlgorithm get() {
    try {
      return KeyAlgorithms.offered(algorithm);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), "--algorithm: " + e.getMessage());
    }
  }
}
