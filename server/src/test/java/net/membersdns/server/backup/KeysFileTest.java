package net.membersdns.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class KeysFileTest {
  private static final Name DOMAIN = Name.fromConstantString("members.example.");
  private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void aLineFormatsBackToItself() {
    String line =
        "key: hmac-md5:mbp.alice.key.members.example.:"
            + SECRET
            + " member=alice host=mbp grant=update:host:alice.members.example.:mbp"
            + " grant=read:zone:alice.members.example.";
    KeysFile.Entry e = KeysFile.parse(line, DOMAIN);
    assertThat(e.member()).isEqualTo("alice");
    assertThat(e.host()).isEqualTo("mbp");
    assertThat(e.grants())
        .extracting(Object::toString)
        .containsExactly("update alice.members.example. (host mbp)", "read alice.members.example.");
    assertThat(KeysFile.format(e)).isEqualTo(line);
  }

  @Test
  void aBareMemberKeyLineAsImportUsedToWriteItIsThatMember() {
    KeysFile.Entry e =
        KeysFile.parse("key: hmac-sha256:bob.key.members.example.:" + SECRET, DOMAIN);
    assertThat(e.member()).isEqualTo("bob");
    assertThat(e.grants())
        .extracting(Object::toString)
        .containsExactly("update bob.members.example.", "read bob.members.example.");
    assertThat(KeysFile.parse("  # a comment", DOMAIN)).isNull();
  }

  @Test
  void refusalsNameTheKeyAndLineButNeverTheSecret() {
    assertThatThrownBy(() -> KeysFile.parse("key: hmac-sha256:ops.:" + SECRET, DOMAIN))
        .hasMessageContaining("ops.: neither member= nor grant=")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> KeysFile.parse("hmac-sha256:ops.:" + SECRET + " colour=blue", DOMAIN))
        .hasMessageContaining("unknown attribute 'colour=blue'");
    assertThatThrownBy(() -> KeysFile.parse("hmac-sha256:ops.:" + SECRET + " grant=update", DOMAIN))
        .hasMessageContaining("PERMISSION:SCOPE:ZONE[:HOST]");
  }
}
