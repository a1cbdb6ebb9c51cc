package net.membersdns.server.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import net.membersdns.server.ServerMain;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.lifecycle.Signals;
import net.membersdns.server.lifecycle.StopRequest;
import net.membersdns.server.llq.LlqConfig;
import net.membersdns.server.logging.LogSettings;
import net.membersdns.server.logging.LogbackConfigurator;
import net.membersdns.server.pipeline.RrlConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code membersdns serve}: runs the server in the foreground. SIGTERM or SIGINT drains ({@code
 * --drain}) and stops it, exit 0; SIGHUP reloads the TLS certificate and key.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the members DNS service (UDP/TCP, DNS-over-TLS, metrics).")
public final class ServeCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db;

  @Mixin ServeOptions serve;

  @Mixin LlqOptions llq;

  @Mixin RrlOptions rrl;

  @Mixin LogOptions logs;

  @Option(
      names = "--drain",
      defaultValue = "${env:MEMBERSDNS_DRAIN:-5}",
      description =
          "seconds to keep answering after SIGTERM while /ready answers 503, so load balancers take"
              + " this process out first; a second SIGTERM ends it early (env MEMBERSDNS_DRAIN;"
              + " default: ${DEFAULT-VALUE})")
  double drainSeconds;

  @Option(
      names = "--check-config",
      description = "Validate the configuration and exit (0: valid, 2: not)")
  boolean checkConfig;

  @Override
  public Integer call() throws Exception {
    ServerConfig base = serve.toConfig(db.domain(), db.databaseConfig());
    LlqConfig llqConfig = llq.toConfig();
    RrlConfig rrlConfig = rrl.toConfig();
    LogSettings logSettings = logs.settings();
    if (!(drainSeconds >= 0 && drainSeconds <= 3600)) {
      throw db.usage("--drain: must be between 0 and 3600 seconds");
    }
    if (checkConfig) {
      System.out.println(
          "configuration ok: domain "
              + base.zones().domain()
              + ", server "
              + base.zones().serverName());
      return 0;
    }
    LogbackConfigurator.apply(logSettings);
    ServerMain server = new ServerMain(base, llqConfig, rrlConfig);
    StopRequest stop = new StopRequest();
    Signals.install(stop::request, server::reloadTls);
    // Other ways out of the JVM (System.exit elsewhere, an uncaught error) still stop in order.
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("membersdns-shutdown").unstarted(server::close));
    try {
      server.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    stop.awaitStop();
    server.drain(Duration.ofMillis(Math.round(drainSeconds * 1000)), stop);
    server.close();
    return 0;
  }
}
