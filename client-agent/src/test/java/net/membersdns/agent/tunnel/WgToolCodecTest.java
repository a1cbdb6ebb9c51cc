package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code wg show dump} and {@code wg set} as a format, against captured {@code wg} output. */
class WgToolCodecTest {
  private static final WgKey PEER =
      WgKey.fromBase64("1lEAp9iUsraZYL3/tZzPHbcaDai5O2KuLNi31FWxpAQ=");

  @Test
  void parsesADump() throws IOException {
    DeviceState s = WgToolCodec.parseDump(Fixtures.read("wg-show-dump-two-peers.txt"));
    assertThat(s.privateKey().orElseThrow().base64())
        .isEqualTo("mKy2C1Ghy1djZRqJ0dl6tjV2vfX/hLzKmBaigz+g0WM=");
    assertThat(s.listenPort()).isEqualTo(51999);
    assertThat(s.fwmark()).isZero();
    PeerState p = s.peersByKey().get(PEER);
    assertThat(p.lastHandshake()).contains(Instant.ofEpochSecond(1796035388));
    assertThat(p.persistentKeepalive()).isEqualTo(25);
    assertThat(s.peers().get(1).persistentKeepalive()).as("off").isZero();
    assertThat(s.peers().get(1).endpoint().orElseThrow().getPort()).isEqualTo(4500);
  }

  @Test
  void parsesNoneValuesAndAHexFwmark() throws IOException {
    DeviceState s = WgToolCodec.parseDump(Fixtures.read("wg-show-dump-fwmark-no-endpoint.txt"));
    assertThat(s.fwmark()).isEqualTo(0x33);
    PeerState none = s.peers().get(1);
    assertThat(none.endpoint()).isEmpty();
    assertThat(none.lastHandshake()).isEmpty();
    assertThat(none.allowedIps()).hasSize(2);
    assertThat(WgToolCodec.parseDump("(none)\t(none)\t0\toff\n").privateKey()).isEmpty();
  }

  @Test
  void malformedDumpIsAnIoError() {
    assertThatThrownBy(() -> WgToolCodec.parseDump("")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> WgToolCodec.parseDump("a\tb\n")).isInstanceOf(IOException.class);
    assertThatThrownBy(
            () -> WgToolCodec.parseDump("(none)\t(none)\t1\toff\n" + PEER.base64() + "\tx\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() ->
            WgToolCodec.parseDump(
                "(none)\t(none)\t1\toff\n"
                    + PEER.base64()
                    + "\t(none)\t(none)\t(none)\t-5\t0\t0\toff\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void setArgumentsKeepThePrivateKeyOffTheCommandLine() {
    WgKey priv = WgKey.fromBase64("mKy2C1Ghy1djZRqJ0dl6tjV2vfX/hLzKmBaigz+g0WM=");
    WgKey gone = WgKey.fromBase64("KrQwo8Wsd6gdlZ0RQ+jB75xUJY/bEw0E+iUD/TFDEAg=");
    WgToolCodec.SetCommand c =
        WgToolCodec.set(
            "wgt0",
            new DeviceUpdate(
                Optional.of(priv),
                OptionalInt.of(51820),
                false,
                List.of(
                    PeerUpdate.removal(gone),
                    new PeerUpdate(
                        PEER,
                        false,
                        true,
                        Optional.of(new InetSocketAddress(IpText.address("192.168.2.2"), 51820)),
                        OptionalInt.of(0),
                        Optional.of(
                            List.of(
                                IpPrefix.parse("fd6d:6474:6200::b/128"),
                                IpPrefix.parse("10.0.0.0/8")))))));
    assertThat(c.args())
        .containsExactly(
            "set",
            "wgt0",
            "listen-port",
            "51820",
            "private-key",
            "/dev/stdin",
            "peer",
            gone.base64(),
            "remove",
            "peer",
            PEER.base64(),
            "endpoint",
            "192.168.2.2:51820",
            "persistent-keepalive",
            "off",
            "allowed-ips",
            "fd6d:6474:6200::b/128,10.0.0.0/8");
    assertThat(c.stdin()).contains(priv.base64() + "\n");
    assertThat(String.join(" ", c.args())).doesNotContain(priv.base64());
  }

  @Test
  void replacePeersCannotBeSaidWithWgSet() {
    DeviceUpdate u = new DeviceUpdate(Optional.empty(), OptionalInt.empty(), true, List.of());
    assertThatThrownBy(() -> WgToolCodec.set("wgt0", u))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
