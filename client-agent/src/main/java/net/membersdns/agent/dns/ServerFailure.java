package net.membersdns.agent.dns;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import net.membersdns.agent.diagnosis.Diagnosis;

/**
 * Plain words for why talking to the server failed: unreachable, or a TLS chain or name that does
 * not check out. Pure.
 */
public final class ServerFailure {
  private ServerFailure() {}

  /**
   * The diagnosis for {@code failure} while talking to {@code server} ({@code host:port}) with TLS
   * name {@code tlsName}.
   */
  public static Diagnosis of(Throwable failure, String server, String tlsName) {
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
        return new Diagnosis(
            Diagnosis.Kind.TLS_FAILURE,
            "TLS: the certificate of "
                + server
                + " does not chain to a trusted root (check --ca-file): "
                + t.getMessage());
      }
      if (t instanceof CertificateException c && mentionsName(c)) {
        return new Diagnosis(
            Diagnosis.Kind.TLS_FAILURE,
            "TLS: the certificate of " + server + " is not for " + tlsName + " (check --tls-name)");
      }
      root = t;
    }
    if (failure instanceof SSLHandshakeException || failure instanceof SSLException) {
      return new Diagnosis(
          Diagnosis.Kind.TLS_FAILURE,
          "TLS handshake with " + server + " failed: " + root.getMessage());
    }
    String why =
        switch (failure) {
          case UnknownHostException u -> "cannot resolve " + u.getMessage();
          case ConnectException c -> "connection refused or no route (" + c.getMessage() + ")";
          case NoRouteToHostException n -> "no route to it";
          case SocketTimeoutException s -> "no answer in time";
          case EOFException e -> "it closed the connection";
          default -> String.valueOf(failure.getMessage());
        };
    return new Diagnosis(
        Diagnosis.Kind.SERVER_UNREACHABLE, "cannot reach the server " + server + ": " + why);
  }

  private static boolean mentionsName(CertificateException c) {
    String m = String.valueOf(c.getMessage());
    return m.contains("No subject alternative") || m.contains("No name matching");
  }
}
