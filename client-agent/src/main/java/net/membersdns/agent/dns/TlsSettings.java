package net.membersdns.agent.dns;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the agent opens DNS-over-TLS connections (RFC 7858 §3.2, the strict profile of RFC 8310 §5):
 * TLS 1.3 or 1.2 only, the certificate chain must lead to a trusted root — the certificates of
 * {@code --ca-file} when given (a private CA, or the server's own self-signed certificate), else
 * the JDK's system trust store — and must name the configured TLS name (RFC 6125 matching, done by
 * the JDK's HTTPS endpoint identification). Nothing is ever accepted unchecked: there is no option
 * to turn verification off.
 */
public final class TlsSettings {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final SSLContext context;

  private TlsSettings(SSLContext context) {
    this.context = context;
  }

  /**
   * @param caFile PEM file with one or more trusted certificates; empty for the system trust store
   * @throws IOException if the file cannot be read or holds no certificate
   */
  public static TlsSettings of(Optional<Path> caFile) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(caFile.isPresent() ? trustStore(caFile.get()) : null);
      ctx.init(null, tmf.getTrustManagers(), null);
      return new TlsSettings(ctx);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(caFile)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(caFile + " is not a PEM certificate file: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IOException(caFile + " holds no certificate");
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (Certificate c : certs) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    return ks;
  }

  /**
   * Connects to {@code address} and completes the TLS handshake, checking the certificate against
   * {@code tlsName}.
   *
   * @throws IOException on any failure; {@link ServerFailure#of} explains it
   */
  public SSLSocket connect(InetSocketAddress address, String tlsName, Duration timeout)
      throws IOException {
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      raw.setKeepAlive(true);
      raw.connect(address, (int) timeout.toMillis());
      raw.setSoTimeout((int) timeout.toMillis());
      SSLSocket tls =
          (SSLSocket)
              context.getSocketFactory().createSocket(raw, tlsName, address.getPort(), true);
      SSLParameters p = tls.getSSLParameters();
      p.setProtocols(PROTOCOLS);
      p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 6125 name check against tlsName
      if (!isIpLiteral(tlsName)) {
        p.setServerNames(List.of(new SNIHostName(tlsName)));
      }
      tls.setSSLParameters(p);
      tls.startHandshake();
      tls.setSoTimeout(0);
      return tls;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static boolean isIpLiteral(String name) {
    return name.contains(":") || name.matches("[0-9.]+");
  }
}
