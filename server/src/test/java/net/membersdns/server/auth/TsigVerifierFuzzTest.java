package net.membersdns.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.testing.RequestSigner;
import net.membersdns.server.testing.Vectors;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Fuzzes TSIG verification (RFC 8945 §5.2): a message the fuzzer made is signed by an independent
 * HMAC implementation ({@link RequestSigner}) with a key, time and MAC length the fuzzer chooses,
 * one byte may then be flipped, and {@link TsigVerifier} must reach exactly the outcome the RFC
 * gives.
 *
 * <p>Input: {@code control(1) flipAt(2) flipMask(1) message}. Control bits 0-1: the key (0 member
 * hmac-sha256, 1 host hmac-md5, 2 a name not in the keyring, 3 do not sign); bits 2-3: Time Signed
 * now, 299 s ahead, 301 s behind, or a day behind; bits 4-7: MAC cut to that many bytes less.
 *
 * <p>Invariants: nothing throws; an unflipped message is Verified exactly when key, time and MAC
 * length are right, else BADKEY, BADTIME, FORMERR (MAC length out of bounds, §5.2.2.1) or BADTRUNC
 * (below the key's minimum, §5.2.3); a flipped byte covered by the MAC never verifies. (A message
 * the fuzzer signed itself can verify: the seeds hold vector A1, signed at the same instant.)
 */
class TsigVerifierFuzzTest {
  private static final long NOW = 1_700_000_000L;
  private static final Clock CLOCK = Vectors.clockAt(NOW);
  private static final TsigKey MEMBER = Vectors.SHA256_KEY;

  /** Accepts MACs down to half length (RFC 8945 §5.2.2.1's floor), to reach BADTRUNC above it. */
  private static final TsigKey HOST =
      new TsigKey(
          Names.absolute("mbp.alice.key.members.example."),
          TsigAlgorithm.HMAC_MD5,
          "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          12);

  private static final TsigKey STRANGER =
      new TsigKey(
          Names.absolute("nobody.key.members.example."), TsigAlgorithm.HMAC_SHA256, new byte[32]);
  private static final TsigVerifier VERIFIER =
      new TsigVerifier(TsigKeyring.of(MEMBER, HOST), CLOCK);
  private static final long[] OFFSETS = {0, 299, -301, -86_400};

  @FuzzTest(maxDuration = "10s")
  void verifiesAnySignedMessage(byte[] input) {
    if (input.length < 4 + 12) {
      return;
    }
    ByteBuffer in = ByteBuffer.wrap(input);
    int control = in.get() & 0xFF;
    int flipAt = in.getShort() & 0xFFFF;
    byte flipMask = in.get();
    byte[] body = Arrays.copyOfRange(input, 4, input.length);
    TsigKey key =
        switch (control & 3) {
          case 0 -> MEMBER;
          case 1 -> HOST;
          case 2 -> STRANGER;
          default -> null;
        };
    long offset = OFFSETS[control >> 2 & 3];
    int macLength = key == null ? 0 : key.algorithm().macLength() - (control >> 4);
    byte[] wire = key == null ? body : sign(body, key, NOW + offset, Math.max(macLength, 0));
    byte[] signed = wire.clone();
    boolean flipped = flipMask != 0 && flipAt < wire.length && flipAt > 1; // bytes 0-1: the ID
    if (flipped) {
      wire[flipAt] ^= flipMask;
    }
    Message message;
    try {
      message = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return; // not a DNS message any more: the dispatcher answers FORMERR or nothing
    }
    if (!whole(message, wire)) {
      return; // counts beyond the data, read with TC set: FORMERR before TSIG (RequestDispatcher)
    }
    TsigOutcome outcome = VERIFIER.verify(message, wire);
    if (key == null
        || message.getTSIG() == null
        || !appendedIsTheTsig(message, key, body, signed, Math.max(macLength, 0))) {
      if (outcome instanceof TsigOutcome.Verified v) { // a captured signature, as vector A1
        assertThat(v.key()).as("verified with a key of the keyring").isIn(MEMBER, HOST);
      }
      return;
    }
    boolean inTsigNames = flipAt >= body.length && flipAt < body.length + namesLength(key);
    if (flipped && !inTsigNames) {
      assertThat(outcome)
          .as("a flipped byte at " + flipAt)
          .isNotInstanceOf(TsigOutcome.Verified.class);
      return;
    }
    if (flipped || body.length < 12 || message.getTSIG() == null) {
      return; // a case flip in the key or algorithm name is canonicalised away (§4.3.2)
    }
    if (tsigRecords(message) > 1) {
      assertThat(outcome).as("a second TSIG (§5.1)").isInstanceOf(TsigOutcome.Malformed.class);
      return;
    }
    assertThat(outcome).isEqualTo(expected(key, offset, macLength, outcome));
  }

  private static boolean whole(Message m, byte[] wire) {
    for (int section = 0; section <= 3; section++) {
      int counted = (wire[4 + 2 * section] & 0xFF) << 8 | wire[5 + 2 * section] & 0xFF;
      if (m.getSection(section).size() != counted) {
        return false;
      }
    }
    return true;
  }

  private static int tsigRecords(Message m) {
    int n = 0;
    for (int section = 1; section <= 3; section++) {
      n += (int) m.getSection(section).stream().filter(r -> r.getType() == Type.TSIG).count();
    }
    return n;
  }

  /** What RFC 8945 §5.2 makes of an unflipped request. */
  private static Object expected(TsigKey key, long offset, int macLength, TsigOutcome got) {
    TsigAlgorithm alg = key.algorithm();
    if (key == STRANGER) {
      return failed(got, Rcode.BADKEY);
    }
    if (macLength < alg.shortestMac()) {
      return got instanceof TsigOutcome.Malformed
          ? got
          : "Malformed (MAC length " + macLength + ")";
    }
    if (Math.abs(offset) > 300) {
      return failed(got, Rcode.BADTIME);
    }
    if (macLength < key.minimumMac()) {
      return failed(got, Rcode.BADTRUNC);
    }
    return got instanceof TsigOutcome.Verified v && v.key().equals(key) ? got : "Verified";
  }

  private static Object failed(TsigOutcome got, int error) {
    return got instanceof TsigOutcome.Failed f && f.error() == error
        ? got
        : "Failed " + Rcode.TSIGstring(error);
  }

  /**
   * dnsjava read our TSIG as the last record, not one the fuzzer wrote into the body (which the
   * header's counts may make the last, ours left unread): it carries the MAC we appended, which
   * sits after the body, the key name, type to RDLENGTH, the algorithm name and 10 octets.
   */
  private static boolean appendedIsTheTsig(
      Message m, TsigKey key, byte[] body, byte[] signed, int macLength) {
    int macAt = body.length + key.name().length() + 10 + key.algorithm().wireName().length() + 10;
    byte[] mac = m.getTSIG().getSignature();
    return m.getTSIG().getName().equals(key.name())
        && mac.length == macLength
        && macAt + mac.length <= signed.length
        && Arrays.equals(mac, Arrays.copyOfRange(signed, macAt, macAt + mac.length));
  }

  private static int namesLength(TsigKey key) {
    return key.name().length() + 10 + key.algorithm().wireName().length();
  }

  private static byte[] sign(byte[] body, TsigKey key, long time, int macLength) {
    if (body.length < 12) {
      return body;
    }
    Name alg = key.algorithm().wireName();
    return RequestSigner.sign(
        body, key.name(), alg, key.algorithm().jcaName(), key.secret(), time, macLength);
  }
}
