package net.membersdns.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dig} / {@code kdig} as independent clients: runs one query and reads status, flags and
 * answer lines from the tool's own output.
 */
public final class Dig {
  private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
  private static final Pattern FLAGS = Pattern.compile(";; flags: ([a-z ]+);");

  private Dig() {}

  /** The parsed outcome of one query. */
  public record Answer(String status, List<String> flags, List<String> answer, String raw) {
    public boolean aa() {
      return flags.contains("aa");
    }
  }

  /** dig over UDP (or TCP with {@code +tcp} in {@code extra}). */
  public static Answer dig(int port, String name, String type, String... extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "dig", "+norec", "+time=3", "+tries=1", "@127.0.0.1", "-p", "" + port, name, type));
    cmd.addAll(List.of(extra));
    return parse(Tool.run(cmd).stdout());
  }

  /** kdig over DNS-over-TLS (RFC 7858), opportunistic (no certificate check). */
  public static Answer kdigTls(int port, String name, String type) throws Exception {
    return parse(
        Tool.run(
                List.of(
                    "kdig",
                    "+tls",
                    "+norec",
                    "+time=3",
                    "+retry=0",
                    "@127.0.0.1",
                    "-p",
                    "" + port,
                    name,
                    type))
            .stdout());
  }

  static Answer parse(String out) {
    Matcher s = STATUS.matcher(out);
    Matcher f = FLAGS.matcher(out);
    List<String> answer = new ArrayList<>();
    boolean inAnswer = false;
    for (String line : out.split("\n")) {
      if (line.startsWith(";; ANSWER SECTION")) {
        inAnswer = true;
        continue;
      }
      if (inAnswer) {
        if (line.isBlank() || line.startsWith(";;")) {
          inAnswer = false;
        } else {
          answer.add(String.join(" ", line.trim().split("\\s+")));
        }
      }
    }
    return new Answer(
        s.find() ? s.group(1) : "NO-ANSWER",
        f.find() ? List.of(f.group(1).trim().split(" ")) : List.of(),
        answer,
        out);
  }
}
