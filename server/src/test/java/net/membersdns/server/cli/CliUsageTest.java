package net.membersdns.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usage and configuration errors: exit 2, one line naming the option; no database needed. */
class CliUsageTest {
  @Test
  void leaseOptionsAreValidatedTogether() {
    CliRunner.Result r =
        CliRunner.run(
            "serve",
            "--check-config",
            "--lease-min",
            "600",
            "--lease-max",
            "60",
            "--update-queue",
            "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("--lease-max: must be between --lease-min")
        .contains("--lease-default: must be between")
        .contains("--update-queue: must be at least 1");
    CliRunner.Result ok =
        CliRunner.run(
            "serve", "--check-config", "--lease-min", "1", "--lease-max", "3", "--require-lease");
    assertThat(ok.exit()).as(ok.err()).isZero();
  }

  @Test
  void keyAddNeedsAGrant() {
    CliRunner.Result r =
        CliRunner.run("key", "add", "ops", "--db-url", "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--grant");
  }

  @Test
  void badDbUrlNamesTheOption() {
    CliRunner.Result r = CliRunner.run("member", "list", "--db-url", "mysql://x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("membersdns member list: --db-url:")
        .doesNotContain("\n");
  }

  @Test
  void badAlgorithmNamesTheOption() {
    CliRunner.Result r =
        CliRunner.run(
            "member",
            "add",
            "alice",
            "--algorithm",
            "rot13",
            "--db-url",
            "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--algorithm: unknown algorithm 'rot13'");
  }

  @Test
  void reservedNameIsAUsageError() {
    CliRunner.Result r =
        CliRunner.run("member", "add", "dns", "--db-url", "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("NAME: member name 'dns' is reserved");
  }

  @Test
  void badDomainNamesTheOption() {
    CliRunner.Result r = CliRunner.run("member", "list", "--domain", "a..b");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--domain:");
  }

  @Test
  void missingPasswordFileNamesTheOption() {
    CliRunner.Result r =
        CliRunner.run(
            "member",
            "add",
            "bob",
            "--password-file",
            "/nonexistent/pw",
            "--db-url",
            "jdbc:postgresql://127.0.0.1:1/x");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--password-file: cannot read /nonexistent/pw");
  }

  @Test
  void missingSubcommandIsUsage() {
    assertThat(CliRunner.run("member").exit()).isEqualTo(2);
    assertThat(CliRunner.run("member", "add").exit()).isEqualTo(2);
  }

  @Test
  void unreachableDatabaseIsARuntimeFailureInOneLine() {
    CliRunner.Result r =
        CliRunner.run(
            "member", "list", "--db-url", "jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("cannot open the database");
    CliRunner.Result verbose =
        CliRunner.run(
            "member",
            "list",
            "--verbose",
            "--db-url",
            "jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2");
    assertThat(verbose.exit()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat ");
  }
}
