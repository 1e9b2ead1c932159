//! The launch encoder: a config loaded and checked, then every agent's launch arguments
//! encoded in each format (shell line, JSON, NUL-separated).
#![no_main]

use agentlint::Linter;
use agentlint::launch::{self, json, nul, shell};
use libfuzzer_sys::fuzz_target;

const FILE_NAMES: &[&str] = &["agent.yaml", "agent.json"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = FILE_NAMES[usize::from(pick) % FILE_NAMES.len()];
    let (config, findings) = agentlint::config::load_bytes(name, bytes.to_vec());
    let _ = Linter::default().lint(&config, findings);
    for agent in &config.agents {
        if let Ok(spec) = launch::launch_spec(agent) {
            let _ = shell::render(&spec);
            let _ = json::render(&spec);
            let _ = nul::render(&spec);
        }
    }
});
