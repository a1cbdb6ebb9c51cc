package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.agent.netwatch.Ipv4;

/**
 * What answered a probe with TTL 2 towards a far address: the router two hops away (the one behind
 * our gateway), the target itself (nothing in between), or nobody. A private or shared router there
 * is evidence of a NAT behind the NAT ({@link NatTopology}).
 */
public sealed interface SecondHop {
  /** Hop 2 is a router that said "time to live exceeded". */
  record Router(Inet4Address address) implements SecondHop {}

  /** The target answered: it is at most two hops away. */
  record Target(Inet4Address address) implements SecondHop {}

  /** No answer within the probe's time. */
  record Silent() implements SecondHop {}

  Pattern TTL_EXCEEDED =
      Pattern.compile("(?m)^From (\\d{1,3}(?:\\.\\d{1,3}){3}) icmp_seq=\\d+ Time to live exceeded");
  Pattern REPLY = Pattern.compile("(?m)^\\d+ bytes from (\\d{1,3}(?:\\.\\d{1,3}){3}): icmp_seq=");

  /**
   * Reads the output of iputils {@code ping -n -c 1 -t 2 TARGET}: {@code From 192.168.1.1
   * icmp_seq=1 Time to live exceeded} names hop 2, {@code 64 bytes from 198.18.0.53: icmp_seq=1} is
   * the target's answer; anything else (unreachable, nothing) is {@link Silent}.
   */
  static SecondHop parsePing(String output) {
    return first(TTL_EXCEEDED, output)
        .<SecondHop>map(Router::new)
        .or(() -> first(REPLY, output).map(Target::new))
        .orElseGet(Silent::new);
  }

  private static Optional<Inet4Address> first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      try {
        return Optional.of(Ipv4.parse(m.group(1)));
      } catch (IllegalArgumentException e) {
        // 999.1.1.1 is no address; look further
      }
    }
    return Optional.empty();
  }
}
