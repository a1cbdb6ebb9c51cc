package net.membersdns.server.auth;

import static net.membersdns.server.testing.Hex.bytes;
import static net.membersdns.server.testing.Hex.hex;
import static net.membersdns.server.testing.Vectors.SHA256_KEY;
import static net.membersdns.server.testing.Vectors.clockAt;
import static org.assertj.core.api.Assertions.assertThat;

import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/** Replies to vector A1 (RFC 8945 §5.3), byte for byte. */
class TsigSignerTest {
  private static final long T0 = 1_700_000_000L;

  /** T5's TSIG owner is uncompressed; dnsjava (like dnspython in A2/A4) compresses it. */
  private static final String KEY_UNCOMPRESSED =
      "09616c6963652d6b6579076d656d62657273076578616d706c650000fa";

  private static final String KEY_COMPRESSED = "09616c6963652d6b6579c01200fa";

  @Test
  void signedNoerrorReplyIsVectorA2() throws Exception {
    TsigOutcome outcome = verifyA1(T0);
    Message reply = reply(0x1234);
    reply.addRecord(
        new OPTRecord(1440, 0, 0, 0, UpdateLeaseOption.of(3600).toOption()), Section.ADDITIONAL);
    byte[] wire = new TsigSigner(clockAt(T0 + 1)).toWire(reply, outcome, 65535);
    assertThat(hex(wire)).isEqualTo(Vectors.A2);
  }

  @Test
  void badtimeReplyIsVectorA4() throws Exception {
    TsigOutcome outcome = verifyA1(T0 + 400);
    assertThat(outcome).isInstanceOf(TsigOutcome.Failed.class);
    Message reply = reply(0x1234);
    reply.addRecord(new OPTRecord(8192, 0, 0, 0), Section.ADDITIONAL);
    byte[] wire = new TsigSigner(clockAt(T0 + 400)).toWire(reply, outcome, 65535);
    assertThat(hex(wire)).isEqualTo(Vectors.A4);
    TSIGRecord tsig = new Message(wire).getTSIG();
    assertThat(tsig.getError()).isEqualTo(Rcode.BADTIME);
    assertThat(tsig.getTimeSigned().getEpochSecond()).isEqualTo(T0);
    assertThat(hex(tsig.getOther())).isEqualTo("00006553f290");
  }

  @Test
  void badkeyReplyIsVectorT5ModuloOwnerNameCompression() throws Exception {
    TsigOutcome outcome = verifyA1(T0, TsigKeyring.of());
    byte[] wire = new TsigSigner(clockAt(T0)).toWire(reply(0x1234), outcome, 65535);
    assertThat(hex(wire)).isEqualTo(Vectors.T5.replace(KEY_UNCOMPRESSED, KEY_COMPRESSED));
    TSIGRecord ours = new Message(wire).getTSIG();
    TSIGRecord t5 = new Message(bytes(Vectors.T5)).getTSIG();
    assertThat(ours.rdataToString()).isEqualTo(t5.rdataToString());
    assertThat(ours.getName()).isEqualTo(t5.getName());
  }

  @Test
  void badsigReplyIsVectorT6ModuloOwnerNameCompression() throws Exception {
    TsigKey wrong = new TsigKey(Vectors.KEY_NAME, TsigAlgorithm.HMAC_SHA256, new byte[32]);
    TsigOutcome outcome = verifyA1(T0, TsigKeyring.of(wrong));
    byte[] wire = new TsigSigner(clockAt(T0)).toWire(reply(0x1234), outcome, 65535);
    assertThat(hex(wire)).isEqualTo(Vectors.T6.replace(KEY_UNCOMPRESSED, KEY_COMPRESSED));
  }

  @Test
  void badkeyReplyForAnUnknownAlgorithmEchoesIt() throws Exception {
    // A1 with its algorithm renamed to "hmac-sha257." (same length): we cannot build a key for it.
    String renamed = Vectors.A1.replace("686d61632d736861323536", "686d61632d736861323537");
    byte[] request = bytes(renamed);
    TsigOutcome outcome =
        new TsigVerifier(TsigKeyring.of(SHA256_KEY), clockAt(T0))
            .verify(new Message(request), request);
    assertThat(((TsigOutcome.Failed) outcome).error()).isEqualTo(Rcode.BADKEY);
    byte[] wire = new TsigSigner(clockAt(T0)).toWire(reply(0x1234), outcome, 65535);
    TSIGRecord tsig = new Message(wire).getTSIG();
    assertThat(tsig.getAlgorithm().toString()).isEqualTo("hmac-sha257.");
    assertThat(tsig.getSignature()).isEmpty();
    assertThat(new Message(wire).getRcode()).isEqualTo(Rcode.NOTAUTH);
  }

  @Test
  void unsignedAndMalformedRequestsGetUnsignedReplies() {
    Message reply = reply(0x2a2c);
    reply.getHeader().setRcode(Rcode.REFUSED);
    byte[] wire = new TsigSigner(clockAt(T0)).toWire(reply, new TsigOutcome.Unsigned(), 512);
    assertThat(hex(wire)).isEqualTo(Vectors.U4);
    Message formerr = reply(7);
    formerr.getHeader().setRcode(Rcode.FORMERR);
    byte[] formerrWire =
        new TsigSigner(clockAt(T0)).toWire(formerr, new TsigOutcome.Malformed("test"), 512);
    assertThat(formerrWire.length).isEqualTo(39);
  }

  @Test
  void signedReplyToMd5RequestVerifiesWithTheRequestMac() throws Exception {
    byte[] request = bytes(Vectors.A3);
    TsigOutcome outcome =
        new TsigVerifier(TsigKeyring.of(Vectors.MD5_KEY), clockAt(T0))
            .verify(new Message(request), request);
    Message reply = reply(0xbeef);
    byte[] wire = new TsigSigner(clockAt(T0 + 1)).toWire(reply, outcome, 512);
    Message parsed = new Message(wire);
    int verified =
        Vectors.MD5_KEY
            .toTsig(clockAt(T0 + 1))
            .verify(parsed, wire, new Message(request).getTSIG());
    assertThat(verified).isEqualTo(Rcode.NOERROR);
  }

  private static TsigOutcome verifyA1(long now) throws Exception {
    return verifyA1(now, TsigKeyring.of(SHA256_KEY));
  }

  private static TsigOutcome verifyA1(long now, TsigKeyring keyring) throws Exception {
    byte[] wire = bytes(Vectors.A1);
    return new TsigVerifier(keyring, clockAt(now)).verify(new Message(wire), wire);
  }

  private static Message reply(int id) {
    Message reply = new Message(id);
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setOpcode(Opcode.UPDATE);
    reply.addRecord(Record.newRecord(Vectors.ZONE, Type.SOA, DClass.IN), Section.ZONE);
    return reply;
  }
}
