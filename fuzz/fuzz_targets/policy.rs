//! The policy loader: a policy pack or a project configuration, loaded as a run loads it, then
//! a fixed agent config checked with the policy it gives (custom CEL rules included), and the
//! findings about the policy rendered.
//!
//! The first byte picks whether the input is a pack (`--policy pack.yaml`), a JSON pack, or a
//! project configuration (`.agentlint.yaml`); the rest is the file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use agentlint::policy::Resolver;
use agentlint::report::human;
use libfuzzer_sys::fuzz_target;

const AGENT: &[u8] = include_bytes!("../../fixtures/hardened.yaml");

/// A directory of its own (a repository root) for the files of each run, made once. Paths
/// into it are absolute: the working directory stays libFuzzer's (corpus paths are relative).
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("agentlint-fuzz-policy-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".git")).expect("temporary directory");
        std::fs::write(dir.join("base.yaml"), "name: base\nextends: ci\nrules:\n  AL104: error\n").expect("write");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let dir = dir();
    let (file, as_policy) = match pick % 3 {
        0 => ("pack.yaml", true),
        1 => ("pack.json", true),
        _ => (".agentlint.yaml", false),
    };
    let _ = std::fs::remove_file(dir.join(".agentlint.yaml"));
    let path = dir.join(file);
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let path = path.to_string_lossy().into_owned();
    let (policy, config) = if as_policy { (Some(path.as_str()), None) } else { (None, Some(path.as_str())) };
    let Ok(mut resolver) = Resolver::new(policy, config) else { return };
    let agent = dir.join("agent.yaml").to_string_lossy().into_owned();
    if let Some(policy) = resolver.policy_for_file(&agent)
        && !resolver.has_errors()
    {
        let _ = policy.linter.check_bytes("agent.yaml", AGENT.to_vec());
    }
    let mut reports = resolver.into_reports();
    agentlint::output::clean_reports(&mut reports);
    let _ = human::render(&reports, human::HumanOptions::default());
});
