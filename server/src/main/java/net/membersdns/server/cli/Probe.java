package net.membersdns.server.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Container health check without curl in the image: {@code java -cp membersdns-server.jar
 * net.membersdns.server.cli.Probe http://127.0.0.1:9153/ready} exits 0 on HTTP 200, else 1.
 */
public final class Probe {
  private Probe() {}

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:9153/ready";
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<Void> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
      System.exit(r.statusCode() == 200 ? 0 : 1);
    } catch (Exception e) {
      System.err.println("probe " + url + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
