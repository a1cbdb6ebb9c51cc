package net.membersdns.server.transport;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-signed certificate for local runs (docs/architecture.md, Keys and access): an EC P-256
 * key and a certificate for the server's name plus 127.0.0.1 and ::1, valid ten years, written once
 * as PEM to {@code server.crt} and {@code server.key} (mode 0600) and reused on every later start,
 * so a fingerprint a client pinned stays valid. Called once at start-up, before any event loop
 * runs.
 */
final class GeneratedCertificate {
  private static final Logger log = LoggerFactory.getLogger(GeneratedCertificate.class);
  private static final Duration VALIDITY = Duration.ofDays(3650);

  /** The PEM files of a certificate chain and its private key. */
  record PemFiles(Path certificate, Path privateKey) {}

  private GeneratedCertificate() {}

  /** The pair in {@code dir}, generated first if either file is missing. */
  static PemFiles ensure(Path dir, String serverName) throws IOException, GeneralSecurityException {
    PemFiles files = new PemFiles(dir.resolve("server.crt"), dir.resolve("server.key"));
    if (Files.exists(files.certificate()) && Files.exists(files.privateKey())) {
      warnIfReadableByOthers(files.privateKey());
      return files;
    }
    createDirectory(dir);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    KeyPair keys = generator.generateKeyPair();
    X509Certificate certificate = selfSign(keys, serverName);
    // The key first: a certificate without its key would be reused but be useless.
    writeAtomically(
        files.privateKey(), pem(new JcaPKCS8Generator(keys.getPrivate(), null)), "rw-------");
    writeAtomically(files.certificate(), pem(certificate), "rw-r--r--");
    log.info("tls: generated a self-signed certificate for {} in {}", serverName, dir);
    return files;
  }

  static X509Certificate selfSign(KeyPair keys, String serverName) throws GeneralSecurityException {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, serverName).build();
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))), // tolerate clients whose clock lags
            Date.from(now.plus(VALIDITY)),
            subject,
            keys.getPublic());
    try {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, serverName),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")
              }));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build a self-signed certificate", e);
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static void createDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    setMode(dir, "rwx------");
  }

  /** Writes to a temporary file with the final mode, then renames: never a half or open file. */
  private static void writeAtomically(Path target, String text, String mode) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      setMode(tmp, mode);
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void setMode(Path path, String mode) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): its ACLs are the operator's business.
    }
  }

  private static void warnIfReadableByOthers(Path key) throws IOException {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(key);
      if (mode.contains(PosixFilePermission.GROUP_READ)
          || mode.contains(PosixFilePermission.OTHERS_READ)) {
        log.warn("tls: private key {} is readable by other users; chmod 600 it", key);
      }
    } catch (UnsupportedOperationException e) {
      // not POSIX
    }
  }
}
