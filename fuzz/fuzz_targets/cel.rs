//! CEL custom rules: compile an `assert` expression, check its references, and evaluate it
//! against a config, within the evaluation budget.
//!
//! The input is the expression, a NUL byte, and the config as JSON (a fixed config when the
//! rest is missing or not JSON).
#![no_main]

use agentlint::policy::cel::CelAssertion;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (source, config) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(source) = std::str::from_utf8(source) else { return };
    let config: serde_json::Value = serde_json::from_slice(config).unwrap_or_else(|_| {
        serde_json::json!({
            "permission_mode": "dont_ask",
            "allowed_tools": ["Read", "Grep", "Bash(cargo test:*)"],
            "disallowed_tools": ["Bash(rm:*)"],
            "max_turns": 20,
            "max_budget_usd": 2.5,
            "env": {"A": "b"},
        })
    });
    let Ok(assertion) = CelAssertion::compile(source) else { return };
    let _ = assertion.check_references();
    let _ = assertion.evaluate(&config, "ci", "agents/ci.yaml");
});
