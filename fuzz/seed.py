#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets in fuzz/corpus/<target>/ from the repository's
fixtures and tests and from ../shared/corpus (real-world configs), when it is there.

Each seed is a file whose first byte picks the kind of input as the target reads it (see
fuzz_targets/*.rs). Existing corpus files are kept: libFuzzer adds what it finds there.
"""
import hashlib
import pathlib
import re
import sys

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
SHARED = ROOT.parent / "shared" / "corpus"
# loader.rs FILE_NAMES: 0 agent.yaml, 2 agent.json
LOADER_KIND = {".yaml": 0, ".yml": 1, ".json": 2}


def files(*roots, suffixes=(".yaml", ".yml", ".json")):
    for root in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix in suffixes and "target" not in path.parts:
                    yield path


def add(target, data):
    out = FUZZ / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    configs = list(files(ROOT / "fixtures", SHARED))
    for path in configs:
        data = path.read_bytes()
        kind = LOADER_KIND.get(path.suffix, 0)
        add("loader", bytes([kind]) + data)
        add("launch", bytes([1 if path.suffix == ".json" else 0]) + data)
    packs = list(files(ROOT / "fixtures" / "policy", ROOT / "policies"))
    for path in packs:
        data = path.read_bytes()
        if path.name == ".agentlint.yaml":
            add("policy", b"\x02" + data)
        else:
            add("policy", (b"\x01" if path.suffix == ".json" else b"\x00") + data)
    for path in files(ROOT / "fixtures", suffixes=(".yaml",)):
        if path.name == ".agentlint.yaml":
            add("policy", b"\x02" + path.read_bytes())
    # CEL: every `assert:` in the fixtures and tests, with a few configs as JSON.
    asserts = set()
    for path in files(ROOT / "fixtures", ROOT / "tests", ROOT / "policies", suffixes=(".yaml", ".rs", ".md")):
        for m in re.finditer(r"assert: (.+)", path.read_text(errors="replace")):
            text = m.group(1).strip()
            if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
                text = text[1:-1]
            asserts.add(text)
    asserts |= {
        "config.allowed_tools.all(t, config.disallowed_tools.all(u, t != u))",
        "[1, 2, 3].map(x, [x, x]).filter(y, size(y) > 1).size() == 3",
        "has(config.max_turns) && config.max_turns <= 20 && agent.startsWith('c') && file.endsWith('.yaml')",
        "config.exists(k, k.matches('^[a-z_]+$')) && 'Read' in config.allowed_tools",
        "{'a': [1, 2], 'b': {'c': 'd'}}.all(k, k in ['a', 'b'])",
    }
    jsons = [p.read_bytes() for p in list(files(SHARED, suffixes=(".json",)))[:20]]
    jsons.append(b'{"allowed_tools": ["Read", "Bash(git:*)"], "disallowed_tools": [], "max_turns": 3}')
    for i, text in enumerate(sorted(asserts)):
        add("cel", text.encode() + b"\0" + jsons[i % len(jsons)])
    for target in ("loader", "policy", "cel", "launch"):
        count = len(list((FUZZ / "corpus" / target).iterdir()))
        print(f"{target}: {count} seeds", file=sys.stderr)


main()
