package net.membersdns.server.cli;

import java.util.concurrent.Callable;
import net.membersdns.server.ServerMain;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.llq.LlqConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code membersdns serve}: runs the server in the foreground until SIGTERM/SIGINT. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the members DNS service (UDP/TCP, DNS-over-TLS, metrics).")
public final class ServeCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db;

  @Mixin ServeOptions serve;

  @Mixin LlqOptions llq;

  @Option(
      names = "--check-config",
      description = "Validate the configuration and exit (0: valid, 2: not)")
  boolean checkConfig;

  @Override
  public Integer call() throws Exception {
    ServerConfig base = serve.toConfig(db.domain(), db.databaseConfig());
    LlqConfig llqConfig = llq.toConfig();
    if (checkConfig) {
      System.out.println(
          "configuration ok: domain "
              + base.zones().domain()
              + ", server "
              + base.zones().serverName());
      return 0;
    }
    ServerMain server = new ServerMain(base, llqConfig);
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("membersdns-shutdown").unstarted(server::close));
    try {
      server.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    server.awaitStop();
    return 0;
  }
}
