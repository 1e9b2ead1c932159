//! Generated files must match what the code generates. Run with `AGENTLINT_BLESS=1`
//! to rewrite them after an intended change.

mod common;

use common::check_generated;

#[test]
fn config_schema_is_fresh() {
    check_generated("schemas/agent-config.schema.json", &agentlint::config::schema::to_pretty_string());
}

#[test]
fn rules_docs_are_fresh() {
    check_generated("docs/rules.md", &agentlint::rules::docs::markdown(agentlint::rules::REGISTRY));
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let run = common::agentlint(&["schema"]);
    assert_eq!(run.code, 0);
    let committed =
        std::fs::read_to_string(std::path::Path::new(common::root()).join("schemas/agent-config.schema.json")).unwrap();
    assert_eq!(run.stdout, committed);
}

/// The hardened example validates against the committed schema with an independent
/// validator, the way an editor would use it.
#[test]
fn hardened_example_validates_against_the_committed_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(std::path::Path::new(common::root()).join("schemas/agent-config.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    for file in ["fixtures/hardened.yaml", "fixtures/hardened-single.yaml"] {
        let text = std::fs::read_to_string(std::path::Path::new(common::root()).join(file)).unwrap();
        let value: serde_json::Value = yaml_serde::from_str(&text).unwrap();
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
    let bad: serde_json::Value = serde_json::json!({"permissionMode": "plan", "max_turn": 3});
    assert!(!validator.is_valid(&bad), "unknown keys are rejected, aliases accepted");
    assert!(validator.is_valid(&serde_json::json!({"permissionMode": "plan", "maxTurns": 3})));
}
