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
    al101_permission_mode_not_restrictive::ENTRY,
];

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
