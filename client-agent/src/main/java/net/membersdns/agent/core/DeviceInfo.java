package net.membersdns.agent.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The device-info TXT strings (RFC 6763 §6 key=value pairs; Apple's {@code model=} key): the
 * hardware model from DMI when the kernel exposes it, the OS from os-release.
 */
final class DeviceInfo {
  private DeviceInfo() {}

  static List<String> strings() {
    List<String> out = new ArrayList<>();
    out.add("model=" + first(Path.of("/sys/class/dmi/id/product_name")).orElse("Linux"));
    osRelease().ifPresent(os -> out.add("os=" + os));
    out.add("agent=membersdns-agent/0.1.0");
    // RFC 6763 §6.1: each string at most 255 bytes
    return out.stream().map(s -> s.length() > 255 ? s.substring(0, 255) : s).toList();
  }

  private static java.util.Optional<String> first(Path p) {
    try {
      String s = Files.readString(p).strip();
      return s.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(s);
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static java.util.Optional<String> osRelease() {
    try {
      return Files.readAllLines(Path.of("/etc/os-release")).stream()
          .filter(l -> l.startsWith("PRETTY_NAME="))
          .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
