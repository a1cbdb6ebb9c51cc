package net.membersdns.protocol.edns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * Finds the typed options of this package in a parsed {@link Message}. Every option of the OPT RR
 * is scanned, whatever its position (kdig puts PADDING before a user option; RFC 6891 §6.1.2 sets
 * no order); options with other codes are ignored (RFC 6891 §6.1.2).
 */
public final class EdnsOptions {
  private EdnsOptions() {}

  /**
   * The Update Lease option of {@code message}. More than one UL option is malformed: the lease of
   * the update would be ambiguous.
   */
  public static OptionResult<UpdateLeaseOption> updateLease(Message message) {
    List<EDNSOption> found = options(message, UpdateLeaseOption.CODE);
    if (found.isEmpty()) {
      return OptionResult.absent();
    }
    if (found.size() > 1) {
      return OptionResult.malformed(found.size() + " update lease options");
    }
    return UpdateLeaseOption.fromOption(found.get(0));
  }

  /**
   * Every LLQ option of {@code message}, in order: the i-th belongs to the i-th question (RFC 8764
   * §5; dnsextd pairs them by index). Empty when there is none.
   */
  public static List<OptionResult<LlqOption>> llq(Message message) {
    List<OptionResult<LlqOption>> out = new ArrayList<>();
    for (EDNSOption option : options(message, LlqOption.CODE)) {
      out.add(LlqOption.fromOption(option));
    }
    return out;
  }

  /** The options with {@code code} in the message's OPT RR, in wire order; empty without OPT. */
  public static List<EDNSOption> options(Message message, int code) {
    OPTRecord opt = message.getOPT();
    if (opt == null) {
      return List.of();
    }
    return opt.getOptions(code);
  }

  /**
   * OPTION-DATA of any dnsjava option. dnsjava keeps the data accessor package-private, so this
   * strips the 4-byte code and length from the public wire form.
   */
  public static byte[] data(EDNSOption option) {
    byte[] wire = option.toWire();
    return Arrays.copyOfRange(wire, 4, wire.length);
  }
}
