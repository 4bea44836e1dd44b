#!/usr/bin/env python3
"""Splits "B DatabaseMigrations applied at once -> backup Job seen by a watch" into its stages.

Joins the benchmark's per-migration times (operator-scale-burst.tsv, epoch microseconds, written by
OperatorScaleBenchmark) with the operator's log of the same run, written with
benchmarks/operator-split/logback.xml (DBGUARD_BENCH_LOGBACK): JOSDK's "Received event" and
"Handling dispatch" at DEBUG, dbguard's phase line (logged after the status write returned) and
"created Job" line (logged after the Job create returned). Both clocks are the same machine's.

Usage: benchmarks/operator-burst-split.py BURST_TSV OPERATOR_LOG
"""
import datetime
import re
import sys

TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z ")
RID = re.compile(r"name='([^']+)', namespace='([^']+)'")
DISPATCH = re.compile(r"Handling dispatch for resource name: (\S+) namespace: (\S+)")
OURS = re.compile(r"(?:\[|, )resource=([^,\]\s]+)[,\]]")


def micros(line):
    m = TS.match(line)
    if not m:
        return None
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f")
    return int(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1_000_000)


def quantile(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    i = max(0, min(len(s) - 1, -(-int(q * len(s) * 1000) // 1000) - 1))
    return s[i]


def main(tsv, log):
    times = {}
    with open(tsv) as f:
        next(f)
        for line in f:
            name, sent, returned, status, job = line.split("\t")
            times[name] = dict(sent=int(sent), returned=int(returned), status=int(status), job=int(job))
    ev = {k: dict(received=[], dispatch=[], status=None, created=None) for k in times}
    with open(log) as f:
        for line in f:
            t = micros(line)
            if t is None:
                continue
            if "Received event:" in line:
                m = RID.search(line)
                key = m and m.group(2) + "/" + m.group(1)
                if key in ev:
                    ev[key]["received"].append(t)
            elif "Handling dispatch for resource" in line:
                m = DISPATCH.search(line)
                key = m.group(2) + "/" + m.group(1)
                if key in ev:
                    ev[key]["dispatch"].append(t)
            else:
                m = OURS.search(line)
                key = m and m.group(1)
                if key not in ev:
                    continue
                if " → BackingUp" in line and ev[key]["status"] is None:
                    ev[key]["status"] = t
                elif "created Job" in line and ev[key]["created"] is None:
                    ev[key]["created"] = t
    stages = {
        "create call (sent -> returned)": [],
        "sent -> operator receives the event": [],
        "event -> reconcile starts (JOSDK queue)": [],
        "reconcile start -> status written": [],
        "status written -> Job create returned": [],
        "Job create returned -> seen by the watch": [],
        "total: sent -> Job seen": [],
        "reconciles started before the Job was created": [],
    }
    missing = 0
    for k, t in times.items():
        e = ev[k]
        if not e["received"] or not e["dispatch"] or e["status"] is None or e["created"] is None:
            missing += 1
            continue
        rec, start = e["received"][0], e["dispatch"][0]
        # the reconcile that created the Job: the last dispatch before the "created Job" line (the
        # next reconcile may be dispatched within the same millisecond after it: strictly before)
        last = max(d for d in e["dispatch"] if d < e["created"])
        stages["create call (sent -> returned)"].append(t["returned"] - t["sent"])
        stages["sent -> operator receives the event"].append(rec - t["sent"])
        stages["event -> reconcile starts (JOSDK queue)"].append(start - rec)
        stages["reconcile start -> status written"].append(e["status"] - start)
        stages["status written -> Job create returned"].append(e["created"] - e["status"])
        stages["Job create returned -> seen by the watch"].append(t["job"] - e["created"])
        stages["total: sent -> Job seen"].append(t["job"] - t["sent"])
        stages["reconciles started before the Job was created"].append(
            sum(1 for d in e["dispatch"] if d <= last) * 1_000_000)
    print(f"{len(times) - missing} of {len(times)} migrations joined ({missing} without every line)")
    for name, v in stages.items():
        print(f"  {name:50s} p50 {quantile(v, 0.5) / 1e6:7.3f}  p99 {quantile(v, 0.99) / 1e6:7.3f}"
              f"  mean {sum(v) / max(1, len(v)) / 1e6:7.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
