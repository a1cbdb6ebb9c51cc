package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Fuzzes the decoders of what a gateway sends to UDP port 5351 (or multicasts to 5350): NAT-PMP
 * responses (RFC 6886 §3) and PCP responses (RFC 6887 §7.2, §11.1, §14.1). Anyone on the LAN can
 * send these, so every byte is hostile.
 *
 * <p>Input: {@code tail(1) datagram}: the decoder is told the datagram is {@code tail} bytes
 * shorter than the buffer (as the receive buffer is larger than the datagram). Invariants: nothing
 * throws; the bytes past the length change nothing; a reply of a type is returned only from a
 * datagram of that type's version, response bit and length (anything else is {@code Malformed} or
 * the version/header-only result); every field decoded equals its bytes on the wire.
 */
class PortMapResponseFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void natPmpResponses(byte[] input) {
    if (input.length < 1) {
      return;
    }
    int length = Math.max(0, input.length - 1 - (input[0] & 0xFF));
    byte[] data = Arrays.copyOfRange(input, 1, input.length);
    NatPmp.Reply reply = NatPmp.parse(data, length);
    assertThat(reply).isEqualTo(NatPmp.parse(Arrays.copyOf(data, length), length));
    ByteBuffer in = ByteBuffer.wrap(data);
    switch (reply) {
      case NatPmp.AddressReply a -> {
        assertThat(length).isGreaterThanOrEqualTo(12);
        assertThat(data[0]).isZero();
        assertThat(data[1] & 0xFF).isEqualTo(128);
        assertThat(a.resultCode()).isEqualTo(in.getShort(2) & 0xFFFF);
        assertThat(a.epoch()).isEqualTo(Integer.toUnsignedLong(in.getInt(4)));
        assertThat(a.externalAddress().getAddress()).isEqualTo(Arrays.copyOfRange(data, 8, 12));
      }
      case NatPmp.MapReply m -> {
        assertThat(length).isGreaterThanOrEqualTo(16);
        assertThat(data[0]).isZero();
        assertThat(data[1] & 0xFF).isEqualTo(128 + m.protocol().natPmpOpcode());
        assertThat(m.resultCode()).isEqualTo(in.getShort(2) & 0xFFFF);
        assertThat(m.epoch()).isEqualTo(Integer.toUnsignedLong(in.getInt(4)));
        assertThat(m.internalPort()).isEqualTo(in.getShort(8) & 0xFFFF);
        assertThat(m.externalPort()).isEqualTo(in.getShort(10) & 0xFFFF);
        assertThat(m.lifetime()).isEqualTo(Integer.toUnsignedLong(in.getInt(12)));
      }
      case NatPmp.ErrorReply e -> {
        assertThat(length).isGreaterThanOrEqualTo(8);
        assertThat(data[0]).isZero();
        assertThat(e.resultCode()).isEqualTo(in.getShort(2) & 0xFFFF).isNotZero();
      }
      case NatPmp.Malformed m -> assertThat(m.reason()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "10s")
  void pcpResponses(byte[] input) {
    if (input.length < 1) {
      return;
    }
    int length = Math.max(0, input.length - 1 - (input[0] & 0xFF));
    byte[] data = Arrays.copyOfRange(input, 1, input.length);
    Pcp.Reply reply = Pcp.parse(data, length);
    assertThat(reply).isEqualTo(Pcp.parse(Arrays.copyOf(data, length), length));
    ByteBuffer in = ByteBuffer.wrap(data);
    boolean wellFormed =
        length >= Pcp.HEADER_LENGTH
            && length <= Pcp.MAX_LENGTH
            && length % 4 == 0
            && data[0] == Pcp.VERSION
            && (data[1] & Pcp.RESPONSE_BIT) != 0;
    switch (reply) {
      case Pcp.MapResponse m -> {
        assertThat(wellFormed && length >= Pcp.MAP_LENGTH).isTrue();
        assertThat(data[1] & 0x7F).isEqualTo(Pcp.OP_MAP);
        assertThat(m.resultCode()).isEqualTo(data[3] & 0xFF);
        assertThat(m.lifetime()).isEqualTo(Integer.toUnsignedLong(in.getInt(4)));
        assertThat(m.epoch()).isEqualTo(Integer.toUnsignedLong(in.getInt(8)));
        assertThat(m.nonce().bytes()).isEqualTo(Arrays.copyOfRange(data, 24, 36));
        assertThat(m.protocolNumber()).isEqualTo(data[36] & 0xFF);
        assertThat(m.internalPort()).isEqualTo(in.getShort(40) & 0xFFFF);
        assertThat(m.externalPort()).isEqualTo(in.getShort(42) & 0xFFFF);
        m.externalAddress()
            .ifPresent(a -> assertThat(a.getAddress()).isEqualTo(Arrays.copyOfRange(data, 56, 60)));
      }
      case Pcp.AnnounceResponse a -> {
        assertThat(wellFormed && (data[1] & 0x7F) == Pcp.OP_ANNOUNCE).isTrue();
        assertThat(a.resultCode()).isEqualTo(data[3] & 0xFF);
      }
      case Pcp.HeaderOnly h -> {
        assertThat(wellFormed).isTrue();
        assertThat(h.opcode()).isEqualTo(data[1] & 0x7F);
      }
      case Pcp.UnsupportedVersion u -> {
        assertThat(length).isGreaterThanOrEqualTo(4);
        assertThat(u.serverVersion()).isEqualTo(data[0] & 0xFF).isNotEqualTo(Pcp.VERSION);
        assertThat(data[3] & 0xFF).isEqualTo(Pcp.UNSUPP_VERSION);
      }
      case Pcp.Malformed m -> assertThat(wellFormed).as(m.reason()).isFalse();
    }
  }
}
