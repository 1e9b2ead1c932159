//! The file loader and every renderer: bytes → findings → human, JSON, SARIF and GitHub output.
//!
//! The first byte of the input picks the file name, and so the kind of file the loader reads
//! it as; the rest is the file. A new kind of file is one more line in `FILE_NAMES`.
#![no_main]

use agentlint::Linter;
use agentlint::report::{github, human, json, sarif};
use libfuzzer_sys::fuzz_target;

/// One name per kind of file the loader knows (chosen by path), and a few spellings. The
/// seeds (fuzz/seed.py) pick the name of their own kind by its index here.
const FILE_NAMES: &[&str] = &[
    "agent.yaml",
    "agent.yml",
    "agent.json",
    "agents/ci.agent.yaml",
    "agentlint.json",
    ".claude/settings.json",
    ".claude/settings.local.json",
    "managed-settings.json",
    ".mcp.json",
    ".claude/agents/reviewer.md",
    ".claude/commands/deploy.md",
    "skills/release/SKILL.md",
    "lib/my_app/agent.ex",
    "agent.py",
    "agent.ts",
    "scripts/review.sh",
    ".github/workflows/review.yml",
    "Makefile",
    "Dockerfile",
    "package.json",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = FILE_NAMES[usize::from(pick) % FILE_NAMES.len()];
    let mut reports = [Linter::default().check_bytes(name, bytes.to_vec())];
    agentlint::output::clean_reports(&mut reports);
    let _ = human::render(&reports, human::HumanOptions::default());
    let _ = json::render(&reports);
    let _ = sarif::render_with_base(&reports, None);
    let _ = github::render(&reports);
});
