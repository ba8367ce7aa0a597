#!/usr/bin/env python3
"""Prints a JMH JSON result as a table of ops/s, MB/s and ratios of dataenc to each baseline.

Benchmarks are named <op>_<impl> (op = encrypt|decrypt, impl = dataenc|jce|tink|jcesegments) with a
'size' parameter in bytes. Rows are grouped by benchmark class, op, size and thread count; with
-prof gc, the bytes allocated per operation are shown too. Baselines with other names (jcearray, jcesegmentsarray:
the same JCE work over arrays without reading a stream; jceformat: raw JCE binding the same AAD as the dataenc
property format) are listed after these; the last column is dataenc's ratio to the row's baseline."""
import json
import sys

rows = {}
for r in json.load(open(sys.argv[1])):
    cls, method = r["benchmark"].rsplit(".", 1)
    op, impl = method.split("_", 1)
    size = int(r["params"]["size"])
    score, err = r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    rows.setdefault((cls.rsplit(".", 1)[1], op, size, r.get("threads", 1)), {})[impl] = (score, err, alloc)

def fmt_size(n):
    return f"{n >> 20} MiB" if n >= 1 << 20 else (f"{n >> 10} KiB" if n >= 1 << 10 else f"{n} B")

def num(x):
    return "nan" if x != x else f"{x:,.0f}"

print(f"{'benchmark':<24}{'op':<9}{'size':>8}{'thr':>4}  {'impl':<18}{'ops/s':>14}{'± err':>12}{'MB/s':>10}{'B/op':>8}"
      f"  {'vs jce':>7}{'vs tink':>8}{'vs jcesegments':>15}{'dataenc/this':>14}")
for (cls, op, size, threads), impls in sorted(rows.items()):
    base = impls.get("jce", (None,))[0]
    tink = impls.get("tink", (None,))[0]
    segs = impls.get("jcesegments", (None,))[0]
    known = ("dataenc", "jce", "tink", "jcesegments")
    own = impls.get("dataenc", (None,))[0]
    for impl in [i for i in known if i in impls] + sorted(i for i in impls if i not in known):
        score, err, alloc = impls[impl]
        mbs = score * size / 1e6
        vs_jce = f"{score / base:.2f}x" if base and impl != "jce" else ""
        vs_tink = f"{score / tink:.2f}x" if tink and impl == "dataenc" else ""
        vs_segs = f"{score / segs:.2f}x" if segs and impl == "dataenc" else ""
        b_op = "" if alloc is None else f"{alloc:,.0f}"
        this = f"{own / score:.2f}x" if own and impl != "dataenc" else ""
        print(f"{cls:<24}{op:<9}{fmt_size(size):>8}{threads:>4}  {impl:<18}{score:>14,.0f}{num(err):>12}{mbs:>10,.1f}"
              f"{b_op:>8}  {vs_jce:>7}{vs_tink:>8}{vs_segs:>15}{this:>14}")
