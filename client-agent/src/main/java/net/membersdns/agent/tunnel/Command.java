package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short system tool ({@code ip}, {@code wg}) to completion with a deadline and returns its
 * output; a non-zero exit is an {@link IOException} that quotes the command and what it printed.
 * Stateless; safe from any thread.
 */
final class Command {
  private Command() {}

  /** Runs {@code argv} with nothing on its standard input. */
  static String run(Duration timeout, List<String> argv) throws IOException {
    return run(timeout, argv, null);
  }

  /**
   * Runs {@code argv}, feeding it {@code stdin} if not null (a secret passed this way never appears
   * in the process list, unlike an argument).
   */
  static String run(Duration timeout, List<String> argv, String stdin) throws IOException {
    Result r = exec(timeout, argv, stdin);
    if (r.exit() != 0) {
      throw new IOException(
          String.join(" ", argv) + " exited " + r.exit() + ": " + r.output().strip());
    }
    return r.output();
  }

  /** Exit code and combined standard output and error. */
  record Result(int exit, String output) {}

  /** Runs {@code argv}; a non-zero exit is returned, not thrown. */
  static Result exec(Duration timeout, List<String> argv, String stdin) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    FutureTask<byte[]> output = new FutureTask<>(() -> p.getInputStream().readAllBytes());
    Thread.ofVirtual().start(output);
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + " did not finish within " + timeout);
      }
      return new Result(p.exitValue(), new String(output.get(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", argv), e);
    } catch (ExecutionException e) {
      throw new IOException("cannot read the output of " + String.join(" ", argv), e.getCause());
    }
  }
}
