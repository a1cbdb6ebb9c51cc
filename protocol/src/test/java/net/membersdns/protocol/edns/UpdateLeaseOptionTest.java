package net.membersdns.protocol.edns;

import static net.membersdns.protocol.edns.Hex.bytes;
import static net.membersdns.protocol.edns.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class UpdateLeaseOptionTest {
  /** Vector E1 (RFC 6891 §6.1.2): OPT(1440) carrying UL 7200. */
  static final String E1 = "00 0029 05a0 00000000 0008 0002 0004 00001c20";

  /** Vector U1 (RFC 2136 §2.5, RFC 9664 §4): add AAAA with UL 7200. */
  static final String U1 =
      "2a2a2800000100000001000105616c696365076d656d62657273076578616d706c650000060001036d627005616c696365076d656d62657273076578616d706c6500001c0001000000780010fd123456789a0001000000000000000100002905a00000000000080002000400001c20";

  /** Vector U2 (RFC 9664 §4): dnsextd-style reply granting 3600. */
  static final String U2 = "2a2aa800000000000000000100002905a00000000000080002000400000e10";

  /** Vector U3 (RFC 9664 §4): 8-byte UL (7200, KEY-LEASE 1209600). */
  static final String U3 =
      "2a2b2800000100000001000105616c696365076d656d62657273076578616d706c650000060001036d627005616c696365076d656d62657273076578616d706c6500001c0001000000780010fd123456789a0001000000000000000100002905a000000000000c0002000800001c2000127500";

  /** Vector A1 (RFC 8945 §4.2): signed update, OPT(1440, UL 7200) then TSIG. */
  static final String A1 =
      "12342800000100000001000205616c696365076d656d62657273076578616d706c650000060001036d6270c00c001c0001000000780010fd123456789a0001000000000000000100002905a00000000000080002000400001c2009616c6963652d6b6579c01200fa00ff00000000003d0b686d61632d7368613235360000006553f100012c002068a6deeb50263d2c99d9fbf94b125acf9ea08b2f235785a5df6dd65366742163123400000000";

  @Test
  void encodesVectorE1() {
    OPTRecord opt = new OPTRecord(1440, 0, 0, 0, UpdateLeaseOption.of(7200).toOption());
    assertThat(hex(opt.toWire(Section.ADDITIONAL))).isEqualTo(hex(bytes(E1)));
  }

  @Test
  void decodesVectorE1() throws Exception {
    OPTRecord opt = (OPTRecord) Record.fromWire(bytes(E1), Section.ADDITIONAL);
    assertThat(UpdateLeaseOption.fromOption(opt.getOptions(UpdateLeaseOption.CODE).get(0)))
        .isEqualTo(OptionResult.present(UpdateLeaseOption.of(7200)));
  }

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of("U1", U1, UpdateLeaseOption.of(7200), "00001c20"),
        Arguments.of("U2", U2, UpdateLeaseOption.of(3600), "00000e10"),
        Arguments.of("U3", U3, UpdateLeaseOption.of(7200, 1_209_600), "00001c2000127500"),
        Arguments.of("A1", A1, UpdateLeaseOption.of(7200), "00001c20"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void findsTheLeaseInVectorMessagesAndReencodesItByteExactly(
      String label, String wire, UpdateLeaseOption expected, String data) throws Exception {
    Message message = new Message(bytes(wire));
    OptionResult<UpdateLeaseOption> found = EdnsOptions.updateLease(message);
    assertThat(found).isEqualTo(OptionResult.present(expected));
    assertThat(hex(expected.toData())).isEqualTo(data);
    String optionWire = "0002" + String.format("%04x", data.length() / 2) + data;
    assertThat(hex(expected.toOption().toWire())).isEqualTo(optionWire);
    assertThat(wire).contains(optionWire);
  }

  @Test
  void findsTheLeaseAfterPaddingAndCookie() {
    Message message = new Message();
    message.addRecord(
        new OPTRecord(
            4096,
            0,
            0,
            0,
            new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[40]),
            new GenericEDNSOption(EDNSOption.Code.COOKIE, bytes("0102030405060708")),
            UpdateLeaseOption.of(3600).toOption()),
        Section.ADDITIONAL);
    assertThat(EdnsOptions.updateLease(message))
        .isEqualTo(OptionResult.present(UpdateLeaseOption.of(3600)));
  }

  @Test
  void absentWithoutOptOrWithoutTheOption() {
    assertThat(EdnsOptions.updateLease(new Message())).isInstanceOf(OptionResult.Absent.class);
    Message withOtherOption = new Message();
    withOtherOption.addRecord(
        new OPTRecord(1232, 0, 0, 0, new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[8])),
        Section.ADDITIONAL);
    assertThat(EdnsOptions.updateLease(withOtherOption)).isInstanceOf(OptionResult.Absent.class);
  }

  @ParameterizedTest(name = "length {0}")
  @MethodSource("badLengths")
  void rejectsLengthsOtherThanFourAndEight(int length) {
    assertThat(UpdateLeaseOption.fromData(new byte[length]))
        .isInstanceOf(OptionResult.Malformed.class);
  }

  static Stream<Integer> badLengths() {
    return Stream.of(0, 1, 3, 5, 7, 9, 12, 18);
  }

  @Test
  void twoLeaseOptionsAreMalformed() {
    Message message = new Message();
    message.addRecord(
        new OPTRecord(
            1440,
            0,
            0,
            0,
            UpdateLeaseOption.of(3600).toOption(),
            UpdateLeaseOption.of(7200).toOption()),
        Section.ADDITIONAL);
    assertThat(EdnsOptions.updateLease(message)).isInstanceOf(OptionResult.Malformed.class);
  }

  @Test
  void keyLeaseAppliesToKeyRecordsOnly() {
    UpdateLeaseOption eight = UpdateLeaseOption.of(7200, 1_209_600);
    assertThat(eight.leaseFor(Type.KEY)).isEqualTo(1_209_600);
    assertThat(eight.leaseFor(Type.AAAA)).isEqualTo(7200);
    assertThat(UpdateLeaseOption.of(7200).leaseFor(Type.KEY)).isEqualTo(7200);
    assertThat(eight.keyLease()).isEqualTo(OptionalLong.of(1_209_600));
  }

  @Test
  void unsignedThirtyTwoBitValuesRoundTrip() {
    UpdateLeaseOption max = UpdateLeaseOption.of(0xFFFF_FFFFL, 0x8000_0000L);
    assertThat(UpdateLeaseOption.fromData(max.toData())).isEqualTo(OptionResult.present(max));
  }
}
