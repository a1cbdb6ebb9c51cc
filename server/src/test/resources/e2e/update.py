#!/usr/bin/python3
"""Sends one TSIG-signed (or unsigned) RFC 2136 UPDATE with dnspython and prints the outcome.

Used by the end-to-end tests as an independent client (dnspython 2.3, Debian's python3-dnspython).
Prints one line of JSON: {"rcode": "NOERROR", "tsig_error": null, "lease": [3600], "signed": true}
or, when dnspython refused the reply's TSIG (BADKEY/BADSIG/BADTIME answers), the error it raised.

  update.py --server 127.0.0.1 --port 5300 --transport udp|tcp|tls --zone alice.members.example.
            [--key ALG:NAME:SECRET] [--lease 7200] [--key-lease N] [--time-offset -1000]
            [--add 'NAME TTL TYPE RDATA']... [--replace ...]... [--delete 'NAME [TYPE [RDATA]]']...
            [--absent NAME]... [--present NAME]...
"""
import argparse
import json
import socket
import ssl
import struct
import sys
import time

import dns.edns
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.tsig
import dns.update

ALGORITHMS = {
    "hmac-md5": dns.tsig.HMAC_MD5,
    "hmac-sha1": dns.tsig.HMAC_SHA1,
    "hmac-sha256": dns.tsig.HMAC_SHA256,
    "hmac-sha512": dns.tsig.HMAC_SHA512,
}


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--server", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--transport", choices=["udp", "tcp", "tls"], default="udp")
    p.add_argument("--zone", required=True)
    p.add_argument("--key")
    p.add_argument("--lease", type=int)
    p.add_argument("--key-lease", type=int)
    p.add_argument("--time-offset", type=int, default=0)
    p.add_argument("--add", action="append", default=[])
    p.add_argument("--replace", action="append", default=[])
    p.add_argument("--delete", action="append", default=[])
    p.add_argument("--absent", action="append", default=[])
    p.add_argument("--present", action="append", default=[])
    p.add_argument("--timeout", type=float, default=5)
    return p.parse_args()


def main():
    a = parse_args()
    u = dns.update.UpdateMessage(a.zone)
    for name in a.absent:
        u.absent(name)
    for name in a.present:
        u.present(name)
    for spec in a.delete:
        f = spec.split(None, 2)
        u.delete(*f)
    for spec in a.replace:
        name, ttl, rtype, rdata = spec.split(None, 3)
        u.replace(name, int(ttl), rtype, rdata)
    for spec in a.add:
        name, ttl, rtype, rdata = spec.split(None, 3)
        u.add(name, int(ttl), rtype, rdata)
    if a.lease is not None:
        data = struct.pack(">I", a.lease)
        if a.key_lease is not None:
            data += struct.pack(">I", a.key_lease)
        u.use_edns(0, 0, 1440, options=[dns.edns.GenericOption(2, data)])
    key = None
    if a.key:
        alg, name, secret = a.key.split(":", 2)
        key = dns.tsig.Key(name, secret, ALGORITHMS[alg])
        u.use_tsig(key, fudge=300)
        if a.time_offset:
            # dnspython signs at to_wire() time with time.time(); shift the clock it reads.
            real = time.time
            time.time = lambda: real() + a.time_offset
    out = {"rcode": None, "tsig_error": None, "lease": None, "signed": False, "error": None}
    try:
        if a.transport == "udp":
            r = dns.query.udp(u, a.server, port=a.port, timeout=a.timeout)
        elif a.transport == "tcp":
            r = dns.query.tcp(u, a.server, port=a.port, timeout=a.timeout)
        else:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            r = dns.query.tls(u, a.server, port=a.port, timeout=a.timeout, ssl_context=ctx)
        out["rcode"] = dns.rcode.to_text(r.rcode())
        out["signed"] = r.had_tsig
        if r.had_tsig and r.tsig_error:
            out["tsig_error"] = dns.rcode.to_text(r.tsig_error)
        for o in r.options:
            if o.otype == 2:
                raw = o.to_wire() if hasattr(o, "to_wire") else o.data
                out["lease"] = list(struct.unpack(">" + "I" * (len(raw) // 4), raw))
    except dns.tsig.PeerBadKey:
        out["rcode"], out["tsig_error"] = "NOTAUTH", "BADKEY"
    except dns.tsig.PeerBadSignature:
        out["rcode"], out["tsig_error"] = "NOTAUTH", "BADSIG"
    except dns.tsig.PeerBadTime:
        out["rcode"], out["tsig_error"] = "NOTAUTH", "BADTIME"
    except dns.tsig.PeerBadTruncation:
        out["rcode"], out["tsig_error"] = "NOTAUTH", "BADTRUNC"
    except Exception as e:  # noqa: BLE001 - report, let the test decide
        out["error"] = type(e).__name__ + ": " + str(e)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
