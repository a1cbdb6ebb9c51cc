package net.membersdns.server.cli;

import java.util.concurrent.Callable;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.member.MemberException;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code key remove NAME}: deletes a key and its grants. Running servers stop accepting it at once:
 * updates re-check the key inside their commit transaction, and every server reloads its keyring on
 * the keys notification.
 */
@Command(name = "remove", description = "Remove a TSIG key", mixinStandardHelpOptions = true)
public final class KeyRemoveCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "NAME", description = "Key name")
  private String name;

  @Override
  public Integer call() {
    db.domain();
    String key = KeyCommand.keyName(name);
    try (Database database = db.open()) {
      boolean removed = new MemberStore(database).removeKey(key);
      if (!removed) {
        throw new MemberException("no key named " + key);
      }
    }
    AuditLog.admin("key.remove").with("key", key).log();
    spec.commandLine().getOut().println("removed: " + key);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
