#!/usr/bin/python3
"""Captures a TSIG-signed RFC 2136 UPDATE made by dnspython, and sends captured bytes again.

Used by the replay end-to-end tests as the attacker's (and the retrying client's) tool: what it
sends is exactly the bytes dnspython signed, optionally with another message ID (RFC 8945 §4.3.1:
the MAC digests the Original ID, not the header's, so the signature still verifies).

  replay.py capture --zone Z --key ALG:NAME:SECRET [--add 'NAME TTL TYPE RDATA']... [--delete ...]
      prints {"wire": HEX, "id": N}
  replay.py send --port P --transport udp|tcp --key ALG:NAME:SECRET --wire HEX [--id N]
      prints {"rcode": "REFUSED", "ede": [[0, "text"]], "verified": true,
              "id": N, "lease": [3600], "error": null}
"""
import argparse
import json
import socket
import struct
import sys

import dns.edns
import dns.message
import dns.rcode
import dns.tsig
import dns.tsigkeyring
import dns.update

ALGORITHMS = {
    "hmac-md5": dns.tsig.HMAC_MD5,
    "hmac-sha256": dns.tsig.HMAC_SHA256,
    "hmac-sha512": dns.tsig.HMAC_SHA512,
}


def key_of(line):
    alg, name, secret = line.split(":", 2)
    return dns.tsig.Key(name, secret, ALGORITHMS[alg])


def capture(a):
    u = dns.update.UpdateMessage(a.zone)
    for spec in a.delete:
        u.delete(*spec.split(None, 2))
    for spec in a.add:
        name, ttl, rtype, rdata = spec.split(None, 3)
        u.add(name, int(ttl), rtype, rdata)
    u.use_edns(0, 0, 1232, options=[dns.edns.GenericOption(2, struct.pack(">I", 3600))])
    u.use_tsig(key_of(a.key), fudge=300)
    wire = u.to_wire()
    print(json.dumps({"wire": wire.hex(), "id": u.id}))


def exchange(wire, a):
    if a.transport == "udp":
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(a.timeout)
            s.sendto(wire, ("127.0.0.1", a.port))
            return s.recvfrom(65535)[0]
    with socket.create_connection(("127.0.0.1", a.port), timeout=a.timeout) as s:
        s.sendall(struct.pack(">H", len(wire)) + wire)
        head = b""
        while len(head) < 2:
            head += s.recv(2 - len(head))
        (n,) = struct.unpack(">H", head)
        body = b""
        while len(body) < n:
            chunk = s.recv(n - len(body))
            if not chunk:
                raise EOFError("connection closed")
            body += chunk
        return body


def send(a):
    key = key_of(a.key)
    wire = bytearray(bytes.fromhex(a.wire))
    # The request MAC the response's signature covers (RFC 8945 §5.3.1): parse the capture as sent.
    request = dns.message.from_wire(bytes(wire), keyring={key.name: key})
    if a.id is not None:
        struct.pack_into(">H", wire, 0, a.id)
    out = {"rcode": None, "ede": [], "verified": False, "id": None,
           "lease": None, "error": None}
    try:
        raw = exchange(bytes(wire), a)
        (out["id"],) = struct.unpack(">H", raw[:2])
        # Raises (BadSignature, PeerBadKey, ...) unless the reply's TSIG verifies.
        r = dns.message.from_wire(raw, keyring={key.name: key}, request_mac=request.mac)
        out["verified"] = r.had_tsig
        out["rcode"] = dns.rcode.to_text(r.rcode())
        for o in r.options:
            if o.otype == dns.edns.OptionType.EDE:
                out["ede"].append([int(o.code), o.text])
            elif o.otype == 2:
                out["lease"] = list(struct.unpack(">I", o.to_wire()[:4]))
    except Exception as e:  # noqa: BLE001 - report, let the test decide
        out["error"] = type(e).__name__ + ": " + str(e)
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--zone", required=True)
    c.add_argument("--key", required=True)
    c.add_argument("--add", action="append", default=[])
    c.add_argument("--delete", action="append", default=[])
    s = sub.add_parser("send")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--transport", choices=["udp", "tcp"], default="udp")
    s.add_argument("--key", required=True)
    s.add_argument("--wire", required=True)
    s.add_argument("--id", type=int)
    s.add_argument("--timeout", type=float, default=5)
    a = p.parse_args()
    capture(a) if a.command == "capture" else send(a)


if __name__ == "__main__":
    sys.exit(main())
