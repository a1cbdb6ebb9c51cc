package net.membersdns.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Transactions#thenReset}: the reset runs after the work whatever happens, and a reset that
 * fails on a connection the work's failure broke never hides that failure (its SQLSTATE is what
 * DatabaseHealth reads; TransactionsIT shows it on a real connection).
 */
class TransactionsTest {
  @Test
  void theResetRunsAfterWorkThatSucceeded() throws Exception {
    List<String> steps = new ArrayList<>();
    String out =
        Transactions.thenReset(
            () -> {
              steps.add("work");
              return "rows";
            },
            () -> steps.add("reset"));
    assertThat(out).isEqualTo("rows");
    assertThat(steps).containsExactly("work", "reset");
  }

  @Test
  void aFailedResetDoesNotHideTheWorksFailure() {
    SQLException lost = new SQLException("I/O error", "08006");
    assertThatThrownBy(() ->
            Transactions.thenReset(
                () -> {
                  throw lost;
                },
                () -> {
                  throw new SQLException("Connection is closed"); // Hikari's, no SQLSTATE
                }))
        .isSameAs(lost)
        .satisfies(e ->
            assertThat(e.getSuppressed())
                .singleElement()
                .extracting(Throwable::getMessage)
                .isEqualTo("Connection is closed"));
  }

  @Test
  void aFailedResetAfterSuccessIsTheFailure() {
    assertThatThrownBy(() ->
            Transactions.thenReset(
                () -> "rows",
                () -> {
                  throw new SQLException("reset failed", "08006");
                }))
        .isInstanceOf(SQLException.class)
        .hasMessage("reset failed");
  }
}
