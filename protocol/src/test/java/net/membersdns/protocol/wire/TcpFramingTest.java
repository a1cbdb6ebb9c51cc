package net.membersdns.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.junit.jupiter.api.Test;

class TcpFramingTest {
  @Test
  void framesWithABigEndianLength() {
    byte[] framed = TcpFraming.frame(new byte[0x0152]);
    assertThat(framed).hasSize(0x0154);
    assertThat(framed[0]).isEqualTo((byte) 0x01);
    assertThat(framed[1]).isEqualTo((byte) 0x52);
  }

  @Test
  void readsBackToBackFramesThenCleanEnd() throws Exception {
    byte[] a = TcpFraming.frame(new byte[] {1, 2, 3});
    byte[] b = TcpFraming.frame(new byte[300]);
    InputStream in =
        new SequenceInputStream(new ByteArrayInputStream(a), new ByteArrayInputStream(b));
    assertThat(TcpFraming.read(in)).containsExactly(1, 2, 3);
    assertThat(TcpFraming.read(in)).hasSize(300);
    assertThat(TcpFraming.read(in)).isNull();
  }

  @Test
  void anEndInsideAFrameIsAnError() {
    assertThatThrownBy(() -> TcpFraming.read(new ByteArrayInputStream(new byte[] {0})))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> TcpFraming.read(new ByteArrayInputStream(new byte[] {0, 5, 1})))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("1 of 5");
  }

  @Test
  void refusesWhatCannotBeFramed() {
    assertThatThrownBy(() -> TcpFraming.frame(new byte[65536]))
        .hasMessageContaining("at most 65535");
    assertThat(TcpFraming.frame(new byte[65535])).hasSize(65537);
  }
}
