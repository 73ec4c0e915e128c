#!/usr/bin/env python3
"""Shows that `frictionless validate`, given the resource `plan schema`
prints, rejects what `plan check` rejects for its dialect and encoding: a
good log passes, a semicolon-separated one and a Windows-1258 one (Excel's
legacy CSV) fail, in both tools.

    pip install frictionless
    cargo build && python3 examples/frictionless/selftest.py [--plan target/debug/plan]

Exit 0 when both tools agree on the three files, 1 otherwise.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HEADER = "date,org,unit,kind,status,title,field,ref,participants,cost,recommendations,resolved,note"
ROW = "2023-03-15,MTTQ,tinh,dialogue,done,Hội nghị đối thoại,,,,,,,"


def windows_1258(text: str) -> bytes:
    """As Excel's legacy Vietnamese CSV: â ê ô ă ơ ư đ single bytes, the
    tone marks combining characters after the letter."""
    out = b""
    for c in text:
        d = unicodedata.normalize("NFD", c)
        shape = "".join(m for m in d[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in d[1:] if m not in "\u0302\u0306\u031b")
        out += unicodedata.normalize("NFC", d[0] + shape).encode("cp1258") + tones.encode("cp1258")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", default=os.path.join(ROOT, "target", "debug", "plan"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as ws:
        os.makedirs(os.path.join(ws, "plans"))
        os.makedirs(os.path.join(ws, "logs"))
        with open(os.path.join(ROOT, "tests/fixtures/check-clean/plans/x.toml"), encoding="utf-8") as f:
            plan = f.read()
        with open(os.path.join(ws, "plans/x.toml"), "w", encoding="utf-8") as f:
            f.write(plan)
        files = {
            "good.csv": (f"{HEADER}\n{ROW}\n".encode(), True),
            "semicolon.csv": (f"{HEADER}\n{ROW}\n".replace(",", ";").encode(), False),
            "windows-1258.csv": (windows_1258(f"{HEADER}\n{ROW}\n"), False),
        }
        agree = True
        for name, (data, valid) in files.items():
            # Alone in the workspace, so that `plan check` reads only it.
            for other in os.listdir(os.path.join(ws, "logs")):
                os.remove(os.path.join(ws, "logs", other))
            path = os.path.join(ws, "logs", name)
            with open(path, "wb") as f:
                f.write(data)
            plan_ok = subprocess.run(
                [args.plan, "-C", ws, "check", "--at", "2024-01-01", "--format", "json"],
                capture_output=True,
            ).returncode == 0
            fr_ok = subprocess.run(
                [sys.executable, os.path.join(HERE, "check.py"), "--plan", args.plan, "-C", ws, path],
                capture_output=True,
            ).returncode == 0
            ok = plan_ok == fr_ok == valid
            agree &= ok
            print(f"{name}: plan check {'valid' if plan_ok else 'rejects'}, "
                  f"frictionless {'valid' if fr_ok else 'rejects'} {'' if ok else '  <-- MISMATCH'}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
