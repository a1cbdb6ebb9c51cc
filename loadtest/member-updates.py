#!/usr/bin/env python3
"""Rewrite the peers harness's update file (dnsperf -u format, every message for the flat zone
members.example) into the same messages addressed to the member zones membersdns serves: the
zone line becomes userN.members.example and the owner names are made relative to it. The work per
update (delete + add of an A and an SRV, TSIG-signed) stays the same.

usage: member-updates.py IN OUT [DOMAIN]
"""
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    domain = sys.argv[3] if len(sys.argv) > 3 else "members.example"
    out, block = [], []

    def flush():
        if not block:
            return
        lines = block[1:]
        member = None
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[0] in ("add", "delete"):
                member = parts[1].split(".")[-1]
                break
        if member is None:
            raise SystemExit("message without a member name: %r" % block)
        zone = "%s.%s" % (member, domain)
        out.append(zone)
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[0] in ("add", "delete"):
                labels = parts[1].split(".")
                if labels[-1] != member:
                    raise SystemExit("owner %s is not in %s" % (parts[1], zone))
                parts[1] = ".".join(labels[:-1]) or "@"
                line = " ".join(parts)
            out.append(line)
        block.clear()

    with open(src) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line == "send":
                flush()
                out.append("send")
            elif line.strip():
                block.append(line)
    flush()
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
