#!/usr/bin/python3
"""Every figure of tools/plot/takt-plot, drawn from small outputs of every takt command.

    tests/plot/test_plots.py TAKT_BINARY

Makes a small run, a small sweep, a fit, a comparison, a capacity and an improvement analysis
in a scratch folder, draws each with takt-plot (the run in PNG, SVG and PDF), and checks that
each figure is written, non-empty and of its type, that report.html embeds every figure and
refers to no other file, and that `takt run --report` and `takt sweep --report` publish the
same. Exits 77 (CTest's skip) with a message when matplotlib or pandas is missing.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
PLOT = os.path.join(SOURCE, "tools", "plot", "takt-plot")

# Plant names pandas would read as missing ("NA") or matplotlib as a formula ("$x^2$") are
# drawn as the names they are.
SCENARIO = """scenario: plot-test
start: 2023-01-01
end: 2023-06-30
warmup: 1d
replications: 3
plants:
  - name: P
    capacity: 20000
    ramp_up: {start: 2023-01-01, curve: logistic, midpoint: 2, steepness: 1, floor: 0.2, ceiling: 1.0, applies_to: [speed]}
    shops:
      - name: body
        line:
          - station: weld
            cycle: exponential(20min)
            failures: {mtbf: 8h, mttr: 20min}
          - buffer: b1
            capacity: 4
          - station: paint
            cycle: 15min
  - name: NA
    capacity: 10000
    shops:
      - name: body
        line:
          - station: weld
            cycle: exponential(40min)
          - buffer: b1
            capacity: 2
          - station: trim
            cycle: 30min
  - name: cost $x^2$
    capacity: 10000
    shops:
      - name: body
        line:
          - station: weld
            cycle: exponential(60min)
"""

SWEEP = """sweep: plot-sweep
base: plot.yaml
replications: 2
design: {kind: lhs, points: 4, seed: 7}
factors:
  - path: plants[P].ramp_up.midpoint
    range: [1, 4]
  - path: plants[NA].shops[body].line[b1].capacity
    values: [1, 3]
"""

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF", "svg": b"<?xml"}

passed = failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print("FAILED: " + what)


def takt(binary, *args, cwd):
    result = subprocess.run([binary] + list(args), cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit("takt %s failed with %d" % (" ".join(args), result.returncode))
    return result


def check_report(folder, fmt, expected):
    """The figures `expected` (names without extension) and report.html in `folder`."""
    for name in expected:
        path = os.path.join(folder, name + "." + fmt)
        check(os.path.isfile(path), "%s is written" % path)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            head = f.read(16)
        check(os.path.getsize(path) > 1000, "%s is not empty" % path)
        check(head.startswith(MAGIC[fmt]), "%s is a %s file" % (path, fmt))
    page_path = os.path.join(folder, "report.html")
    check(os.path.isfile(page_path), "%s is written" % page_path)
    if not os.path.isfile(page_path):
        return
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    sources = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page)
    check(len([s for s in sources if s.startswith("data:image/png;base64,")]) == len(expected),
          "%s embeds its %d figures" % (page_path, len(expected)))
    check(all(s.startswith("data:") for s in sources),
          "%s refers only to what it embeds: %s" % (page_path,
                                                   [s[:40] for s in sources
                                                    if not s.startswith("data:")]))
    check("<table>" in page, "%s holds a summary table" % page_path)


def takt_ok(binary, args, cwd):
    return subprocess.run([binary] + args, cwd=cwd, capture_output=True).returncode == 0


def draw(folder, fmt="png", out=None):
    args = [PLOT, folder, "--format", fmt] + (["--out", out] if out else [])
    result = subprocess.run(args, capture_output=True, text=True)
    check(result.returncode == 0, "takt-plot %s --format %s: %s" % (folder, fmt, result.stderr))


def main():
    binary = os.path.abspath(sys.argv[1])
    probe = subprocess.run([PLOT, "--help"], capture_output=True, text=True)
    if probe.returncode == 3:
        print("skipped: matplotlib or pandas is missing (tools/dev.sh deps installs "
              "python3-matplotlib and python3-pandas)")
        return 77
    work = tempfile.mkdtemp(prefix="takt-plot-test-")
    try:
        with open(os.path.join(work, "plot.yaml"), "w") as f:
            f.write(SCENARIO)
        with open(os.path.join(work, "sweep.yaml"), "w") as f:
            f.write(SWEEP)
        with open(os.path.join(work, "observed.csv"), "w") as f:
            f.write("plant,period,output\nP,2023-02,400\nP,2023-03..2023-04,1500\nall,2023-05,1800\n")
        run_figures = ["monthly-output", "station-states", "buffers", "bottleneck-months"]
        # A run, with --report: the report is published with the run's files.
        takt(binary, "run", "plot.yaml", "--out", "run", "--report", cwd=work)
        check_report(os.path.join(work, "run", "report"), "png", run_figures)
        for fmt in ["svg", "pdf"]:
            out = os.path.join(work, "run-" + fmt)
            draw(os.path.join(work, "run"), fmt, out)
            check_report(out, fmt, run_figures)
        # A sweep, with --report.
        takt(binary, "sweep", "sweep.yaml", "--out", "sweep", "--report", cwd=work)
        check_report(os.path.join(work, "sweep", "report"), "png", ["fan", "factors", "tornado"])
        with open(os.path.join(work, "sweep", "report", "report.html"), encoding="utf-8") as f:
            check("sweep sweep.yaml --out sweep --report" in f.read(),
                  "the sweep's report names the command that made it")
        # Each analysis.
        takt(binary, "fit", "plot.yaml", "--observed", "observed.csv", "--param",
             "plants[P].ramp_up.midpoint=1..4", "--evaluations", "8", "--starts", "1",
             "-r", "2", "--out", "fit", cwd=work)
        takt(binary, "compare", "plot.yaml", "--change", "plants[NA].shops[body].line[b1].capacity=6",
             "-r", "2", "--out", "compare", cwd=work)
        takt(binary, "capacity", "plot.yaml", "--out", "capacity", cwd=work)
        takt(binary, "improve", "plot.yaml", "--kinds", "buffers", "-r", "2", "--out", "improve",
             cwd=work)
        for folder, figures in [("fit", ["fit"]), ("compare", ["compare"]),
                                ("capacity", ["capacity"]), ("improve", ["improve"])]:
            draw(os.path.join(work, folder))
            check_report(os.path.join(work, folder, "report"), "png", figures)
        # A folder plotted into stays the command's own: the next run into it is not refused.
        takt(binary, "capacity", "plot.yaml", "--out", "capacity", cwd=work)
        check(not os.path.exists(os.path.join(work, "capacity", "report")),
              "the next run into a plotted folder replaces its report")
        # A folder without takt output is refused, not drawn.
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        refused = subprocess.run([PLOT, empty], capture_output=True, text=True)
        check(refused.returncode == 2 and "holds no takt output" in refused.stderr,
              "an empty folder is refused with exit 2")
        # A damaged table is told in one line with exit 2, not a traceback.
        # The earlier drawing stays as it was: the new one is swapped in only when whole.
        damaged = os.path.join(work, "damaged")
        shutil.copytree(os.path.join(work, "run"), damaged)
        before = sorted(os.listdir(os.path.join(damaged, "report")))
        for table, text in [("monthly.csv", ""), ("stations.csv", None)]:
            path = os.path.join(damaged, table)
            with open(path) as f:
                good = f.read()
            with open(path, "w") as f:
                # Empty, or a share that is no number.
                f.write(text if text is not None
                        else re.sub(r",working,[0-9.e-]+,", ",working,abc,", good, count=1))
            told = subprocess.run([PLOT, damaged], capture_output=True, text=True)
            check(told.returncode == 2 and "is damaged" in told.stderr
                  and "Traceback" not in told.stderr,
                  "a damaged %s is refused with exit 2: %s" % (table, told.stderr[-300:]))
            check(sorted(os.listdir(os.path.join(damaged, "report"))) == before,
                  "the earlier drawing stays whole after a failed one (%s)" % table)
            with open(path, "w") as f:
                f.write(good)
        check(takt_ok(binary, ["run", "plot.yaml", "--out", damaged], work),
              "a folder whose drawing failed is still takt's")
        # A figures folder holding the planner's files is refused, the files untouched.
        mine = os.path.join(work, "mine")
        os.makedirs(mine)
        with open(os.path.join(mine, "report.html"), "w") as f:
            f.write("my own page")
        kept = subprocess.run([PLOT, os.path.join(work, "capacity"), "--out", mine],
                              capture_output=True, text=True)
        with open(os.path.join(mine, "report.html")) as f:
            check(kept.returncode == 2 and f.read() == "my own page",
                  "a folder of the planner's own is refused and kept: %s" % kept.stderr)
        # A folder takt-plot drew is its own: drawn again, it holds the new drawing alone.
        redrawn = subprocess.run([PLOT, os.path.join(work, "capacity"), "--out",
                                  os.path.join(work, "run-svg")], capture_output=True, text=True)
        check(redrawn.returncode == 0, "a folder takt-plot drew is drawn again: %s"
              % redrawn.stderr)
        check(sorted(os.listdir(os.path.join(work, "run-svg"))) == ["capacity.png", "report.html"],
              "the earlier drawing's figures are gone: %s"
              % sorted(os.listdir(os.path.join(work, "run-svg"))))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
