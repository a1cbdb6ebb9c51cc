package net.membersdns.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.member.KeyAlgorithms;
import net.membersdns.server.member.KeyMaterial;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.store.postgres.TsigKeyDao;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code key add NAME --grant members|ZONE ...}: makes an operator key (no member) with the given
 * grants and prints it once as {@code key: <algorithm>:<name>:<base64 secret>}.
 */
@Command(
    name = "add",
    description = "Make an operator key with grants; prints its secret once",
    mixinStandardHelpOptions = true)
public final class KeyAddCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "NAME", description = "Key name (absolute, or below root)")
  private String name;

  @Option(
      names = "--grant",
      required = true,
      paramLabel = "members|ZONE",
      description =
          "What the key may write: 'members' (every member zone of the domain) or one zone apex;"
              + " repeatable")
  private List<String> grants;

  @Option(
      names = "--permission",
      defaultValue = "update",
      paramLabel = "update|read",
      description = "update (default; implies read) or read (private queries and LLQ)")
  private String permission;

  @Mixin private AlgorithmOption algorithm;

  @Option(
      names = "--secret-file",
      paramLabel = "FILE",
      description =
          "Take the secret from FILE (base64, as in a BIND key clause or nsupdate -y) instead of"
              + " making a random one: for keys moved from another server")
  private Path secretFile;

  @Override
  public Integer call() {
    TsigAlgorithm alg = algorithm.get();
    if (!permission.equals("update") && !permission.equals("read")) {
      throw db.usage("--permission: expected update or read, got '" + permission + "'");
    }
    Name domain = db.domain();
    String key;
    try {
      key = Names.canonical(Names.absolute(KeyCommand.keyName(name)));
    } catch (IllegalArgumentException e) {
      throw db.usage("NAME: " + e.getMessage());
    }
    List<TsigKeyDao.Grant> rows = new ArrayList<>();
    for (String g : grants) {
      if (g.equalsIgnoreCase("members")) {
        rows.add(
            new TsigKeyDao.Grant(Names.canonical(domain), TsigKeyDao.Grant.MEMBERS, permission));
        continue;
      }
      Name zone;
      try {
        zone = Names.absolute(g.endsWith(".") ? g : g + ".");
      } catch (IllegalArgumentException e) {
        throw db.usage("--grant: '" + g + "' is neither 'members' nor a zone name");
      }
      if (!zone.subdomain(domain)) {
        throw db.usage("--grant: " + zone + " is not inside the members domain " + domain);
      }
      rows.add(new TsigKeyDao.Grant(Names.canonical(zone), TsigKeyDao.Grant.ZONE, permission));
    }
    byte[] secret =
        secretFile == null ? KeyMaterial.random(alg, new SecureRandom()).secret() : readSecret();
    try (Database database = db.open()) {
      new MemberStore(database).addOperatorKey(key, KeyAlgorithms.stored(alg), secret, rows);
    }
    AuditLog.admin("key.add")
        .with("key", key)
        .with("algorithm", alg.presentationName())
        .with("grants", rows.toString())
        .log();
    PrintWriter out = spec.commandLine().getOut();
    out.println(new KeyLine(alg, Names.absolute(key), secret).printed());
    for (TsigKeyDao.Grant g : rows) {
      out.println("grant: " + g);
    }
    out.flush();
    return 0;
  }

  /** The secret of {@code --secret-file}: base64, at least 16 bytes (RFC 8945 §6: long enough). */
  private byte[] readSecret() {
    String text;
    try {
      text = Files.readString(secretFile).trim();
    } catch (IOException e) {
      throw db.usage("--secret-file: cannot read " + secretFile + ": " + e.getMessage());
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw db.usage("--secret-file: " + secretFile + " does not hold base64");
    }
    if (secret.length < 16) {
      throw db.usage(
          "--secret-file: a secret of " + secret.length + " bytes is too short (16 at least)");
    }
    return secret;
  }
}
