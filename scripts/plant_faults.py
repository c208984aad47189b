#!/usr/bin/python3
"""Plant each fault of scripts/faults.json in a private copy of the source tree,
rebuild, and run the checks and tests that must catch it.

Every fault is an exact source edit in the production code (not a Perturbation
hook). A fault counts as caught when every catcher it names fails on the
mutated tree: a check by the verdict "fail" (an inconclusive verdict is not a
catch), a test by a non-zero ctest status. Each catcher is first run on the
unmutated copy and must pass there, or its catch would mean nothing.

The copy lives in a directory this script creates (or --work, which must not
exist yet); the checkout itself is never modified. No shell is involved: every
command is an argument list. Exit status: 0 when every fault was caught, 1
when one was missed, 2 for bad input.

Usage: /usr/bin/python3 scripts/plant_faults.py [--only ID ...] [--work DIR] [--keep]
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


def load_faults(path, only):
    with open(path, encoding="utf-8") as f:
        faults = json.load(f)["faults"]
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
            n = f.read().count(x["find"])
        if n != 1:
            sys.exit(f"plant_faults: fault {x['id']}: 'find' occurs {n} times in {x['file']} (needs exactly 1)")
        for c in x["caught_by"]:
            if set(c) not in ({"check"}, {"test"}):
                sys.exit(f"plant_faults: fault {x['id']}: a catcher is {{\"check\": name}} or {{\"test\": name}}")
    return [x for x in faults if not only or x["id"] in only], tracked


def catcher_status(c, src, log):
    """'pass', 'fail' (caught) or 'other: ...' for one catcher on the tree in src."""
    if "check" in c:
        out = os.path.join(src, "fault-check.json")
        if os.path.exists(out):
            os.remove(out)  # written by this script in its own copy
        rc = run([os.path.join(src, "build/release/app/gdverify"), "check", "--suite", "all", c["check"],
                  "--json", out], src, log)
        if not os.path.exists(out):
            return f"other: exit {rc}, no result"
        with open(out, encoding="utf-8") as f:
            verdicts = [r["verdict"] for r in json.load(f)["checks"]]
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
    a = ap.parse_args()
    faults, tracked = load_faults(a.faults, a.only)
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
    if run(["cmake", "--preset", "release"], src, log) or run(["cmake", "--build", "--preset", "release"], src, log):
        sys.exit(f"plant_faults: the unmutated copy does not build (see {log})")
    missed = []
    for x in faults:
        base = [catcher_status(c, src, log) for c in x["caught_by"]]
        path = os.path.join(src, x["file"])
        with open(path, encoding="utf-8") as f:
            original = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original.replace(x["find"], x["replace"]))
        built = run(["cmake", "--build", "--preset", "release"], src, log) == 0
        after = [catcher_status(c, src, log) if built else "other: does not build" for c in x["caught_by"]]
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        # Rebuild the unmutated tree now, so that the next fault's baseline is clean.
        if run(["cmake", "--build", "--preset", "release"], src, log):
            sys.exit(f"plant_faults: the copy does not build after restoring {x['file']} (see {log})")
        print(f"\n{x['id']}: {x['what']}")
        ok = True
        for c, b, m in zip(x["caught_by"], base, after):
            name = c.get("check") or "test " + c["test"]
            caught = b == "pass" and m == "fail"
            ok = ok and caught
            print(f"  {name}: unmutated {b}, mutated {m}: {'caught' if caught else 'NOT CAUGHT'}")
        if not ok:
            missed.append(x["id"])
    if not a.keep:
        shutil.rmtree(work)
    print(f"\n{len(faults) - len(missed)} of {len(faults)} faults caught" +
          (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
