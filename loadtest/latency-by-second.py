#!/usr/bin/env python3
"""Percentiles of a fixed-rate `dnsperf -v` run, overall and per second of the run.

dnsperf -v prints one line per answered query, in the order they were answered; at a fixed rate
(-Q) the N-th block of RATE lines is the N-th second. The first second after a restart is where a
cold server shows (docs/benchmarks.md, "Start-up, memory and restarts").

    loadtest/latency-by-second.py RESULTS/raw/latency_t1_membersdns.txt [--rate 5000]
"""
import argparse
import re


def pct(sorted_ms, q):
    n = len(sorted_ms)
    return sorted_ms[min(n - 1, int(round(q / 100.0 * n + 0.5)) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--rate", type=int, default=5000)
    a = ap.parse_args()
    text = open(a.file).read()
    ms = [float(x) * 1e3 for x in re.findall(r"^> [A-Z]+ \S+ \S+ ([\d.]+)$", text, re.M)]
    if not ms:
        raise SystemExit("no per-query lines (was dnsperf run with -v?)")
    s = sorted(ms)
    print("all: n %d  p50 %.3f  p99 %.2f  p99.9 %.2f  max %.1f ms" % (
        len(s), pct(s, 50), pct(s, 99), pct(s, 99.9), s[-1]))
    for i in range(0, len(ms), a.rate):
        b = sorted(ms[i:i + a.rate])
        print("second %d: p50 %.3f  p99 %.2f  max %.1f ms  over 5 ms: %d" % (
            i // a.rate, pct(b, 50), pct(b, 99), b[-1], sum(1 for x in b if x > 5)))


if __name__ == "__main__":
    main()
