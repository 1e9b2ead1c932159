#!/usr/bin/env python3
"""Writes the source tree of benches/scan.sh: FILES files (default 50,000) of program source,
scripts and documents in nested packages, a few hundred bytes to a few kilobytes each, none
of which starts a Claude session (no SDK name appears). Deterministic: the same tree every run.

    python3 benches/gen_source_tree.py DIR [FILES]
"""
import os
import random
import sys

EXTS = ["py", "ts", "js", "tsx", "ex", "exs", "sh", "md", "txt", "json", "css", "html"]


def body(ext: str, i: int, rng: random.Random) -> str:
    lines = 5 + rng.randrange(120)
    out = []
    for n in range(lines):
        if ext == "py":
            out.append(f"def handler_{i}_{n}(event):\n    return query_db(event, limit={n})\n")
        elif ext in ("ts", "js", "tsx"):
            out.append(f"export function handler{i}_{n}(e: Event) {{ return fetch(`/api/${{e.id}}/{n}`); }}\n")
        elif ext in ("ex", "exs"):
            out.append(f"  def handle_{n}(conn, params), do: render(conn, :show, id: {i})\n")
        elif ext == "sh":
            out.append(f'echo "step {n} of job {i}" && make build-{n}\n')
        else:
            out.append(f"Line {n} of document {i}: nothing about agents here.\n")
    return "".join(out)


def main() -> None:
    root = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    marker = os.path.join(root, ".complete")
    if os.path.exists(marker) and open(marker).read() == str(files):
        return
    rng = random.Random(0x9E3779B9)
    for i in range(files):
        d = os.path.join(root, f"pkg{i % 50}", f"mod{(i // 50) % 20}", f"sub{(i // 1000) % 5}")
        os.makedirs(d, exist_ok=True)
        ext = EXTS[rng.randrange(len(EXTS))]
        with open(os.path.join(d, f"file{i}.{ext}"), "w") as f:
            f.write(body(ext, i, rng))
    with open(marker, "w") as f:
        f.write(str(files))


if __name__ == "__main__":
    main()
