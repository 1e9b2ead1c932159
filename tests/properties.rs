//! Property tests: no input makes the loader, the rules or the renderers panic.

use agentlint::Linter;
use agentlint::report::{human, json};
use proptest::prelude::*;

fn check_all_formats(path: &str, bytes: Vec<u8>) {
    let linter = Linter::default();
    let report = linter.check_bytes(path, bytes);
    let reports = [report];
    let _ = human::render(&reports, human::HumanOptions::default());
    let _ = json::render(&reports);
}

/// Tokens that make YAML interesting: indicators, anchors, merge keys, option names, odd scalars.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just(": ".to_owned()),
        Just("- ".to_owned()),
        Just("\n".to_owned()),
        Just("\n  ".to_owned()),
        Just("\n    ".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(", ".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("<<: ".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("# c".to_owned()),
        Just("---".to_owned()),
        Just("|".to_owned()),
        Just("agents".to_owned()),
        Just("defaults".to_owned()),
        Just("permission_mode".to_owned()),
        Just("allowed_tools".to_owned()),
        Just("allowedTools".to_owned()),
        Just("sandbox".to_owned()),
        Just("network".to_owned()),
        Just("env".to_owned()),
        Just("hooks".to_owned()),
        Just("PostToolUse".to_owned()),
        Just("max_turns".to_owned()),
        Just("Bash(git:*)".to_owned()),
        Just("mcp__*".to_owned()),
        Just("${ANTHROPIC_API_KEY}".to_owned()),
        Just("sk-ant-api03-".to_owned()),
        Just("é".to_owned()),
        Just("0x1f".to_owned()),
        Just("-.inf".to_owned()),
        Just("~".to_owned()),
        "[a-z_]{1,8}",
        "[0-9]{1,4}",
    ];
    prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all_formats("input.yaml", bytes.clone());
        check_all_formats("input.json", bytes);
    }

    #[test]
    fn yamlish_text_never_panics(text in yamlish()) {
        check_all_formats("agent.yaml", text.clone().into_bytes());
        check_all_formats("agent.json", text.into_bytes());
    }

    #[test]
    fn json_shaped_text_never_panics(text in r#"[\{\}\[\]",:0-9a-z \n\\]{0,200}"#) {
        check_all_formats("agent.json", text.into_bytes());
    }
}
