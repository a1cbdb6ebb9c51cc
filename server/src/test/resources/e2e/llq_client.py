#!/usr/bin/python3
"""Independent LLQ client (RFC 8764) for the end-to-end tests, on python3-dnspython only.

Sets one LLQ up (UDP four-way, or TLS two-message), then prints every message it gets as a
JSON line on stdout and obeys commands read from stdin, one per line:

  ack on | ack off     acknowledge UDP events like mDNSResponder (default on)
  refresh LEASE        send a refresh (LEASE 0 = cancel) and print the answer
  quit

Output lines: {"step": "challenge"|"established"|"event"|"refresh"|"error", ...}.
Usage: llq_client.py udp|tls HOST PORT ALGORITHM:KEYNAME:SECRET QNAME QTYPE [LEASE]
(the key line membersdns member add and host add print, as nsupdate -y takes it)
"""
import json
import os
import select
import socket
import ssl
import struct
import sys

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.rdata
import dns.rdatatype
import dns.tsig

LLQ = 1


def llq_option(op, err, llq_id, lease):
    return dns.edns.GenericOption(LLQ, struct.pack('>HHH', 1, op, err) + llq_id + struct.pack('>I', lease))


def llq_of(msg):
    """(version, opcode, error, id bytes, lease) of the first LLQ option."""
    for o in msg.options:
        if o.otype == LLQ:
            data = o.data
            v, op, err = struct.unpack('>HHH', data[0:6])
            return v, op, err, data[6:14], struct.unpack('>I', data[14:18])[0]
    return None


def raw_answers(wire):
    """The answer RRs with their TTLs as sent. dnspython reads a TTL above 2^31-1 as 0 (RFC 2181
    §8), but 0xFFFFFFFF is LLQ's removal marker (RFC 8764 §6.2), so walk the wire here."""
    qd, an = struct.unpack('>HH', wire[4:8])
    pos = 12
    for _ in range(qd):
        _, used = dns.name.from_wire(wire, pos)
        pos += used + 4
    rrs = []
    for _ in range(an):
        name, used = dns.name.from_wire(wire, pos)
        pos += used
        rtype, rclass, ttl, rdlen = struct.unpack('>HHIH', wire[pos:pos + 10])
        pos += 10
        rd = dns.rdata.from_wire(rclass, rtype, wire, pos, rdlen)
        pos += rdlen
        rrs.append({'name': name.to_text(), 'rr': rd.to_text(), 'ttl': ttl})
    return rrs


def out(**kw):
    print(json.dumps(kw), flush=True)


class Client:
    def __init__(self, transport, host, port, key, qname, qtype):
        self.transport, self.server = transport, (host, port)
        alg, name, secret = key.split(':', 2)
        # hmac-md5's wire name is the historical hmac-md5.sig-alg.reg.int. (RFC 8945 §6).
        self.key = dns.tsig.Key(name, secret, dns.tsig.HMAC_MD5 if alg == 'hmac-md5' else alg)
        self.keyring = {dns.name.from_text(name): self.key}
        self.qname, self.qtype = qname, qtype
        self.ack = True
        self.buf = b''
        if transport == 'udp':
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind(('127.0.0.1', 0))
        else:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE  # the server's self-signed test certificate
            raw = socket.create_connection(self.server, timeout=10)
            self.sock = ctx.wrap_socket(raw, server_hostname='dns.members.example')
            self.sock.settimeout(None)

    def query(self, op, llq_id, lease, err=0, qid=None):
        q = dns.message.make_query(self.qname, self.qtype, use_edns=0, payload=1440,
                                   options=[llq_option(op, err, llq_id, lease)])
        if qid is not None:
            q.id = qid
        q.use_tsig(self.keyring, keyname=self.key.name, algorithm=self.key.algorithm)
        return q

    def send(self, wire, to=None):
        if self.transport == 'udp':
            self.sock.sendto(wire, to or self.server)
        else:
            self.sock.sendall(struct.pack('>H', len(wire)) + wire)

    def receive(self, timeout):
        """(wire, source) or None on timeout."""
        if self.transport == 'udp':
            r, _, _ = select.select([self.sock], [], [], timeout)
            return self.sock.recvfrom(65535) if r else None
        while True:
            if len(self.buf) >= 2:
                n = struct.unpack('>H', self.buf[:2])[0]
                if len(self.buf) >= 2 + n:
                    wire, self.buf = self.buf[2:2 + n], self.buf[2 + n:]
                    return wire, self.server
            if not self.sock.pending():
                r, _, _ = select.select([self.sock], [], [], timeout)
                if not r:
                    return None
            chunk = self.sock.recv(65535)
            if not chunk:
                raise EOFError('connection closed')
            self.buf += chunk

    def exchange(self, q):
        self.send(q.to_wire())
        got = self.receive(5)
        if got is None:
            raise TimeoutError('no answer')
        return dns.message.from_wire(got[0], keyring=self.keyring, request_mac=q.mac)

    def setup(self, lease):
        q = self.query(1, bytes(8), lease)
        r = self.exchange(q)
        v, op, err, llq_id, granted = llq_of(r)
        if self.transport == 'udp':
            out(step='challenge', rcode=r.rcode(), error=err, id=llq_id.hex(), lease=granted,
                answers=len(r.answer), signed=r.had_tsig)
            q = self.query(1, llq_id, granted, qid=q.id)
            r = self.exchange(q)
            v, op, err, llq_id, granted = llq_of(r)
        self.llq_id = llq_id
        out(step='established', rcode=r.rcode(), error=err, id=llq_id.hex(), lease=granted,
            answers=sorted(rr.to_text() for rrset in r.answer for rr in rrset), signed=r.had_tsig)

    def refresh(self, lease):
        r = self.exchange(self.query(2, self.llq_id, lease))
        v, op, err, llq_id, granted = llq_of(r)
        out(step='refresh', rcode=r.rcode(), opcode=op, error=err, id=llq_id.hex(), lease=granted,
            answers=len(r.answer))

    def on_message(self, wire, source):
        m = dns.message.from_wire(wire, keyring=self.keyring)  # raises if the TSIG is bad
        v, op, err, llq_id, lease = llq_of(m)
        changes = raw_answers(wire)
        out(step='event', dns_id=m.id, opcode=op, id=llq_id.hex(), lease=lease,
            changes=changes, signed=m.had_tsig, acked=self.ack and self.transport == 'udp')
        if self.ack and self.transport == 'udp':
            a = dns.message.Message(id=m.id)
            a.flags = dns.flags.QR | dns.flags.AA
            a.question = m.question
            a.use_edns(0, 0, 1440, options=[llq_option(3, 0, llq_id, lease)])
            self.send(a.to_wire(), source)

    def run(self):
        stdin = sys.stdin.fileno()
        while True:
            waiting = [self.sock, stdin]
            if self.transport == 'tls' and (self.sock.pending() or len(self.buf) >= 2):
                r = [self.sock]
            else:
                r, _, _ = select.select(waiting, [], [], 60)
            if stdin in r:
                line = sys.stdin.readline()
                if not line or line.strip() == 'quit':
                    return
                cmd = line.split()
                if cmd[0] == 'ack':
                    self.ack = cmd[1] == 'on'
                    out(step='ack', on=self.ack)
                elif cmd[0] == 'refresh':
                    self.refresh(int(cmd[1]))
            if self.sock in r:
                got = self.receive(0)
                if got is not None:
                    self.on_message(*got)


def main():
    transport, host, port, key, qname, qtype = sys.argv[1:7]
    lease = int(sys.argv[7]) if len(sys.argv) > 7 else 7200
    c = Client(transport, host, int(port), key, qname, qtype)
    try:
        c.setup(lease)
        c.run()
    except Exception as e:  # report, never hang the test
        out(step='error', error=repr(e))
        sys.exit(1)


if __name__ == '__main__':
    main()
