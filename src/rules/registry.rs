//! The catalogue: one line per rule, in id order.

use super::*;

macro_rules! structural {
    ($meta:path) => {
        RuleEntry {
            meta: &$meta,
            build: |p| {
                no_params(p)?;
                Ok(Box::new(Structural(&$meta)))
            },
        }
    };
}

pub static REGISTRY: &[RuleEntry] = &[
    structural!(al001_syntax_error::META),
    structural!(al002_duplicate_key::META),
    structural!(al003_unknown_key::META),
    structural!(al004_invalid_value::META),
    al005_option_not_literal::ENTRY,
    structural!(al006_suppression_without_reason::META),
    structural!(al007_unused_suppression::META),
    structural!(al008_ignored_setting::META),
    al009_local_settings_committed::ENTRY,
    // Reported by `check` for a pack's `tests:` (effective::policy_tests).
    structural!(al010_policy_test_failed::META),
    al101_permission_mode_not_restrictive::ENTRY,
    al102_permission_checks_bypassed::ENTRY,
    al103_allowed_tools_missing::ENTRY,
    al104_broad_tool_grant::ENTRY,
    al105_invalid_permission_rule::ENTRY,
    al106_conflicting_tool_rules::ENTRY,
    al107_mode_tool_mismatch::ENTRY,
    al108_dangerous_commands_not_denied::ENTRY,
    al109_non_reading_tool_grant::ENTRY,
    al110_subagent_inherits_all_tools::ENTRY,
    al201_max_turns_missing::ENTRY,
    al202_max_budget_missing::ENTRY,
    al301_hardcoded_api_key::ENTRY,
    al302_secret_in_config::ENTRY,
    al401_sandbox_not_enabled::ENTRY,
    al402_sandbox_escape_hatch::ENTRY,
    al403_unrestricted_network::ENTRY,
    al404_unscoped_directory_access::ENTRY,
    al405_implicit_setting_sources::ENTRY,
    al406_settings_file_with_sandbox::ENTRY,
    al407_sandbox_fails_open::ENTRY,
    al501_session_persistence_enabled::ENTRY,
    al502_audit_hook_missing::ENTRY,
    al503_hook_remote_script::ENTRY,
    // Reported by the effective check (effective::check).
    structural!(al504_repository_hook::META),
    al601_fallback_model_same_as_model::ENTRY,
    al602_session_id_without_fork::ENTRY,
    al603_session_id_not_uuid::ENTRY,
    al604_resume_not_uuid::ENTRY,
    al605_agent_not_defined::ENTRY,
    al606_extra_arg_rejected::ENTRY,
    al607_extra_arg_widens_agent::ENTRY,
    al608_option_unknown_to_cli::ENTRY,
    al701_mcp_literal_credential::ENTRY,
    al702_mcp_unpinned_package::ENTRY,
    al703_mcp_insecure_transport::ENTRY,
    al704_mcp_remote_script::ENTRY,
    al705_project_mcp_auto_approved::ENTRY,
];

/// Rules that are off unless a policy turns them on (`Linter::default()` and the `production`
/// pack leave them off): they encode a stricter stance that suits only some deployments.
pub static OPT_IN: &[&str] = &["AL109"];

/// Looks a rule up by id (`AL104`, case-insensitive) or name (`broad-tool-grant`).
pub fn find_rule(id_or_name: &str) -> Option<&'static RuleEntry> {
    REGISTRY.iter().find(|e| e.meta.id.eq_ignore_ascii_case(id_or_name) || e.meta.name == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_sorted() {
        let ids: Vec<_> = REGISTRY.iter().map(|e| e.meta.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "registry must be sorted by id with no duplicates");
        let mut names: Vec<_> = REGISTRY.iter().map(|e| e.meta.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), REGISTRY.len());
    }

    #[test]
    fn every_rule_is_documented() {
        for e in REGISTRY {
            for section in
                ["## What it checks", "## Why it matters", "## Failing example", "## Passing example", "## How to fix"]
            {
                assert!(e.meta.docs.contains(section), "{} lacks {section}", e.meta.id);
            }
            let built = (e.build)(&serde_json::Value::Null).unwrap_or_else(|err| panic!("{}: {err:?}", e.meta.id));
            assert_eq!(built.meta().id, e.meta.id);
        }
    }
}
