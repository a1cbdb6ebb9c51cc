package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.membersdns.agent.netwatch.Ipv4;
import net.membersdns.agent.netwatch.NetworkState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file round trip and the crash-recovery rule. */
class MappingLedgerTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final MappingLedger.Entry PCP_ON_A =
      new MappingLedger.Entry(
          Ipv4.parse("192.168.1.1"),
          Ipv4.parse("192.168.1.2"),
          MappingProtocol.PCP,
          TransportProtocol.UDP,
          51820,
          51821,
          Optional.of(PcpNonce.ofHex("0102030405060708090a0b0c")),
          NOW.plusSeconds(7200));
  static final MappingLedger.Entry NAT_PMP_ON_B =
      new MappingLedger.Entry(
          Ipv4.parse("192.168.2.1"),
          Ipv4.parse("192.168.2.3"),
          MappingProtocol.NAT_PMP,
          TransportProtocol.UDP,
          51820,
          51820,
          Optional.empty(),
          NOW.plusSeconds(60));

  @TempDir Path dir;

  @Test
  void roundTripsEveryField() {
    MappingLedger ledger = new MappingLedger(dir);
    ledger.write(List.of(PCP_ON_A, NAT_PMP_ON_B));
    assertThat(new MappingLedger(dir).read()).containsExactly(PCP_ON_A, NAT_PMP_ON_B);
  }

  @Test
  void aMissingFileIsAnEmptyLedger() {
    assertThat(new MappingLedger(dir.resolve("nowhere")).read()).isEmpty();
  }

  @Test
  void writesAtomicallyLeavingNoTemporaryFiles() throws IOException {
    MappingLedger ledger = new MappingLedger(dir);
    ledger.write(List.of(PCP_ON_A));
    ledger.write(List.of());
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly(MappingLedger.FILE_NAME);
    }
    assertThat(ledger.read()).isEmpty();
  }

  @Test
  void aCorruptFileReadsAsEmptyAndABadEntryIsSkipped() throws IOException {
    Files.writeString(dir.resolve(MappingLedger.FILE_NAME), "{not json");
    assertThat(new MappingLedger(dir).read()).isEmpty();
    MappingLedger ledger = new MappingLedger(dir);
    ledger.write(List.of(PCP_ON_A, NAT_PMP_ON_B));
    String text = Files.readString(ledger.file());
    Files.writeString(ledger.file(), text.replace("\"192.168.2.1\"", "\"192.168.2\""));
    assertThat(ledger.read()).containsExactly(PCP_ON_A);
  }

  @Test
  void aPcpEntryWithoutItsNonceIsUselessAndSkipped() throws IOException {
    MappingLedger ledger = new MappingLedger(dir);
    ledger.write(List.of(PCP_ON_A));
    String text = Files.readString(ledger.file());
    Files.writeString(ledger.file(), text.replaceAll("\"nonce\" : \"[0-9a-f]+\",", ""));
    assertThat(ledger.read()).isEmpty();
  }

  @Test
  void recoveryReleasesWhatIsOnTheCurrentGatewayFromTheSameAddress() {
    NetworkState onA =
        NetworkState.of(Ipv4.parse("192.168.1.1"), "eth0", Ipv4.parse("192.168.1.2"));
    MappingLedger.Recovery r = MappingLedger.recover(List.of(PCP_ON_A, NAT_PMP_ON_B), onA, NOW);
    assertThat(r.release()).containsExactly(PCP_ON_A);
    assertThat(r.keep()).containsExactly(NAT_PMP_ON_B);
  }

  @Test
  void recoveryKeepsWhatCannotBeReachedAndForgetsWhatExpired() {
    NetworkState sameGatewayOtherAddress =
        NetworkState.of(Ipv4.parse("192.168.1.1"), "eth0", Ipv4.parse("192.168.1.7"));
    MappingLedger.Recovery r =
        MappingLedger.recover(
            List.of(PCP_ON_A, NAT_PMP_ON_B), sameGatewayOtherAddress, NOW.plusSeconds(60));
    assertThat(r.release()).isEmpty();
    assertThat(r.keep()).containsExactly(PCP_ON_A);
    assertThat(MappingLedger.recover(List.of(PCP_ON_A), NetworkState.none(), NOW).keep())
        .containsExactly(PCP_ON_A);
  }
}
