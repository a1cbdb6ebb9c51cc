package net.membersdns.server.auth;

import static net.membersdns.server.testing.Hex.bytes;
import static net.membersdns.server.testing.Hex.hex;
import static net.membersdns.server.testing.Vectors.KEY_NAME;
import static net.membersdns.server.testing.Vectors.MD5_KEY;
import static net.membersdns.server.testing.Vectors.SHA256_KEY;
import static net.membersdns.server.testing.Vectors.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.stream.Stream;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.testing.RequestSigner;
import net.membersdns.server.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

class TsigVerifierTest {
  private static final long T0 = 1_700_000_000L;

  static Stream<Arguments> verifiedVectors() {
    return Stream.of(
        Arguments.of("A1 hmac-sha256, compressed owner", Vectors.A1, SHA256_KEY, T0),
        Arguments.of("A3 hmac-md5, upper-case algorithm on the wire", Vectors.A3, MD5_KEY, T0),
        Arguments.of("T7 hmac-md5, Apple layout with HINFO before TSIG", Vectors.T7, MD5_KEY, T0),
        Arguments.of("nsupdate capture, no OPT", Vectors.NSUPDATE, SHA256_KEY, 0x6b038e6eL),
        Arguments.of("dig capture", Vectors.DIG, SHA256_KEY, 0x6b038e69L),
        Arguments.of("A1 at the edge of the fudge", Vectors.A1, SHA256_KEY, T0 + 300),
        Arguments.of("A1 from a clock behind by the fudge", Vectors.A1, SHA256_KEY, T0 - 300));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verifiedVectors")
  void verifiesVector(String label, String wire, TsigKey key, long now) throws Exception {
    TsigOutcome outcome = verify(wire, TsigKeyring.of(key), clockAt(now));
    assertThat(outcome).isInstanceOf(TsigOutcome.Verified.class);
    assertThat(((TsigOutcome.Verified) outcome).key()).isEqualTo(key);
  }

  @Test
  void unsignedRequestIsUnsigned() throws Exception {
    assertThat(verify(Vectors.U1, TsigKeyring.of(SHA256_KEY), clockAt(T0)))
        .isInstanceOf(TsigOutcome.Unsigned.class);
  }

  static Stream<Arguments> failures() {
    TsigKey wrongSecret = new TsigKey(KEY_NAME, TsigAlgorithm.HMAC_SHA256, new byte[32]);
    TsigKey otherName =
        new TsigKey(
            Name.fromConstantString("bob-key.members.example."),
            TsigAlgorithm.HMAC_SHA256,
            SHA256_KEY.secret());
    TsigKey md5SameName = MD5_KEY;
    return Stream.of(
        Arguments.of("unknown key (T5)", TsigKeyring.of(otherName), T0, Rcode.BADKEY),
        Arguments.of("empty keyring", TsigKeyring.of(), T0, Rcode.BADKEY),
        Arguments.of("algorithm is not the key's", TsigKeyring.of(md5SameName), T0, Rcode.BADKEY),
        Arguments.of("wrong secret (T6)", TsigKeyring.of(wrongSecret), T0, Rcode.BADSIG),
        Arguments.of(
            "wrong secret and stale: MAC first",
            TsigKeyring.of(wrongSecret),
            T0 + 400,
            Rcode.BADSIG),
        Arguments.of("stale (A4)", TsigKeyring.of(SHA256_KEY), T0 + 400, Rcode.BADTIME),
        Arguments.of("from the future", TsigKeyring.of(SHA256_KEY), T0 - 301, Rcode.BADTIME));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failsA1With(String label, TsigKeyring keyring, long now, int error) throws Exception {
    TsigOutcome outcome = verify(Vectors.A1, keyring, clockAt(now));
    assertThat(outcome).isInstanceOf(TsigOutcome.Failed.class);
    TsigOutcome.Failed failed = (TsigOutcome.Failed) outcome;
    assertThat(Rcode.TSIGstring(failed.error())).isEqualTo(Rcode.TSIGstring(error));
    assertThat(failed.rcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(failed.key().isPresent()).isEqualTo(error != Rcode.BADKEY);
  }

  @Test
  void keyNamesAreCaseInsensitive() throws Exception {
    TsigKey upper =
        new TsigKey(
            Name.fromConstantString("ALICE-KEY.Members.Example."),
            TsigAlgorithm.HMAC_SHA256,
            SHA256_KEY.secret());
    assertThat(verify(Vectors.A1, TsigKeyring.of(upper), clockAt(T0)))
        .isInstanceOf(TsigOutcome.Verified.class);
  }

  @ParameterizedTest
  @EnumSource(TsigAlgorithm.class)
  void verifiesEveryAlgorithmSignedIndependently(TsigAlgorithm algorithm) throws Exception {
    byte[] secret = new byte[algorithm.macLength()];
    secret[0] = 42;
    TsigKey key = new TsigKey(KEY_NAME, algorithm, secret);
    byte[] wire = signed(key, algorithm.wireName(), algorithm.macLength());
    assertThat(new TsigVerifier(TsigKeyring.of(key), clockAt(T0)).verify(new Message(wire), wire))
        .isEqualTo(new TsigOutcome.Verified(key, new Message(wire).getTSIG()));
  }

  @Test
  void truncatedMacBelowKeyPolicyIsBadtrunc() throws Exception {
    byte[] wire = signed(SHA256_KEY, TsigAlgorithm.HMAC_SHA256.wireName(), 16);
    TsigOutcome outcome =
        new TsigVerifier(TsigKeyring.of(SHA256_KEY), clockAt(T0)).verify(new Message(wire), wire);
    assertThat(outcome).isInstanceOf(TsigOutcome.Failed.class);
    assertThat(((TsigOutcome.Failed) outcome).error()).isEqualTo(Rcode.BADTRUNC);
    assertThat(((TsigOutcome.Failed) outcome).signedReply()).isTrue();
  }

  @Test
  void truncatedMacAllowedByKeyPolicyVerifies() throws Exception {
    TsigKey lenient = new TsigKey(KEY_NAME, TsigAlgorithm.HMAC_SHA256, SHA256_KEY.secret(), 16);
    byte[] wire = signed(lenient, TsigAlgorithm.HMAC_SHA256.wireName(), 16);
    assertThat(
            new TsigVerifier(TsigKeyring.of(lenient), clockAt(T0)).verify(new Message(wire), wire))
        .isInstanceOf(TsigOutcome.Verified.class);
  }

  @Test
  void truncatedMacWithWrongBytesIsBadsigNotBadtrunc() throws Exception {
    byte[] wire = signed(SHA256_KEY, TsigAlgorithm.HMAC_SHA256.wireName(), 16);
    wire[wire.length - 10] ^= 1; // inside the 16-byte MAC
    TsigOutcome outcome =
        new TsigVerifier(TsigKeyring.of(SHA256_KEY), clockAt(T0)).verify(new Message(wire), wire);
    assertThat(((TsigOutcome.Failed) outcome).error()).isEqualTo(Rcode.BADSIG);
  }

  @ParameterizedTest(name = "MAC size {0}")
  @MethodSource("badMacSizes")
  void macSizeOutOfBoundsIsFormerr(int macSize) throws Exception {
    Message m = update();
    m.addRecord(
        new TSIGRecord(
            KEY_NAME,
            DClass.ANY,
            0,
            TsigAlgorithm.HMAC_SHA256.wireName(),
            java.time.Instant.ofEpochSecond(T0),
            java.time.Duration.ofSeconds(300),
            new byte[macSize],
            m.getHeader().getID(),
            0,
            null),
        Section.ADDITIONAL);
    byte[] wire = m.toWire();
    TsigOutcome outcome =
        new TsigVerifier(TsigKeyring.of(SHA256_KEY), clockAt(T0)).verify(new Message(wire), wire);
    assertThat(outcome).isInstanceOf(TsigOutcome.Malformed.class);
    assertThat(((TsigOutcome.Malformed) outcome).rcode()).isEqualTo(Rcode.FORMERR);
  }

  static Stream<Integer> badMacSizes() {
    return Stream.of(0, 9, 15, 33, 64);
  }

  @Test
  void tsigOutsideTheAdditionalSectionIsFormerr() throws Exception {
    Message m = update();
    byte[] a1 = bytes(Vectors.A1);
    Message signed = new Message(a1);
    m.addRecord(signed.getTSIG(), Section.UPDATE);
    byte[] wire = m.toWire();
    assertThat(
            new TsigVerifier(TsigKeyring.of(SHA256_KEY), clockAt(T0))
                .verify(new Message(wire), wire))
        .isInstanceOf(TsigOutcome.Malformed.class);
  }

  private static Message update() throws Exception {
    Update u = new Update(Vectors.ZONE);
    u.getHeader().setID(0x4242);
    u.add(
        Record.fromString(
            Name.fromConstantString("mbp.alice.members.example."),
            Type.AAAA,
            DClass.IN,
            120,
            "fd12:3456:789a:1::1",
            Name.root));
    return u;
  }

  private static byte[] signed(TsigKey key, Name algorithmOnWire, int macLength) throws Exception {
    return RequestSigner.sign(
        update(),
        key.name(),
        algorithmOnWire,
        key.algorithm().jcaName(),
        key.secret(),
        T0,
        macLength);
  }

  private static TsigOutcome verify(String wireHex, TsigKeyring keyring, Clock clock)
      throws Exception {
    byte[] wire = bytes(wireHex);
    return new TsigVerifier(keyring, clock).verify(new Message(wire), wire);
  }

  @Test
  void vectorsAreWhatTheyClaim() throws Exception {
    assertThat(hex(new Message(bytes(Vectors.A1)).getTSIG().getSignature()))
        .isEqualTo("68a6deeb50263d2c99d9fbf94b125acf9ea08b2f235785a5df6dd65366742163");
    assertThat(new Message(bytes(Vectors.A1)).getQuestion())
        .isEqualTo(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN));
  }
}
