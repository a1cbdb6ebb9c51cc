package net.membersdns.protocol.edns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xbill.DNS.Message;

/**
 * Fuzzes the decoding of the two EDNS options of this module, LLQ (RFC 8764 §3.2) and Update Lease
 * (RFC 9664 §4), from an OPT RR whose RDATA is the fuzzer's input, read by dnsjava as the server
 * and the agent read it.
 *
 * <p>Invariants: nothing throws; an option is {@code Present} exactly when its OPTION-DATA has a
 * valid length (LLQ 18, UL 4 or 8), and then encodes back to the same bytes; two UL options are
 * {@code Malformed}. Regression inputs: {@code EdnsOptionsFuzzTestInputs/}; fuzzing:
 * docs/fuzzing.md.
 */
class EdnsOptionsFuzzTest {
  /** A query header with one additional RR: an OPT of the root with {@code rdata}. */
  static byte[] messageWithOpt(byte[] rdata) {
    ByteBuffer wire = ByteBuffer.allocate(12 + 11 + rdata.length);
    wire.putShort((short) 0x1234).putShort((short) 0).putShort((short) 0);
    wire.putShort((short) 0).putShort((short) 0).putShort((short) 1); // ARCOUNT 1
    wire.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0); // ., OPT, size, TTL
    wire.putShort((short) Math.min(rdata.length, 0xFFFF)).put(rdata);
    return wire.array();
  }

  @FuzzTest(maxDuration = "10s")
  void decodesAnyOptionData(byte[] rdata) {
    Message message;
    try {
      message = new Message(messageWithOpt(rdata));
    } catch (IOException e) {
      return; // dnsjava refused the option list (e.g. an option longer than the RDATA): no options
    }
    var lease = EdnsOptions.updateLease(message);
    int leases = EdnsOptions.options(message, UpdateLeaseOption.CODE).size();
    if (leases == 0) {
      assertThat(lease).isInstanceOf(OptionResult.Absent.class);
    } else if (leases > 1) {
      assertThat(lease).isInstanceOf(OptionResult.Malformed.class);
    } else {
      byte[] data = EdnsOptions.data(EdnsOptions.options(message, UpdateLeaseOption.CODE).get(0));
      checkLease(data, lease);
    }
    var llqs = EdnsOptions.llq(message);
    var raw = EdnsOptions.options(message, LlqOption.CODE);
    assertThat(llqs).hasSameSizeAs(raw);
    for (int i = 0; i < raw.size(); i++) {
      checkLlq(EdnsOptions.data(raw.get(i)), llqs.get(i));
    }
  }

  @FuzzTest(maxDuration = "10s")
  void decodesAnyOptionDataDirectly(byte[] data) {
    checkLease(data, UpdateLeaseOption.fromData(data));
    checkLlq(data, LlqOption.fromData(data));
  }

  private static void checkLease(byte[] data, OptionResult<UpdateLeaseOption> lease) {
    if (data.length == 4 || data.length == 8) {
      assertThat(lease).isInstanceOf(OptionResult.Present.class);
      UpdateLeaseOption ul = ((OptionResult.Present<UpdateLeaseOption>) lease).option();
      assertThat(ul.toData()).isEqualTo(data);
    } else {
      assertThat(lease).isInstanceOf(OptionResult.Malformed.class);
    }
  }

  private static void checkLlq(byte[] data, OptionResult<LlqOption> llq) {
    if (data.length == LlqOption.LENGTH) {
      assertThat(llq).isInstanceOf(OptionResult.Present.class);
      assertThat(((OptionResult.Present<LlqOption>) llq).option().toData()).isEqualTo(data);
    } else {
      assertThat(llq).isInstanceOf(OptionResult.Malformed.class);
    }
  }
}
