package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cross-platform UAPI text format against replies captured from wireguard-go. */
class UapiCodecTest {
  private static final WgKey PEER_B =
      WgKey.fromHex("d65100a7d894b2b69960bdffb59ccf1db71a0da8b93b62ae2cd8b7d455b1a404");
  private static final WgKey PEER_V6 =
      WgKey.fromHex("2ab430a3c5ac77a81d959d1143e8c1ef9c54258fdb130d04fa2503fd31431008");

  @Test
  void parsesADeviceWithPeersAndAHandshake() throws IOException {
    DeviceState s = UapiCodec.parseGet(Fixtures.read("get-two-peers-one-handshake.uapi"));
    assertThat(s.privateKey().orElseThrow().hex())
        .isEqualTo("98acb60b51a1cb5763651a89d1d97ab63576bdf5ff84bcca9816a2833fa0d163");
    assertThat(s.listenPort()).isEqualTo(51999);
    assertThat(s.fwmark()).isZero();
    assertThat(s.peers()).hasSize(3);
    assertThat(s.peers().get(0).publicKey()).isEqualTo(PEER_V6);
    assertThat(s.peers().get(0).endpoint())
        .contains(new InetSocketAddress(IpText.address("2001:db8::1"), 4500));
    assertThat(s.peers().get(0).lastHandshake()).isEmpty();
    assertThat(s.peers().get(0).persistentKeepalive()).isZero();

    PeerState b = s.peers().get(1);
    assertThat(b.publicKey()).isEqualTo(PEER_B);
    assertThat(b.endpoint()).contains(new InetSocketAddress(IpText.address("10.77.0.2"), 51998));
    assertThat(b.lastHandshake()).contains(Instant.ofEpochSecond(1796035388, 743483331));
    assertThat(b.rxBytes()).isEqualTo(524);
    assertThat(b.txBytes()).isEqualTo(760);
    assertThat(b.persistentKeepalive()).isEqualTo(25);
    assertThat(b.allowedIps()).containsExactly(IpPrefix.parse("fd6d:6474:6200::b/128"));

    // its ::b/128 moved to peer B when B got it: one allowed IP belongs to one peer only
    assertThat(s.peers().get(2).allowedIps()).containsExactly(IpPrefix.parse("10.9.0.0/24"));
  }

  @Test
  void parsesFwmarkAndAPeerWithoutEndpoint() throws IOException {
    DeviceState s = UapiCodec.parseGet(Fixtures.read("get-fwmark-peer-without-endpoint.uapi"));
    assertThat(s.fwmark()).isEqualTo(0x33);
    PeerState none = s.peers().get(1);
    assertThat(none.endpoint()).isEmpty();
    assertThat(none.allowedIps())
        .containsExactly(IpPrefix.parse("10.8.0.5/32"), IpPrefix.parse("fd00::/8"));
  }

  @Test
  void parsesAFreshDevice() throws IOException {
    DeviceState s = UapiCodec.parseGet(Fixtures.read("get-fresh-device.uapi"));
    assertThat(s.privateKey()).isEmpty();
    assertThat(s.listenPort()).isEqualTo(37280);
    assertThat(s.peers()).isEmpty();
  }

  @Test
  void agreesWithWgShowDumpOfTheSameMoment() throws IOException {
    DeviceState uapi = UapiCodec.parseGet(Fixtures.read("get-two-peers-one-handshake.uapi"));
    DeviceState dump = WgToolCodec.parseDump(Fixtures.read("wg-show-dump-two-peers.txt"));
    assertThat(dump.privateKey()).isEqualTo(uapi.privateKey());
    assertThat(dump.listenPort()).isEqualTo(uapi.listenPort());
    assertThat(dump.peersByKey().keySet()).isEqualTo(uapi.peersByKey().keySet());
    for (PeerState u : uapi.peers()) {
      PeerState d = dump.peersByKey().get(u.publicKey());
      assertThat(d.endpoint()).isEqualTo(u.endpoint());
      assertThat(d.allowedIps()).isEqualTo(u.allowedIps());
      assertThat(d.persistentKeepalive()).isEqualTo(u.persistentKeepalive());
      assertThat(d.rxBytes()).isEqualTo(u.rxBytes());
      assertThat(d.txBytes()).isEqualTo(u.txBytes());
      // dump prints whole seconds
      assertThat(d.lastHandshake().map(Instant::getEpochSecond))
          .isEqualTo(u.lastHandshake().map(Instant::getEpochSecond));
    }
  }

  @Test
  void nonZeroErrnoIsAnErrorNamingIt() {
    String reply = Fixtures.read("set-invalid-key.uapi");
    assertThatThrownBy(() -> UapiCodec.checkSetReply(reply))
        .isInstanceOfSatisfying(UapiException.class, e -> assertThat(e.errno()).isEqualTo(-22))
        .hasMessageContaining("errno=-22")
        .hasMessageContaining("EINVAL");
    assertThatThrownBy(() -> UapiCodec.parseGet(reply)).isInstanceOf(UapiException.class);
    assertThatThrownBy(() -> UapiCodec.checkSetReply("errno=98\n\n"))
        .hasMessageContaining("EADDRINUSE");
  }

  @Test
  void zeroErrnoSetReplyIsFine() throws IOException {
    UapiCodec.checkSetReply("errno=0\n\n");
  }

  @Test
  void unknownKeysAreIgnored() throws IOException {
    DeviceState s =
        UapiCodec.parseGet(
            "listen_port=1\nfancy_new_thing=7\npublic_key="
                + PEER_B.hex()
                + "\nanother_new_thing=x\nallowed_ip=fd00::1/128\nerrno=0\n\n");
    assertThat(s.listenPort()).isEqualTo(1);
    assertThat(s.peers()).singleElement().satisfies(p -> assertThat(p.allowedIps()).hasSize(1));
  }

  @Test
  void aPeerListedTwiceIsMalformedNotACrashLater() {
    // Found by UapiReplyFuzzTest: DeviceState.peersByKey threw IllegalStateException on it.
    String twice = "public_key=" + PEER_B.hex() + "\n";
    assertThatThrownBy(() -> UapiCodec.parseGet(twice + twice + "errno=0\n\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("peer listed twice");
  }

  @Test
  void malformedRepliesAreIoErrorsNotFewerPeers() {
    assertThatThrownBy(() -> UapiCodec.parseGet("listen_port=1\ngarbage\nerrno=0\n\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> UapiCodec.parseGet("public_key=abc\nerrno=0\n\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("public_key=abc");
    assertThatThrownBy(() ->
            UapiCodec.parseGet(
                "public_key=" + PEER_B.hex() + "\nendpoint=example.com:1\nerrno=0\n\n"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> UapiCodec.parseGet("listen_port=99999\nerrno=0\n\n"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() ->
            UapiCodec.parseGet(
                "public_key="
                    + PEER_B.hex()
                    + "\nlast_handshake_time_sec=99999999999999999\nerrno=0\n\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("out of range");
    // cut off mid-peer: no errno, so not a device with one peer less
    String full = Fixtures.read("get-two-peers-one-handshake.uapi");
    assertThatThrownBy(() -> UapiCodec.parseGet(full.substring(0, full.length() / 2)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without errno");
    assertThatThrownBy(() -> UapiCodec.checkSetReply("")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> UapiCodec.checkSetReply("errno=x\n\n"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void randomGarbageNeverEscapesAsAnUncheckedException() {
    Random r = new Random(7748);
    String alphabet = "=\n0123456789abcdef_:[]./-errnopublic_keyendpointallowed_ip";
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(120);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String text = r.nextBoolean() ? sb.toString() : sb + "\nerrno=0\n\n";
      try {
        UapiCodec.parseGet(text);
      } catch (IOException expected) {
        // fine: refused cleanly
      }
    }
  }

  @Test
  void formatsASetOperation() {
    WgKey priv = WgKey.fromHex("98acb60b51a1cb5763651a89d1d97ab63576bdf5ff84bcca9816a2833fa0d163");
    DeviceUpdate u =
        new DeviceUpdate(
            Optional.of(priv),
            OptionalInt.of(51820),
            false,
            List.of(
                PeerUpdate.removal(PEER_V6),
                new PeerUpdate(
                    PEER_B,
                    false,
                    false,
                    Optional.of(new InetSocketAddress(IpText.address("198.18.2.2"), 51820)),
                    OptionalInt.of(25),
                    Optional.of(List.of(IpPrefix.parse("fd6d:6474:6200::b/128")))),
                new PeerUpdate(
                    PEER_B,
                    false,
                    true,
                    Optional.of(new InetSocketAddress(IpText.address("2001:db8::1"), 4500)),
                    OptionalInt.empty(),
                    Optional.empty())));
    assertThat(UapiCodec.set(u))
        .isEqualTo(
            """
            set=1
            private_key=98acb60b51a1cb5763651a89d1d97ab63576bdf5ff84bcca9816a2833fa0d163
            listen_port=51820
            public_key=2ab430a3c5ac77a81d959d1143e8c1ef9c54258fdb130d04fa2503fd31431008
            remove=true
            public_key=d65100a7d894b2b69960bdffb59ccf1db71a0da8b93b62ae2cd8b7d455b1a404
            endpoint=198.18.2.2:51820
            persistent_keepalive_interval=25
            replace_allowed_ips=true
            allowed_ip=fd6d:6474:6200::b/128
            public_key=d65100a7d894b2b69960bdffb59ccf1db71a0da8b93b62ae2cd8b7d455b1a404
            update_only=true
            endpoint=[2001:db8::1]:4500

            """);
  }

  @Test
  void formatsReplacePeersAndAnEmptyAllowedIpList() {
    DeviceUpdate u =
        new DeviceUpdate(
            Optional.empty(),
            OptionalInt.empty(),
            true,
            List.of(
                new PeerUpdate(
                    PEER_B,
                    false,
                    false,
                    Optional.empty(),
                    OptionalInt.of(0),
                    Optional.of(List.of()))));
    assertThat(UapiCodec.set(u))
        .isEqualTo(
            "set=1\nreplace_peers=true\npublic_key="
                + PEER_B.hex()
                + "\npersistent_keepalive_interval=0\nreplace_allowed_ips=true\n\n");
  }

  @Test
  void aReplyIsCompleteAfterItsErrnoAndTheEmptyLine() {
    assertThat(UapiCodec.complete("")).isFalse();
    assertThat(UapiCodec.complete("listen_port=1\n")).isFalse();
    assertThat(UapiCodec.complete("listen_port=1\nerrno=0\n")).isFalse();
    assertThat(UapiCodec.complete("listen_port=1\nerrno=0\n\n")).isTrue();
    assertThat(UapiCodec.complete("errno=-22\n\n")).isTrue();
  }
}
