package net.membersdns.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external peer tool (dig, kdig, nsupdate, python3) and captures its output. */
public final class Tool {
  private Tool() {}

  public record Output(int exitCode, String stdout) {}

  /** Whether {@code /usr/bin/<name>} exists (CI installs them all; see .ci/run). */
  public static boolean present(String name) {
    return Files.isExecutable(Path.of("/usr/bin", name));
  }

  /**
   * {@code nsupdate -y KEY} (BIND's client, TSIG-signed) against 127.0.0.1:{@code port}: the {@code
   * commands} (zone, prereq and update lines) then {@code send} and {@code answer}; over TCP with
   * {@code tcp}.
   */
  public static Output nsupdate(String key, int port, String commands, boolean tcp)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsupdate", "-y", key));
    if (tcp) {
      cmd.add("-v");
    }
    return run(cmd, "server 127.0.0.1 " + port + "\n" + commands + "\nsend\nanswer\n");
  }

  public static Output run(List<String> command) throws Exception {
    return run(command, null);
  }

  public static Output run(List<String> command, String stdin) throws Exception {
    List<String> cmd = new ArrayList<>(command);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes());
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    return new Output(p.exitValue(), out);
  }
}
