package net.membersdns.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardTest {
  @Test
  void everySpellingOfAVariableIsSubstituted() {
    Map<String, String> v = Map.of("instance", "a:9153", "__rate_interval", "1m");
    assertThat(
            Dashboard.substitute(
                "rate(x{instance=~\"$instance\"}[$__rate_interval]) + y{i=\"${instance}\"}"
                    + " + z{i=\"${instance:regex}\"} + w{i=\"[[instance]]\"}",
                v::get))
        .isEqualTo(
            "rate(x{instance=~\"a:9153\"}[1m]) + y{i=\"a:9153\"} + z{i=\"a:9153\"}"
                + " + w{i=\"a:9153\"}");
  }

  @Test
  void theDashboardHasExpressionsToCheck() throws Exception {
    Dashboard d = Dashboard.read();
    assertThat(d.targets).isNotEmpty().allMatch(t -> !t.expr().isBlank());
  }
}
