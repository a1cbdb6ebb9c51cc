package net.membersdns.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad flags and key files: exit 2 with one line naming the option or file, before anything runs.
 */
class UpUsageTest {
  @TempDir Path tmp;

  record Run(int exit, String err) {}

  Run run(String... args) {
    StringWriter err = new StringWriter();
    var cl = AgentCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    int exit = cl.execute(args);
    return new Run(exit, err.toString());
  }

  Path keyFile(String content) throws Exception {
    Path f = tmp.resolve("key");
    Files.writeString(f, content);
    return f;
  }

  static final String KEY =
      "key: hmac-sha256:mbp.alice.key.members.example.:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--domain|a..b|--domain 'a..b'",
        "--host|_bad|--host: host name '_bad' must be one DNS label",
        "--server|dns.members.example|--server 'dns.members.example': expected HOST:PORT",
        "--server|dns:99999|the port must be 1-65535",
        "--port|0|--port 0: must be 1-65535",
        "--interface|this-name-is-too-long|--interface 'this-name-is-too-long'",
        "--metrics-listen|localhost:x|--metrics-listen 'localhost:x': expected ADDRESS:PORT",
      })
  void aBadOptionExitsTwoNamingIt(String option, String value, String message) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("up", "--key-file", keyFile(KEY).toString(), "--state-dir", tmp.toString()));
    if (!option.equals("--domain")) {
      args.addAll(List.of("--domain", "alice.members.example."));
    }
    args.addAll(List.of(option, value));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains(message);
  }

  @Test
  void aMissingOrMalformedKeyFileExitsTwoNamingTheFile() throws Exception {
    Run missing =
        run(
            "up",
            "--domain",
            "alice.members.example.",
            "--key-file",
            tmp.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read key file " + tmp.resolve("nope"));

    Path bad = keyFile("hmac-sha256:mbp.alice.key.members.example.:not base64!\n");
    Run malformed = run("up", "--domain", "alice.members.example.", "--key-file", bad.toString());
    assertThat(malformed.exit()).isEqualTo(2);
    assertThat(malformed.err())
        .contains("key file " + bad)
        .contains("is not base64")
        .doesNotContain("not base64!");
    assertThat(malformed.err().lines().count()).isEqualTo(1);
  }

  @Test
  void requiredOptionsAreNamed() throws Exception {
    assertThat(run("up", "--key-file", keyFile(KEY).toString()).err())
        .contains("--domain is required");
    assertThat(run("up", "--domain", "alice.members.example.").err())
        .contains("--key-file is required");
  }

  @Test
  void aCaFileThatIsNoCertificateExitsTwo() throws Exception {
    Path ca = tmp.resolve("ca.pem");
    Files.writeString(ca, "not a certificate");
    Run r =
        run(
            "up",
            "--domain",
            "alice.members.example.",
            "--key-file",
            keyFile(KEY).toString(),
            "--ca-file",
            ca.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--ca-file: ");
  }

  @Test
  void statusWithoutAnAgentSaysSo() {
    Run r = run("status", "--state-dir", tmp.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no agent has run with state directory");
  }
}
