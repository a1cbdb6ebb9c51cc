package net.membersdns.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.membersdns.server.zone.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberNamesTest {
  @Test
  void lowerCasesValidNames() {
    assertThat(MemberNames.validate("Alice-2", MemberNames.DEFAULT_RESERVED)).isEqualTo("alice-2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-a",
        "a-",
        "a.b",
        "a_b",
        "ü",
        "x234567890123456789012345678901234567890123456789012345678901234"
      })
  void rejectsWhatIsNotOneLabel(String name) {
    assertThatThrownBy(() -> MemberNames.validate(name, MemberNames.DEFAULT_RESERVED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one DNS label");
  }

  @Test
  void rejectsReservedLabels() {
    assertThatThrownBy(() -> MemberNames.validate("DNS", MemberNames.DEFAULT_RESERVED))
        .hasMessage("member name 'dns' is reserved");
  }

  @Test
  void derivesZoneAndKeyNames() {
    var domain = Names.absolute("members.example.");
    assertThat(MemberNames.zone("bob", domain).toString()).isEqualTo("bob.members.example.");
    assertThat(MemberNames.keyName("bob", domain).toString()).isEqualTo("bob.key.members.example.");
  }
}
