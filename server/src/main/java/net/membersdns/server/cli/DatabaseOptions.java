package net.membersdns.server.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.member.HostService;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.member.MemberService;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberStore;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every command that touches the database shares with {@code serve} (README.md, serve
 * options): where the database is and which members domain. A picocli mixin: {@code @Mixin
 * DatabaseOptions db;}.
 */
public final class DatabaseOptions {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = "--db-url",
      defaultValue = "${env:MEMBERSDNS_DB_URL}",
      paramLabel = "JDBC-URL",
      description =
          "PostgreSQL JDBC URL (env MEMBERSDNS_DB_URL); none: the embedded PostgreSQL in"
              + " --data-dir")
  private String dbUrl;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:MEMBERSDNS_DATA_DIR:-./data}",
      paramLabel = "DIR",
      description = "Data directory (env MEMBERSDNS_DATA_DIR; default ./data)")
  private Path dataDir;

  @Option(
      names = "--domain",
      defaultValue = "${env:MEMBERSDNS_DOMAIN:-members.example.}",
      paramLabel = "DOMAIN",
      description = "Members domain (env MEMBERSDNS_DOMAIN; default members.example.)")
  private String domain;

  @Option(names = "--verbose", description = "Print stack traces of failures")
  private boolean verbose;

  /** The database configuration; exit 2 naming the option when it is unusable. */
  public ServerConfig.DatabaseConfig databaseConfig() {
    Optional<String> url = Optional.ofNullable(dbUrl).filter(u -> !u.isBlank());
    if (url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
      throw usage("--db-url: expected a jdbc:postgresql: URL, got '" + url.get() + "'");
    }
    return new ServerConfig.DatabaseConfig(url, dataDir, 2);
  }

  /** The members domain, absolute; exit 2 naming {@code --domain} when it is not a name. */
  public Name domain() {
    try {
      Name n = Name.fromString(domain.endsWith(".") ? domain : domain + ".");
      if (n.labels() < 2) {
        throw usage("--domain: the root cannot be the members domain");
      }
      return n.canonicalize();
    } catch (TextParseException e) {
      throw usage("--domain: '" + domain + "' is not a domain name: " + e.getMessage());
    }
  }

  /** Opens (and migrates) the database; the caller closes it. */
  public Database open() {
    return Database.open(databaseConfig(), new SimpleMeterRegistry());
  }

  /** The enrolment service on {@code db} for this domain. */
  public MemberService members(Database db) {
    return new MemberService(
        new MemberStore(db),
        domain(),
        MemberNames.DEFAULT_RESERVED,
        new SecureRandom(),
        Clock.systemUTC());
  }

  /** The host-key service on {@code db} for this domain. */
  public HostService hosts(Database db) {
    return new HostService(new MemberStore(db), domain(), new SecureRandom());
  }

  public boolean verbose() {
    return verbose;
  }

  /** A usage error (exit 2) of the command using these options. */
  public ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
