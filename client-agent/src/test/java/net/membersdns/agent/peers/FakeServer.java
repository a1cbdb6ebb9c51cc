package net.membersdns.agent.peers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import net.membersdns.agent.dns.DnsRequester;
import net.membersdns.agent.dns.Received;
import net.membersdns.agent.dns.Reply;
import net.membersdns.agent.dns.RequestSigner;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.edns.OptionResult;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A scripted server for the LLQ client and peer watch tests: records every request, answers with
 * what the test's function says (completing at once on the caller's thread), or leaves the answer
 * pending for the test to complete.
 */
final class FakeServer implements DnsRequester {
  final List<Message> requests = new ArrayList<>();
  final List<CompletableFuture<Reply>> pending = new ArrayList<>();
  Function<Message, Message> answer = m -> null;

  /** What the signature of every answer checks as ({@code BAD}: a forged or unsigned answer). */
  RequestSigner.Check check = RequestSigner.Check.VERIFIED;

  @Override
  public CompletableFuture<Reply> request(Message request) {
    requests.add(request);
    Message response = answer.apply(request);
    if (response == null) {
      CompletableFuture<Reply> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }
    return CompletableFuture.completedFuture(
        new Reply(new Received(response, response.toWire()), check));
  }

  static Reply verified(Message response) {
    return new Reply(new Received(response, response.toWire()), RequestSigner.Check.VERIFIED);
  }

  /** The LLQ option of request {@code m}. */
  static LlqOption llq(Message m) {
    return ((OptionResult.Present<LlqOption>) EdnsOptions.llq(m).get(0)).option();
  }

  /** A response to {@code request} carrying {@code option} (and rcode NOERROR). */
  static Message llqResponse(Message request, LlqOption option) {
    Message r = new Message(request.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    r.getHeader().setRcode(Rcode.NOERROR);
    r.addRecord(request.getQuestion(), Section.QUESTION);
    r.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(option.toOption())), Section.ADDITIONAL);
    return r;
  }

  /** The LLQ-ID the fake grants for the i-th question it sees. */
  static long id(int i) {
    return 0x1000 + i;
  }

  /** Answers every setup and refresh with NO-ERROR, lease {@code lease}, IDs by arrival order. */
  FakeServer grantingLease(long lease) {
    List<org.xbill.DNS.Record> seen = new ArrayList<>();
    answer =
        m -> {
          LlqOption o = llq(m);
          if (!seen.contains(m.getQuestion())) {
            seen.add(m.getQuestion());
          }
          long id = o.opcode() == LlqOption.SETUP ? id(seen.indexOf(m.getQuestion())) : o.id();
          return llqResponse(
              m, new LlqOption(1, o.opcode(), LlqOption.NO_ERROR, id, o.lease() == 0 ? 0 : lease));
        };
    return this;
  }

  /** Fails every request in flight, as a dropped connection does. */
  void dropConnection() {
    for (CompletableFuture<Reply> f : pending) {
      f.completeExceptionally(new IOException("connection closed"));
    }
    pending.clear();
  }

  /** An event for LLQ {@code id}, as the server pushes it. */
  static Received event(long id) {
    Message m = new Message(0x9e3f);
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(
        new OPTRecord(
            1232, 0, 0, 0, List.of(new LlqOption(1, LlqOption.EVENT, 0, id, 3000).toOption())),
        Section.ADDITIONAL);
    return new Received(m, m.toWire());
  }
}
