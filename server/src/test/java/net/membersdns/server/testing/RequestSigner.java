package net.membersdns.server.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;

/**
 * Signs test requests with plain JCA HMAC, following RFC 8945 §4.3 independently of dnsjava's TSIG
 * class, so the verifier is not only tested against itself. The TSIG RR is appended uncompressed,
 * with the algorithm name spelled exactly as given (upper case allowed).
 */
public final class RequestSigner {
  private RequestSigner() {}

  public static byte[] sign(
      Message unsigned,
      Name keyName,
      Name algorithm,
      String jcaName,
      byte[] secret,
      long timeSigned,
      int macLength) {
    return sign(unsigned.toWire(), keyName, algorithm, jcaName, secret, timeSigned, macLength);
  }

  /**
   * Signs the message {@code body} as it is on the wire, however odd (at least a header: the
   * original ID and ARCOUNT are read from it): the fuzz targets sign what the fuzzer made.
   */
  public static byte[] sign(
      byte[] body,
      Name keyName,
      Name algorithm,
      String jcaName,
      byte[] secret,
      long timeSigned,
      int macLength) {
    DNSOutput v = new DNSOutput();
    keyName.toWireCanonical(v);
    v.writeU16(DClass.ANY);
    v.writeU32(0);
    algorithm.toWireCanonical(v);
    v.writeU16((int) (timeSigned >>> 32));
    v.writeU32(timeSigned & 0xFFFF_FFFFL);
    v.writeU16(300);
    v.writeU16(0);
    v.writeU16(0);
    byte[] mac;
    try {
      Mac hmac = Mac.getInstance(jcaName);
      hmac.init(new SecretKeySpec(secret, jcaName));
      hmac.update(body);
      mac = Arrays.copyOf(hmac.doFinal(v.toByteArray()), macLength);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    TSIGRecord tsig =
        new TSIGRecord(
            keyName,
            DClass.ANY,
            0,
            algorithm,
            Instant.ofEpochSecond(timeSigned),
            Duration.ofSeconds(300),
            mac,
            ByteBuffer.wrap(body).getShort(0) & 0xFFFF,
            0,
            null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(body);
    out.writeBytes(tsig.toWire(Section.ADDITIONAL));
    byte[] wire = out.toByteArray();
    ByteBuffer.wrap(wire).putShort(10, (short) (ByteBuffer.wrap(body).getShort(10) + 1)); // ARCOUNT
    return wire;
  }
}
