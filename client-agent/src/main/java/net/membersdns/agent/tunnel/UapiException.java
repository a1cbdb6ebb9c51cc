package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.util.Map;

/**
 * The device answered an operation with a non-zero {@code errno=} (cross-platform UAPI). The value
 * is kept as sent: wireguard-go sends negated Linux errno values ({@code errno=-22} for EINVAL),
 * the documentation speaks of positive ones; {@link #errnoName()} accepts either.
 */
public final class UapiException extends IOException {
  private static final long serialVersionUID = 1L;

  // the values wireguard-go's ipc package uses, and what a kernel-side failure may add
  private static final Map<Integer, String> NAMES =
      Map.of(
          1, "EPERM (operation not permitted)",
          5, "EIO (input/output error)",
          19, "ENODEV (no such device)",
          22, "EINVAL (invalid argument)",
          55, "ENOANO (unknown error)",
          71, "EPROTO (protocol error)",
          98, "EADDRINUSE (address in use)");

  private final long errno;

  public UapiException(String operation, long errno) {
    super(operation + " failed: errno=" + errno + " " + name(errno));
    this.errno = errno;
  }

  /** The errno as the device sent it (sign included). */
  public long errno() {
    return errno;
  }

  /** The symbolic name and meaning, e.g. {@code EINVAL (invalid argument)}. */
  public String errnoName() {
    return name(errno);
  }

  private static String name(long errno) {
    return NAMES.getOrDefault((int) Math.abs(errno), "(unknown errno)");
  }
}
