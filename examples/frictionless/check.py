#!/usr/bin/env python3
"""Validate activity logs with the `frictionless` package, against the
resource `plan schema` prints (its Table Schema, the `,` dialect and the
UTF-8 encoding), so that another tool rejects what `plan check` rejects, as
far as a Table Schema can say it.

    pip install frictionless
    python3 examples/frictionless/check.py [--plan PLAN] [-C DIR] LOG.csv...

PLAN is the `plan` program (default: `plan` on the PATH); DIR the workspace
(default: the current directory). Exit 0 when every file is valid, 1 when
one is not (its errors printed), 2 when the schema could not be had.
"""

import argparse
import json
import os
import subprocess
import sys

from frictionless import Detector, Resource


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plan", default="plan", help="the plan program")
    ap.add_argument("-C", dest="dir", default=".", help="the workspace")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    run = subprocess.run(
        [args.plan, "-C", args.dir, "--lang", "en", "schema", "--format", "frictionless"],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        return 2
    descriptor = json.loads(run.stdout)

    failed = 0
    for name in args.files:
        # frictionless refuses absolute paths: each file is given relative
        # to its own folder.
        folder, base = os.path.split(os.path.abspath(name))
        resource = Resource(
            dict(descriptor, path=base),
            basepath=folder,
            # A log may leave optional columns out: match columns by name.
            detector=Detector(schema_sync=True),
        )
        report = resource.validate()
        if report.valid:
            print(f"{name}: valid")
            continue
        failed += 1
        for task in report.tasks:
            for err in task.errors:
                print(f"{name}: {err.type}: {err.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
