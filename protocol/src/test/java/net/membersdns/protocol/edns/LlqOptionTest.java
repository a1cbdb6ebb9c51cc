package net.membersdns.protocol.edns;

import static net.membersdns.protocol.edns.Hex.bytes;
import static net.membersdns.protocol.edns.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** The LLQ vectors L1–L11 (RFC 8764 §3.2): parse the LLQ option and re-encode it byte-exactly. */
class LlqOptionTest {
  private static final String Q =
      "045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c0001";
  private static final long ID = 0x0123456789abcdefL;

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of(
            "L1 setup request",
            "4c5101000001000000000001"
                + Q
                + "00002905a000000000001600010012000100010000000000000000000000001c20",
            new LlqOption(1, LlqOption.SETUP, 0, 0, 7200)),
        Arguments.of(
            "L2 setup challenge",
            "4c5184000001000000000001"
                + Q
                + "00002905a0000000000016000100120001000100000123456789abcdef00000e10",
            new LlqOption(1, LlqOption.SETUP, 0, ID, 3600)),
        Arguments.of(
            "L3 challenge response",
            "4c5101000001000000000001"
                + Q
                + "00002905a0000000000016000100120001000100000123456789abcdef00000e10",
            new LlqOption(1, LlqOption.SETUP, 0, ID, 3600)),
        Arguments.of(
            "L4 ACK + answers",
            "4c5184000001000100000001"
                + Q
                + "045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c00010000119400310f416c6963652773204d6163426f6f6b045f726662045f74637005616c696365076d656d62657273076578616d706c650000002905a0000000000016000100120001000100000123456789abcdef00000e10",
            new LlqOption(1, LlqOption.SETUP, 0, ID, 3600)),
        Arguments.of(
            "L5 event",
            "9e3f84000001000100000001"
                + Q
                + "045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c0001ffffffff00310f416c6963652773204d6163426f6f6b045f726662045f74637005616c696365076d656d62657273076578616d706c650000002905a0000000000016000100120001000300000123456789abcdef00000bb8",
            new LlqOption(1, LlqOption.EVENT, 0, ID, 3000)),
        Arguments.of(
            "L6 event ack",
            "9e3f84000001000000000001"
                + Q
                + "00002905a0000000000016000100120001000300000123456789abcdef00000bb8",
            new LlqOption(1, LlqOption.EVENT, 0, ID, 3000)),
        Arguments.of(
            "L7 refresh",
            "4c5101000001000000000001"
                + Q
                + "00002905a0000000000016000100120001000200000123456789abcdef00000e10",
            new LlqOption(1, LlqOption.REFRESH, 0, ID, 3600)),
        Arguments.of(
            "L8 refresh ack",
            "4c5184000001000000000001"
                + Q
                + "00002905a0000000000016000100120001000200000123456789abcdef00000e10",
            new LlqOption(1, LlqOption.REFRESH, 0, ID, 3600)),
        Arguments.of(
            "L9 cancel",
            "4c5101000001000000000001"
                + Q
                + "00002905a0000000000016000100120001000200000123456789abcdef00000000",
            new LlqOption(1, LlqOption.REFRESH, 0, ID, 0)),
        Arguments.of(
            "L10 NO-SUCH-LLQ",
            "4c5184000001000000000001"
                + Q
                + "00002905a0000000000016000100120001000200040123456789abcdef00000000",
            new LlqOption(1, LlqOption.REFRESH, LlqOption.NO_SUCH_LLQ, ID, 0)),
        Arguments.of(
            "L11 TCP setup, Apple event port in LLQ-ERROR (length prefix stripped)",
            "77aa01000001000000000001"
                + Q
                + "00002905a00000000000160001001200010001ef32000000000000000000001c20",
            new LlqOption(1, LlqOption.SETUP, 0xef32, 0, 7200)),
        Arguments.of(
            "dig +ednsopt=1:... setup request",
            "707300000001000000000001045f737368045f74637005616c696365076d656d62657273076578616d706c6500000c000100002904d000000000001600010012000100010000000000000000000000001c20",
            new LlqOption(1, LlqOption.SETUP, 0, 0, 7200)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void parsesAndReencodesVector(String label, String wire, LlqOption expected) throws Exception {
    Message message = new Message(bytes(wire));
    assertThat(EdnsOptions.llq(message)).containsExactly(OptionResult.present(expected));
    String optionWire = "00010012" + hex(expected.toData());
    assertThat(hex(expected.toOption().toWire())).isEqualTo(optionWire);
    assertThat(wire).endsWith(optionWire);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rebuildsQuestionOnlyMessagesByteExactly(String label, String wire, LlqOption expected)
      throws Exception {
    Message parsed = new Message(bytes(wire));
    if (parsed.getSection(Section.ANSWER).size() > 0) {
      return; // dnsjava compresses answer owner names; the vectors do not
    }
    Header original = parsed.getHeader();
    Message rebuilt = new Message(original.getID());
    Header header = rebuilt.getHeader();
    header.setOpcode(original.getOpcode());
    header.setRcode(original.getRcode());
    for (int flag = 0; flag < 16; flag++) {
      if (Flags.isFlag(flag) && original.getFlag(flag)) {
        header.setFlag(flag);
      }
    }
    rebuilt.addRecord(parsed.getQuestion(), Section.QUESTION);
    int payload = parsed.getOPT().getPayloadSize();
    rebuilt.addRecord(new OPTRecord(payload, 0, 0, 0, expected.toOption()), Section.ADDITIONAL);
    assertThat(hex(rebuilt.toWire())).isEqualTo(wire);
  }

  @Test
  void findsLlqAfterPaddingLikeKdigOverTls() {
    LlqOption setup = new LlqOption(1, LlqOption.SETUP, 0, 0, 7200);
    Message message = new Message();
    message.addRecord(
        new OPTRecord(
            4096,
            0,
            0,
            0,
            new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[300]),
            setup.toOption()),
        Section.ADDITIONAL);
    assertThat(EdnsOptions.llq(message)).containsExactly(OptionResult.present(setup));
  }

  @Test
  void pairsSeveralOptionsInOrder() {
    LlqOption first = new LlqOption(1, LlqOption.SETUP, 0, 0, 7200);
    LlqOption second = new LlqOption(1, LlqOption.SETUP, 0, 0, 900);
    Message message = new Message();
    message.addRecord(
        new OPTRecord(1440, 0, 0, 0, first.toOption(), second.toOption()), Section.ADDITIONAL);
    assertThat(EdnsOptions.llq(message))
        .containsExactly(OptionResult.present(first), OptionResult.present(second));
  }

  @Test
  void otherLengthsAreMalformed() {
    for (int length : List.of(0, 4, 17, 19, 22)) {
      assertThat(LlqOption.fromData(new byte[length]))
          .as("length %d", length)
          .isInstanceOf(OptionResult.Malformed.class);
    }
    Message message = new Message();
    message.addRecord(
        new OPTRecord(1440, 0, 0, 0, new GenericEDNSOption(LlqOption.CODE, new byte[17])),
        Section.ADDITIONAL);
    assertThat(EdnsOptions.llq(message)).singleElement().isInstanceOf(OptionResult.Malformed.class);
  }

  @Test
  void noOptionsWithoutOpt() {
    assertThat(EdnsOptions.llq(new Message())).isEmpty();
  }

  @Test
  void idIsOpaqueEightBytes() {
    byte[] data = new byte[LlqOption.LENGTH];
    Arrays.fill(data, 6, 14, (byte) 0xff);
    LlqOption option = ((OptionResult.Present<LlqOption>) LlqOption.fromData(data)).option();
    assertThat(option.id()).isEqualTo(-1L);
    assertThat(option.idHex()).isEqualTo("ffffffffffffffff");
    assertThat(option.toData()).isEqualTo(data);
  }

  @Test
  void parsesAnOptRecordOnItsOwn() throws Exception {
    OPTRecord opt =
        (OPTRecord)
            Record.fromWire(
                bytes("00002905a0000000000016000100120001000100000123456789abcdef00000e10"),
                Section.ADDITIONAL);
    assertThat(LlqOption.fromOption(opt.getOptions(LlqOption.CODE).get(0)))
        .isEqualTo(OptionResult.present(new LlqOption(1, LlqOption.SETUP, 0, ID, 3600)));
  }
}
