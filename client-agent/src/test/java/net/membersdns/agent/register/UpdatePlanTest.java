package net.membersdns.agent.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Which UPDATE a given registered state and wanted state produce (RFC 2136 §2.5 classes). */
class UpdatePlanTest {
  static final Name D = Name.fromConstantString("alice.members.example.");

  static HostRegistration reg(String pub, int port, String lan) throws Exception {
    return new HostRegistration(
        D,
        "mbp",
        (Inet6Address) InetAddress.getByName("fd12:3456:789a::1"),
        Optional.ofNullable(pub).map(UpdatePlanTest::v4),
        port,
        Optional.ofNullable(lan).map(UpdatePlanTest::v4),
        51820,
        Optional.of("TK7K2pRk8Yl1Vz6B3bD9oQ9dWnGm8yqJk0q1M7y5hH0="),
        Optional.empty(),
        List.of("model=Linux"));
  }

  static Inet4Address v4(String s) {
    try {
      return (Inet4Address) InetAddress.getByName(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * The update section as presentation lines, class shown (IN add, ANY delete, NONE delete-one).
   */
  static List<String> lines(Message m) {
    return m.getSection(Section.UPDATE).stream().map(Record::toString).toList();
  }

  @Test
  void behindANatAHostPublishesBothEndpointsKeyBrowseAndDeviceInfo() throws Exception {
    assertThat(reg("198.18.1.2", 51821, "192.168.1.2").records().records())
        .extracting(Record::toString)
        .containsExactlyInAnyOrder(
            "mbp.alice.members.example.\t120\tIN\tAAAA\tfd12:3456:789a:0:0:0:0:1",
            "_autotunnel._udp.mbp.alice.members.example.\t120\tIN\tSRV\t0 0 51821 _autotunnel.mbp.alice.members.example.",
            "_autotunnel._udp.mbp.alice.members.example.\t120\tIN\tSRV\t10 0 51820 _lan._autotunnel.mbp.alice.members.example.",
            "_autotunnel.mbp.alice.members.example.\t120\tIN\tA\t198.18.1.2",
            "_autotunnel.mbp.alice.members.example.\t120\tIN\tTXT\twg=TK7K2pRk8Yl1Vz6B3bD9oQ9dWnGm8yqJk0q1M7y5hH0=",
            "_lan._autotunnel.mbp.alice.members.example.\t120\tIN\tA\t192.168.1.2",
            "_autotunnel._udp.alice.members.example.\t120\tIN\tPTR\t_autotunnel._udp.mbp.alice.members.example.",
            "mbp._device-info._tcp.alice.members.example.\t4500\tIN\tTXT\tmodel=Linux");
  }

  @Test
  void aPublicHostHasNoLanEndpoint() throws Exception {
    assertThat(reg("198.18.3.2", 51820, "198.18.3.2").records().records())
        .extracting(Record::toString)
        .noneMatch(s -> s.contains("_lan."));
  }

  @Test
  void firstRegistrationReplacesEveryOwnedRRsetInOneUpdateWithTheLease() throws Exception {
    Message m =
        UpdatePlan.build(
            D, "mbp", Optional.empty(), reg("198.18.1.2", 51820, "192.168.1.2").records(), 7200);
    List<String> l = lines(m);
    // each owned RRset: delete (class ANY) then add, so it is never absent or duplicated
    int del = l.indexOf("_autotunnel.mbp.alice.members.example.\t0\tANY\tA");
    int add = l.indexOf("_autotunnel.mbp.alice.members.example.\t120\tIN\tA\t198.18.1.2");
    assertThat(del).isGreaterThanOrEqualTo(0).isLessThan(add);
    // the shared browse RRset is never deleted as a whole: only our PTR is added
    assertThat(l).noneMatch(s -> s.startsWith("_autotunnel._udp.alice.members.example.\t0\tANY"));
    assertThat(l)
        .contains(
            "_autotunnel._udp.alice.members.example.\t120\tIN\tPTR\t_autotunnel._udp.mbp.alice.members.example.");
    assertThat(EdnsOptions.updateLease(m))
        .isEqualTo(OptionResult.present(UpdateLeaseOption.of(7200)));
    assertThat(m.getQuestion().getName()).isEqualTo(D);
  }

  @Test
  void aMoveReplacesTheChangedRRsetsAndDropsWhatIsNoLongerWanted() throws Exception {
    RecordSet before = reg("198.18.1.2", 51820, "192.168.1.2").records();
    RecordSet after = reg("198.18.3.2", 51820, null).records(); // now public: no LAN endpoint
    List<String> l = lines(UpdatePlan.build(D, "mbp", Optional.of(before), after, 3600));
    assertThat(l).contains("_lan._autotunnel.mbp.alice.members.example.\t0\tANY\tA");
    assertThat(l).noneMatch(s -> s.startsWith("_lan._autotunnel.mbp.alice.members.example.\t120"));
    assertThat(l).contains("_autotunnel.mbp.alice.members.example.\t120\tIN\tA\t198.18.3.2");
  }

  @Test
  void withdrawalDeletesEveryOwnedRRsetAndOnlyOurBrowsePtr() throws Exception {
    RecordSet before = reg("198.18.1.2", 51820, "192.168.1.2").records();
    List<String> l = lines(UpdatePlan.build(D, "mbp", Optional.of(before), RecordSet.EMPTY, 0));
    assertThat(l).allMatch(s -> s.contains("\tANY\t") || s.contains("\tNONE\t"));
    assertThat(l)
        .contains(
            "_autotunnel._udp.alice.members.example.\t0\tNONE\tPTR\t_autotunnel._udp.mbp.alice.members.example.",
            "mbp.alice.members.example.\t0\tANY\tAAAA",
            "mbp._device-info._tcp.alice.members.example.\t0\tANY\tTXT");
  }

  @Test
  void withdrawalAfterARestartClearsEveryNameTheHostMayOwn() {
    List<String> l = lines(UpdatePlan.build(D, "mbp", Optional.empty(), RecordSet.EMPTY, 0));
    assertThat(l).hasSize(HostRegistration.managedKeys(D, "mbp").size() + 1);
  }

  @Test
  void aRefreshResendsTheSameRecords() throws Exception {
    RecordSet same = reg("198.18.1.2", 51820, "192.168.1.2").records();
    List<String> l = lines(UpdatePlan.build(D, "mbp", Optional.of(same), same, 7200));
    assertThat(l.stream().filter(s -> s.contains("\tIN\t")).count())
        .isEqualTo(same.records().size());
  }
}
