//! Rule documentation rendered for the terminal (`agentlint rules`, `agentlint explain`)
//! and as the `docs/rules.md` page, all from each rule's own metadata.

use std::fmt::Write as _;

use super::RuleEntry;

/// `agentlint rules`: id, name, default severity, summary.
pub fn catalogue_table(entries: &[RuleEntry]) -> String {
    let name_width = entries.iter().map(|e| e.meta.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for e in entries {
        let m = e.meta;
        let _ = writeln!(out, "{}  {:<name_width$}  {:<7}  {}", m.id, m.name, m.severity.as_str(), m.summary);
    }
    out
}

/// `deployment, settings, subagent`: the kinds of file a rule runs on.
pub fn kinds(meta: &super::RuleMeta) -> String {
    if meta.kinds.len() == crate::kinds::Kind::ALL.len() {
        return "every kind".into();
    }
    crate::kinds::rule_kinds(meta.kinds).iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

/// `agentlint explain AL104`.
pub fn explain(entry: &RuleEntry) -> String {
    let m = entry.meta;
    let mut out =
        format!("{} {}\ndefault severity: {}\napplies to: {}\n\n{}\n\n", m.id, m.name, m.severity, kinds(m), m.summary);
    for line in m.docs.trim_end().lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let _ = writeln!(out, "{}\n{}", heading.to_uppercase(), "-".repeat(heading.len()));
        } else if line.starts_with("```") {
            continue;
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// The whole `docs/rules.md` page.
pub fn markdown(entries: &[RuleEntry]) -> String {
    let mut out = String::from(
        "# agentlint rules\n\n<!-- Generated from the rule sources by `cargo test` (AGENTLINT_BLESS=1 rewrites it); do not edit. -->\n\n| id | name | default severity | applies to | summary |\n|---|---|---|---|---|\n",
    );
    for e in entries {
        let m = e.meta;
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} |",
            m.id,
            m.id.to_lowercase(),
            m.name,
            m.severity,
            kinds(m),
            m.summary.replace('|', "\\|")
        );
    }
    for e in entries {
        let m = e.meta;
        let _ = write!(
            out,
            "\n## {}\n\n`{}` · default severity: **{}** · applies to: {}\n\n{}\n",
            m.id,
            m.name,
            m.severity,
            kinds(m),
            m.summary
        );
        for line in m.docs.trim_end().lines() {
            match line.strip_prefix("## ") {
                Some(h) => {
                    let _ = writeln!(out, "\n### {h}\n");
                }
                None => {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
    }
    out
}
