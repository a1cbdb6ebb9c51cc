package net.membersdns.agent.tunnel;

import java.io.IOException;

/**
 * Reads and writes one WireGuard interface's configuration: {@link UapiDevice} speaks the
 * cross-platform UAPI to wireguard-go, {@link WgToolDevice} runs {@code wg} (for kernel WireGuard).
 * The device itself lives elsewhere ({@link WireGuardInterface} makes and removes it).
 *
 * <p>Each call is one round trip and leaves no connection open. Implementations are safe to call
 * from several threads, but a {@code get} followed by a {@code set} is not atomic: {@link Tunnel}
 * serializes its own use.
 */
public interface WireGuardDevice {
  /**
   * The interface's current configuration and counters.
   *
   * @throws IOException when the device cannot be reached or answers with an error
   */
  DeviceState get() throws IOException;

  /**
   * Applies one update. The caller never sends an empty one.
   *
   * @throws UapiException when the device refuses it (it may have applied a prefix of it: the next
   *     {@code get} tells)
   * @throws IOException when the device cannot be reached
   */
  void set(DeviceUpdate update) throws IOException;

  /** For messages: how this device is reached, e.g. {@code UAPI /var/run/wireguard/mdns0.sock}. */
  String describe();
}
