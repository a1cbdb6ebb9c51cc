package net.membersdns.server.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import net.membersdns.server.config.ServerConfig.TlsConfig;
import net.membersdns.server.transport.GeneratedCertificate.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the DNS-over-TLS server context (RFC 7858): TLS 1.3 and 1.2 only, AEAD cipher suites with
 * forward secrecy (RFC 9325 §4.2, BCP 195), the certificate chain and key from PEM files, or a
 * generated self-signed pair under {@code <dataDir>/tls/} when none is configured. Logs the SHA-256
 * fingerprint of the certificate, which clients can pin (RFC 7858 §4.2, RFC 8310 SPKI pinning
 * aside). Called once by the composition root at start-up.
 */
public final class TlsContextFactory {
  private static final Logger log = LoggerFactory.getLogger(TlsContextFactory.class);

  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** TLS 1.3 suites, then TLS 1.2 ECDHE + AEAD ones; unsupported entries are filtered out. */
  static final List<String> CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsContextFactory() {}

  /**
   * @param tls configured PEM files; both empty means use (or first generate) the self-signed pair
   * @param dataDir the data directory; the generated pair lives in its {@code tls/} subdirectory
   * @param serverName the server's host name (no trailing dot), put in a generated certificate
   * @throws IllegalArgumentException if only one of certificate and key is configured
   * @throws IOException if a file cannot be read or written
   * @throws GeneralSecurityException if the certificate or key cannot be used
   */
  public static SslContext create(TlsConfig tls, Path dataDir, String serverName)
      throws IOException, GeneralSecurityException {
    if (tls.certificate().isPresent() != tls.privateKey().isPresent()) {
      throw new IllegalArgumentException("tls: give both a certificate and a private key, or none");
    }
    PemFiles files =
        tls.certificate().isPresent()
            ? new PemFiles(tls.certificate().get(), tls.privateKey().get())
            : GeneratedCertificate.ensure(generatedDirectory(dataDir), serverName);
    X509Certificate leaf = readChain(files.certificate()).get(0);
    log.info(
        "tls: certificate {} for {}, SHA-256 fingerprint {}",
        files.certificate(),
        leaf.getSubjectX500Principal().getName(),
        fingerprint(leaf));
    try {
      return SslContextBuilder.forServer(files.certificate().toFile(), files.privateKey().toFile())
          .sslProvider(SslProvider.JDK)
          .protocols(PROTOCOLS)
          .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .build();
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("tls: cannot use " + files + ": " + e.getMessage(), e);
    }
  }

  /** Where the self-signed pair is kept: {@code <dataDir>/tls}. */
  public static Path generatedDirectory(Path dataDir) {
    return dataDir.resolve("tls");
  }

  /** SHA-256 of the DER certificate as colon-separated upper-case hex, as openssl prints it. */
  public static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
  }

  /** The certificates of a PEM file, leaf first. */
  public static List<X509Certificate> readChain(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (all.isEmpty()) {
        throw new GeneralSecurityException("tls: no certificate in " + pem);
      }
      return all.stream().map(X509Certificate.class::cast).toList();
    }
  }
}
