package net.membersdns.server.llq;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code e2e/llq_client.py} (python3-dnspython, an independent LLQ client) and reads its JSON
 * lines. Minimal field extraction by pattern: the lines are flat and written by that script only.
 * Public for the end-to-end tests of other packages (e2e: host keys subscribe too).
 */
public final class PyLlqClient implements AutoCloseable {
  static final Path SCRIPT = Path.of("src", "test", "resources", "e2e", "llq_client.py");

  private final Process process;
  private final Writer stdin;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  /**
   * @param key the key line {@code ALGORITHM:NAME:SECRET}
   */
  public PyLlqClient(String transport, int port, String key, String qname, String qtype, long lease)
      throws Exception {
    process =
        new ProcessBuilder(
                "/usr/bin/python3",
                SCRIPT.toAbsolutePath().toString(),
                transport,
                "127.0.0.1",
                Integer.toString(port),
                key,
                qname,
                qtype,
                Long.toString(lease))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread.ofPlatform()
        .daemon()
        .start(() -> {
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
              lines.add(l);
            }
          } catch (java.io.IOException e) {
            // process gone
          }
        });
  }

  /** The next line whose step is {@code step}; fails on an error line or after {@code seconds}. */
  public String next(String step, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (l == null) {
        throw new AssertionError("no '" + step + "' line in " + seconds + " s; seen " + seen);
      }
      seen.add(l);
      if (str(l, "step").equals("error")) {
        throw new AssertionError("client failed: " + l);
      }
      if (str(l, "step").equals(step)) {
        return l;
      }
    }
  }

  /** Nothing with {@code step} arrives within {@code millis}. */
  public void none(String step, long millis) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      long left = deadline - System.nanoTime();
      String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (l == null) {
        return;
      }
      seen.add(l);
      if (str(l, "step").equals(step)) {
        throw new AssertionError("unexpected " + l);
      }
    }
  }

  public void command(String line) throws Exception {
    stdin.write(line + "\n");
    stdin.flush();
  }

  public static String str(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\": \"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "";
  }

  public static long num(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\": (-?\\d+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no " + field + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  public static boolean bool(String json, String field) {
    return json.contains("\"" + field + "\": true");
  }

  @Override
  public void close() throws Exception {
    try {
      command("quit");
    } catch (java.io.IOException e) {
      // already gone
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
