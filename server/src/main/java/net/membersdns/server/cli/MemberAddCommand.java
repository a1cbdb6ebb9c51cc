package net.membersdns.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.member.Enrolment;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.store.postgres.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code member add NAME}: enrols a member and prints its key once, as the line {@code key:
 * <algorithm>:<key name>:<base64 secret>} that {@code nsupdate -y} takes.
 */
@Command(
    name = "add",
    description = "Enrol a member: its zone NAME.<domain> and a TSIG key NAME.key.<domain>",
    mixinStandardHelpOptions = true)
public final class MemberAddCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "NAME", description = "Member name: one DNS label")
  private String name;

  @Mixin private AlgorithmOption algorithm;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "Derive the key from the password in FILE (first line; PBKDF2, random salt)")
  private Path passwordFile;

  @Override
  public Integer call() {
    TsigAlgorithm alg = algorithm.get();
    String member;
    try {
      member = MemberNames.validate(name, MemberNames.DEFAULT_RESERVED);
    } catch (IllegalArgumentException e) {
      throw db.usage("NAME: " + e.getMessage());
    }
    Optional<char[]> password = readPassword();
    db.domain();
    db.databaseConfig();
    try (Database database = db.open()) {
      Enrolment e = db.members(database).add(member, alg, password);
      PrintWriter out = spec.commandLine().getOut();
      out.println("member: " + e.member());
      out.println("zone: " + e.zone());
      out.println(e.keyLine());
      out.flush();
    }
    return 0;
  }

  private Optional<char[]> readPassword() {
    if (passwordFile == null) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw db.usage("--password-file: " + passwordFile + " has no password on its first line");
      }
      return Optional.of(lines.get(0).toCharArray());
    } catch (IOException e) {
      throw db.usage("--password-file: cannot read " + passwordFile + ": " + e.getMessage());
    }
  }
}
