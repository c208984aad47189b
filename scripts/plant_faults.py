#!/usr/bin/python3
"""Plant each fault of scripts/faults.json in a private copy of the source tree,
rebuild, and run the checks and tests that must catch it.

Every fault is an exact source edit in the production code (not a Perturbation
hook). A fault is one or more exact edits of one
file ("find"/"replace", or a list "edits" of them). A fault counts as caught
when every catcher it names fails on the mutated tree: a check by the verdict
"fail" (an inconclusive verdict is not a catch), a test by a non-zero ctest
status. Each catcher is first run on the unmutated copy and must pass there,
or its catch would mean nothing.

With --matrix, every fault is also run against the "matrix" check patterns of
the faults file (one representative of every check family), and the script
prints, per check, which faults made it fail and which it did not see; with
--report FILE (a new file) it writes that table as JSON. The README's table
"What each check catches" is this output.

The copy lives in a directory this script creates (or --work, which must not
exist yet); the checkout itself is never modified. No shell is involved: every
command is an argument list. Exit status: 0 when every fault was caught, 1
when one was missed, 2 for bad input.

With --matrix-checks PATTERN ..., the matrix is those patterns only (each one
of the list), so that families added to the list later can be run alone.

Usage: /usr/bin/python3 scripts/plant_faults.py [--only ID ...] [--matrix] [--report FILE]
                                                [--matrix-checks PATTERN ...] [--work DIR] [--keep]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, cwd, log):
    with open(log, "ab") as out:
        return subprocess.run(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT).returncode


def edits_of(x):
    """The fault's edits as a list of (find, replace)."""
    if "edits" in x:
        return [(e["find"], e["replace"]) for e in x["edits"]]
    return [(x["find"], x["replace"])]


def load_faults(path, only):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    faults = doc["faults"]
    tracked = set(subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], capture_output=True, check=True)
                  .stdout.decode().split("\0"))
    ids = [x["id"] for x in faults]
    for name in only:
        if name not in ids:
            sys.exit(f"plant_faults: --only {name}: no such fault (known: {', '.join(ids)})")
    for x in faults:
        if x["file"] not in tracked:
            sys.exit(f"plant_faults: fault {x['id']}: file {x['file']} is not a tracked file")
        with open(os.path.join(ROOT, x["file"]), encoding="utf-8") as f:
            text = f.read()
        for find, _ in edits_of(x):
            n = text.count(find)
            if n != 1:
                sys.exit(f"plant_faults: fault {x['id']}: 'find' occurs {n} times in {x['file']} (needs exactly 1):"
                         f" {find!r}")
        for c in x["caught_by"]:
            if set(c) not in ({"check"}, {"test"}):
                sys.exit(f"plant_faults: fault {x['id']}: a catcher is {{\"check\": name}} or {{\"test\": name}}")
    return [x for x in faults if not only or x["id"] in only], tracked, doc.get("matrix", [])


def run_checks(patterns, src, log):
    """{check name: verdict} for the checks the patterns select on the tree in src."""
    out = os.path.join(src, "fault-check.json")
    if os.path.exists(out):
        os.remove(out)  # written by this script in its own copy
    rc = run([os.path.join(src, "build/release/app/gdverify"), "check", "--suite", "all", *patterns,
              "--json", out], src, log)
    if not os.path.exists(out):
        return {"(no result)": f"exit {rc}"}
    with open(out, encoding="utf-8") as f:
        # "certified" is the stronger "pass": a fault is caught when it makes a check fail.
        return {r["name"]: "pass" if r["verdict"] == "certified" else r["verdict"] for r in json.load(f)["checks"]}


def catcher_status(c, src, log):
    """'pass', 'fail' (caught) or 'other: ...' for one catcher on the tree in src."""
    if "check" in c:
        verdicts = list(run_checks([c["check"]], src, log).values())
        if not verdicts:
            return "other: the check did not run"
        return "fail" if "fail" in verdicts else ("pass" if set(verdicts) == {"pass"} else "other: " +
                                                   ",".join(sorted(set(verdicts))))
    rc = run(["ctest", "--preset", "release", "-R", "^" + c["test"] + "$", "--no-tests=error"], src, log)
    return "pass" if rc == 0 else "fail"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faults", default=os.path.join(ROOT, "scripts", "faults.json"))
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--work", help="a directory to create for the copy (must not exist)")
    ap.add_argument("--keep", action="store_true", help="keep the copy and its build")
    ap.add_argument("--matrix", action="store_true", help="also run the matrix checks under every fault")
    ap.add_argument("--report", help="write the matrix as JSON to this new file (must not exist)")
    ap.add_argument("--matrix-only", action="store_true",
                    help="with --matrix: run the matrix and not the named catchers (whose catch a full run showed);"
                         " only the command-line tool is built")
    ap.add_argument("--matrix-checks", nargs="*", metavar="PATTERN",
                    help="with --matrix: these check patterns in place of the faults file's matrix list "
                         "(to run the families a report lacks; each must be a pattern of that list)")
    a = ap.parse_args()
    faults, tracked, matrix = load_faults(a.faults, a.only)
    if a.matrix_checks is not None:
        unknown = [m for m in a.matrix_checks if m not in matrix]
        if not a.matrix or not a.matrix_checks or unknown:
            sys.exit("plant_faults: --matrix-checks needs --matrix and patterns of the faults file's matrix list"
                     + (f" (not in it: {', '.join(unknown)})" if unknown else ""))
        matrix = a.matrix_checks
    if a.matrix_only and not a.matrix:
        sys.exit("plant_faults: --matrix-only needs --matrix")
    if a.matrix_only:
        for x in faults:
            x["caught_by"] = []  # the matrix alone judges this run; the summary counts no catcher
    if a.report and (not a.matrix or os.path.exists(a.report)):
        sys.exit("plant_faults: --report needs --matrix and a path that does not exist yet")
    if a.work:
        if os.path.exists(a.work):
            sys.exit(f"plant_faults: --work {a.work} exists; give a new directory")
        os.makedirs(a.work)
        work = a.work
    else:
        work = tempfile.mkdtemp(prefix="gdverify-faults-")
    src, log = os.path.join(work, "src"), os.path.join(work, "log.txt")
    for rel in tracked:
        if rel:
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, rel), os.path.join(src, rel))
    print(f"copy in {work} (log: {log}); building the unmutated tree", flush=True)
    # The checks need only the command-line tool; the tests' executables are
    # built when a fault names a test. No benchmarks, Python module or libtorch.
    need_tests = any("test" in c for x in faults for c in x["caught_by"])  # none with --matrix-only
    targets = [] if need_tests else ["--target", "gdverify"]
    if run(["cmake", "--preset", "release", "-DGDVERIFY_BUILD_BENCH=OFF", "-DGDVERIFY_BUILD_PYTHON=OFF",
            "-DGDVERIFY_WITH_TORCH=OFF"], src, log) or run(["cmake", "--build", "--preset", "release", *targets],
                                                           src, log):
        sys.exit(f"plant_faults: the unmutated copy does not build (see {log})")
    # Every baseline on the unmutated tree first: each fault then costs one
    # incremental build (the next fault's build also restores the last file).
    base = {x["id"]: [catcher_status(c, src, log) for c in x["caught_by"]] for x in faults}
    base_matrix = run_checks(matrix, src, log) if a.matrix else {}
    missed, table = [], {name: {"unmutated": v, "caught": [], "not_seen": [], "other": []}
                         for name, v in base_matrix.items()}
    for x in faults:
        path = os.path.join(src, x["file"])
        with open(path, encoding="utf-8") as f:
            original = f.read()
        mutated = original
        for find, replace in edits_of(x):
            mutated = mutated.replace(find, replace)
        with open(path, "w", encoding="utf-8") as f:
            f.write(mutated)
        # Only the command-line tool when every catcher is a check; everything
        # when a test must catch the fault.
        targets = [] if any("test" in c for c in x["caught_by"]) else ["--target", "gdverify"]
        built = run(["cmake", "--build", "--preset", "release", *targets], src, log) == 0
        after = [catcher_status(c, src, log) if built else "other: does not build" for c in x["caught_by"]]
        after_matrix = run_checks(matrix, src, log) if a.matrix and built else {}
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        print(f"\n{x['id']}: {x['what']}")
        ok = True
        for c, b, m in zip(x["caught_by"], base[x["id"]], after):
            name = c.get("check") or "test " + c["test"]
            caught = b == "pass" and m == "fail"
            ok = ok and caught
            print(f"  {name}: unmutated {b}, mutated {m}: {'caught' if caught else 'NOT CAUGHT'}")
        for name, row in table.items():
            m = after_matrix.get(name, "not run")
            if row["unmutated"] == "pass" and m == "fail":
                row["caught"].append(x["id"])
            elif row["unmutated"] == "pass" and m == "pass":
                row["not_seen"].append(x["id"])
            else:
                row["other"].append(f"{x['id']} ({m})")
        if a.matrix:
            print("  matrix checks failing: " + (", ".join(n for n, r in table.items() if x["id"] in r["caught"])
                                                 or "none"))
        if a.matrix_only:  # no catcher ran: the fault counts as caught when a matrix check failed under it
            ok = built and any(x["id"] in r["caught"] for r in table.values())
        if not ok:
            missed.append(x["id"])
    if a.matrix:
        print("\nper check: faults that made it fail | faults it did not see | other verdicts")
        for name, row in table.items():
            print(f"{name} [unmutated {row['unmutated']}]: caught {', '.join(row['caught']) or '-'} | "
                  f"not seen {', '.join(row['not_seen']) or '-'} | other {', '.join(row['other']) or '-'}")
    if a.report:
        with open(a.report, "x", encoding="utf-8") as f:
            json.dump({"faults": [{"id": x["id"], "what": x["what"], "file": x["file"]} for x in faults],
                       "missed": missed, "checks": table}, f, indent=1)
    if not a.keep:
        shutil.rmtree(work)
    print(f"\n{len(faults) - len(missed)} of {len(faults)} faults caught" +
          (" by the matrix checks of this run (no catcher was run)" if a.matrix_only else "") +
          (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
