package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A WireGuard interface driven through the {@code wg} tool: {@code wg show IF dump} to read, {@code
 * wg set IF ...} to write. This is the backend for kernel WireGuard (which speaks netlink, not
 * UAPI); {@code wg} also talks to wireguard-go through its UAPI socket, which is how it is tested
 * where the kernel has no WireGuard.
 *
 * <p>Thread-safe: each call runs one process.
 */
public final class WgToolDevice implements WireGuardDevice {
  private final String wg;
  private final String interfaceName;
  private final Duration timeout;

  /**
   * @param wg the {@code wg} executable (a name on PATH or a path)
   * @param interfaceName the interface
   * @param timeout how long one {@code wg} run may take
   */
  public WgToolDevice(String wg, String interfaceName, Duration timeout) {
    this.wg = wg;
    this.interfaceName = interfaceName;
    this.timeout = timeout;
  }

  @Override
  public DeviceState get() throws IOException {
    return WgToolCodec.parseDump(Command.run(timeout, List.of(wg, "show", interfaceName, "dump")));
  }

  @Override
  public void set(DeviceUpdate update) throws IOException {
    WgToolCodec.SetCommand c = WgToolCodec.set(interfaceName, update);
    List<String> argv = new ArrayList<>();
    argv.add(wg);
    argv.addAll(c.args());
    Command.run(timeout, argv, c.stdin().orElse(null));
  }

  @Override
  public String describe() {
    return wg + " (" + interfaceName + ")";
  }
}
