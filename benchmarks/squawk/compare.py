#!/usr/bin/env python3
"""Compare dbguard and squawk findings on the PostgreSQL corpus subset (see squawk-compare.sh).

Findings are compared per (file, dbguard rule id): squawk rule names are mapped to dbguard ids
through the `squawk:` sources of dbguard's rule table. squawk rules with no dbguard counterpart
(style/robustness rules such as require-lock-timeout) are counted separately.
"""
import json
import sys
from collections import Counter, defaultdict

dbg = json.load(open(sys.argv[1]))
sq = json.load(open(sys.argv[2]))
squawk_secs = float(sys.argv[3])
squawk_rounds = int(sys.argv[4])
mapping = dbg["mapping"]
files = list(dbg["files"].keys())

# a squawk rule may correspond to several dbguard rules (changing-column-type -> DBG108 refuse
# or DBG209 warn): a squawk finding agrees with any one unmatched dbguard finding of those ids.
sq_by_file = defaultdict(list)
unmapped = Counter()
for v in sq:
    name = v["rule_name"]
    if name in mapping:
        sq_by_file[v["file"]].append((name, mapping[name]))
    else:
        unmapped[name] += 1

comparable = {rid for ids in mapping.values() for rid in ids}
both = only_dbg = only_sq = 0
dbg_outside = Counter()
disagreements = []
for f in files:
    remaining = [rid for rid in dbg["files"][f] if rid in comparable]
    for rid in dbg["files"][f]:
        if rid not in comparable:
            dbg_outside[rid] += 1
    for name, ids in sq_by_file.get(f, []):
        hit = next((r for r in remaining if r in ids), None)
        if hit:
            remaining.remove(hit)
            both += 1
        else:
            only_sq += 1
            disagreements.append((f, "/".join(ids) + " (" + name + ")", "squawk only", 1))
    for rid in remaining:
        only_dbg += 1
        disagreements.append((f, rid, "dbguard only", 1))

total = both + only_dbg + only_sq
print(f"files: {len(files)}")
print(f"comparable findings (rules both tools have): {total}")
print(f"  agreement: {both} ({100.0 * both / total if total else 100:.1f}%)")
print(f"  dbguard only: {only_dbg}")
print(f"  squawk only: {only_sq}")
print(f"dbguard findings without a squawk rule: {sum(dbg_outside.values())} {dict(dbg_outside)}")
print(f"squawk findings without a dbguard rule: {sum(unmapped.values())} {dict(unmapped)}")
print(f"throughput dbguard (in-JVM, warm): {dbg['filesPerSecond']} files/s over {dbg['rounds']} rounds")
sq_fps = squawk_rounds * len(files) / squawk_secs
print(f"throughput squawk (native binary, one process per round, all files): {sq_fps:.1f} files/s over {squawk_rounds} rounds")
if len(sys.argv) > 5:
    cold = float(sys.argv[5])
    print(f"dbguard cold (one JVM: start + one pass over all files): {cold:.2f} s = {len(files) / cold:.1f} files/s")
    print(f"squawk cold (one process, all files): {squawk_secs / squawk_rounds:.3f} s = {sq_fps:.1f} files/s")
print("disagreements:")
for f, rid, who, n in sorted(disagreements):
    print(f"  {f}: {rid} {who} x{n}")


# Against the corpus labels (header "expect: ..."), restricted to rules both tools have;
# acknowledged expectations ("DBG102!") are expected to be silent in both tools' unsuppressed output.
import re

def labels(path):
    m = re.search(r"(?m)^\s*(?:--|#)\s*expect:\s*(.*)$", open(path).read())
    out = []
    for x in re.split(r"[,\s]+", m.group(1) if m else ""):
        if x and x != "none" and not x.endswith("!"):
            out.append(x)
    return out

def score(found_by_file):
    tp = fp = fn = 0
    for f in files:
        exp = [x for x in labels(f) if x in comparable]
        for ids in found_by_file(f):
            hit = next((e for e in exp if e in ids), None)
            if hit:
                exp.remove(hit)
                tp += 1
            else:
                fp += 1
        fn += len(exp)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return tp, fp, fn, p, r

d_score = score(lambda f: [[rid] for rid in dbg["files"][f] if rid in comparable])
s_score = score(lambda f: [ids for _, ids in sq_by_file.get(f, [])])
print("against the corpus labels (comparable rules only):")
print("  dbguard tp=%d fp=%d fn=%d precision=%.3f recall=%.3f" % d_score)
print("  squawk  tp=%d fp=%d fn=%d precision=%.3f recall=%.3f" % s_score)
