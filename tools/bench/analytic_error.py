#!/usr/bin/env python3
# The error of `takt run --method analytic` against simulation on serial lines of 10, 20, 30 and
# 50 stations (five random lines each), as docs/analytic.md reports it:
#   tools/bench/analytic_error.py build/takt
# The lines: exponential cycles of 50 to 70 s, one station in ten with two servers, a third
# with failures (MTBF 1 to 8 h, MTTR 3 to 15 min), buffers of 0 to 10 places; simulated for
# 60 days after a 2-day warm-up, 5 replications. Prints one row per line and a summary per length.
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile


def line_yaml(k, seed):
    rnd = random.Random(seed)
    out = [f"scenario: long-{k}-{seed}", "start: 2023-01-01", "horizon: 60d", "warmup: 2d",
           "replications: 5", f"seed: {seed}", "plants:", "  - name: line",
           "    capacity: 100000", "    shops:", "      - name: s", "        line:"]
    for i in range(k):
        mean = rnd.uniform(50, 70)
        servers = 2 if rnd.random() < 0.1 else 1
        out += [f"          - station: M{i + 1}",
                f"            cycle: exponential({mean * servers:.1f}s)"]
        if servers > 1:
            out.append(f"            servers: {servers}")
        if rnd.random() < 1 / 3:
            out.append(f"            failures: {{mtbf: {rnd.uniform(1, 8):.2f}h, "
                       f"mttr: {rnd.uniform(3, 15):.1f}min}}")
        if i < k - 1:
            out += [f"          - buffer: B{i + 1}", f"            capacity: {rnd.randint(0, 10)}"]
    return "\n".join(out) + "\n"


def per_hour(takt, path, *args):
    out = subprocess.run([takt, "run", path, "--format", "json", *args], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)["plants"][0]["throughput_per_hour"]


def main():
    takt = sys.argv[1] if len(sys.argv) > 1 else "build/takt"
    folder = tempfile.mkdtemp(prefix="takt-analytic-")
    errors = {}
    print("stations seed  analytic/h  simulated/h  (95 % half-width)   error")
    for k in (10, 20, 30, 50):
        for seed in range(1, 6):
            path = os.path.join(folder, f"line-{k}-{seed}.yaml")
            with open(path, "w") as f:
                f.write(line_yaml(k, seed))
            analytic = per_hour(takt, path, "--method", "analytic")
            sim = per_hour(takt, path)
            low, high = sim["ci95"]
            error = (analytic - sim["mean"]) / sim["mean"]
            errors.setdefault(k, []).append(abs(error))
            print(f"{k:8d} {seed:4d} {analytic:11.3f} {sim['mean']:12.3f}   (+-{(high - low) / 2:.3f})"
                  f"      {100 * error:+.2f} %", flush=True)
    for k, e in errors.items():
        print(f"{k} stations: mean |error| {100 * statistics.mean(e):.2f} %, "
              f"worst {100 * max(e):.2f} %")


if __name__ == "__main__":
    main()
