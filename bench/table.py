#!/usr/bin/env python3
"""Prints a JMH JSON result as a table of ops/s, MB/s and ratios of dataenc to each baseline.

Benchmarks are named <op>_<impl> (op = encrypt|decrypt, impl = dataenc|jce|tink) with a
'size' parameter in bytes."""
import json
import sys

rows = {}
for r in json.load(open(sys.argv[1])):
    cls, method = r["benchmark"].rsplit(".", 1)
    op, impl = method.split("_", 1)
    size = int(r["params"]["size"])
    score, err = r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]
    rows.setdefault((cls.rsplit(".", 1)[1], op, size), {})[impl] = (score, err)

def fmt_size(n):
    return f"{n >> 20} MiB" if n >= 1 << 20 else (f"{n >> 10} KiB" if n >= 1 << 10 else f"{n} B")

print(f"{'benchmark':<18}{'op':<9}{'size':>8}  {'impl':<12}{'ops/s':>14}{'± err':>12}{'MB/s':>10}  {'vs jce':>7}{'vs tink':>8}{'vs jcesegments':>15}")
for (cls, op, size), impls in sorted(rows.items()):
    base = impls.get("jce", (None,))[0]
    tink = impls.get("tink", (None,))[0]
    segs = impls.get("jcesegments", (None,))[0]
    for impl in ("dataenc", "jce", "tink", "jcesegments"):
        if impl not in impls:
            continue
        score, err = impls[impl]
        mbs = score * size / 1e6
        vs_jce = f"{score / base:.2f}x" if base and impl != "jce" else ""
        vs_tink = f"{score / tink:.2f}x" if tink and impl == "dataenc" else ""
        vs_segs = f"{score / segs:.2f}x" if segs and impl == "dataenc" else ""
        print(f"{cls:<18}{op:<9}{fmt_size(size):>8}  {impl:<12}{score:>14,.0f}{err:>12,.0f}{mbs:>10,.1f}  {vs_jce:>7}{vs_tink:>8}{vs_segs:>15}")
