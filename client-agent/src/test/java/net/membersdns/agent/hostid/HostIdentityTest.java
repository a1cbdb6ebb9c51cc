package net.membersdns.agent.hostid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdentityTest {
  @TempDir Path tmp;

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void madeOnceAndKeptAcrossRestarts() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("state"));
    HostIdentity first = HostIdentity.loadOrCreate(dir, clock, new SecureRandom());
    HostIdentity again =
        HostIdentity.loadOrCreate(
            StateDir.open(tmp.resolve("state")), Clock.systemUTC(), new SecureRandom());
    assertThat(again).isEqualTo(first);
    assertThat(UniqueLocalAddress.isUla(first.ula())).isTrue();
    assertThat(first.created()).isEqualTo(clock.instant());
  }

  @Test
  void twoHostsGetDifferentAddresses() throws Exception {
    var a = HostIdentity.loadOrCreate(StateDir.open(tmp.resolve("a")), clock, new SecureRandom());
    var b = HostIdentity.loadOrCreate(StateDir.open(tmp.resolve("b")), clock, new SecureRandom());
    assertThat(a.ula()).isNotEqualTo(b.ula());
  }

  @Test
  void theStateDirectoryIsPrivate() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("new/state"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path())))
        .isEqualTo("rwx------");
  }

  @Test
  void aDamagedFileIsAnErrorNotANewIdentity() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("state"));
    Files.writeString(dir.path().resolve(HostIdentity.FILE), "ula=10.0.0.1\n");
    assertThatThrownBy(() -> HostIdentity.loadOrCreate(dir, clock, new SecureRandom()))
        .hasMessageContaining("not a unique local address");
  }

  @Test
  void atomicWritesReplaceWholeFilesWithTheirMode() throws Exception {
    StateDir dir = StateDir.open(tmp.resolve("state"));
    dir.writeAtomically("k", "one".getBytes(), true);
    dir.writeAtomically("k", "two".getBytes(), true);
    assertThat(Files.readString(dir.path().resolve("k"))).isEqualTo("two");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path().resolve("k"))))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir.path())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("k");
    }
  }
}
