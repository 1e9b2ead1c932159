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
# loader.rs FILE_NAMES: 0 agent.yaml, 1 agent.yml, 2 agent.json, then one name per kind.
LOADER_KIND = {".yaml": 0, ".yml": 1, ".json": 2}


def loader_pick(path):
    """The index in loader.rs FILE_NAMES of a name of the same kind as `path`."""
    parts = path.parts
    # ../shared/corpus keeps each kind in a folder of its own, files named 001.json, ...
    by_folder = {"settings": 5, "settings-local": 6, "managed": 7, "mcp": 8}
    if SHARED in path.parents and path.parent.name in by_folder:
        return by_folder[path.parent.name]
    if path.name in ("settings.json", "settings.local.json") and len(parts) > 1 and parts[-2] in (".claude", "dot_claude"):
        return 6 if path.name == "settings.local.json" else 5
    if path.name == "managed-settings.json" or "managed-settings.d" in parts:
        return 7
    if path.name in (".mcp.json", "managed-mcp.json"):
        return 8
    if path.suffix == ".md":
        if path.name == "SKILL.md":
            return 11
        if "commands" in parts:
            return 10
        return 9
    if ".github" in parts and "workflows" in parts:
        return 16
    source = {".ex": 12, ".exs": 12, ".py": 13, ".ts": 14, ".tsx": 14, ".js": 14, ".mjs": 14, ".sh": 15, ".bash": 15}
    if path.suffix in source:
        return source[path.suffix]
    named = {"Makefile": 17, "Dockerfile": 18, "package.json": 19}
    if path.name in named:
        return named[path.name]
    return LOADER_KIND.get(path.suffix, 0)


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
        add("loader", bytes([loader_pick(path)]) + data)
        add("launch", bytes([1 if path.suffix == ".json" else 0]) + data)
    # Markdown with frontmatter (subagents, commands, skills), program source, scripts.
    others = (".md", ".ex", ".exs", ".py", ".ts", ".tsx", ".js", ".mjs", ".sh", ".bash")
    for path in files(ROOT / "fixtures", SHARED, suffixes=others):
        add("loader", bytes([loader_pick(path)]) + path.read_bytes())
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.name in ("Makefile", "Dockerfile"):
            add("loader", bytes([loader_pick(path)]) + path.read_bytes())
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
