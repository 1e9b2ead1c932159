//! `--statistics`: how many unsuppressed findings each rule produced, most first (then by
//! rule id), as a table or as JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::FileReport;
use crate::rules::RuleMeta;

#[derive(Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub name: &'static str,
    pub count: usize,
}

/// The counts, most findings first, then by rule id.
pub fn counts(reports: &[FileReport]) -> Vec<RuleCount> {
    let mut counts: Vec<(&'static RuleMeta, usize)> = Vec::new();
    for f in reports.iter().flat_map(|r| r.active()) {
        match counts.iter_mut().find(|(m, _)| m.id == f.rule.id) {
            Some((_, n)) => *n += 1,
            None => counts.push((f.rule, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(b.0.id)));
    counts.into_iter().map(|(m, count)| RuleCount { rule: m.id, name: m.name, count }).collect()
}

/// `   12  AL104  broad-tool-grant`, one line per rule.
pub fn render_text(reports: &[FileReport]) -> String {
    let counts = counts(reports);
    let count_width = counts.iter().map(|c| c.count.to_string().len()).max().unwrap_or(0);
    let id_width = counts.iter().map(|c| c.rule.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in &counts {
        let _ = writeln!(out, "{:>count_width$}  {:<id_width$}  {}", c.count, c.rule, c.name);
    }
    out
}

/// `[{"rule": "AL104", "name": "broad-tool-grant", "count": 12}, …]` with a trailing newline.
pub fn render_json(reports: &[FileReport]) -> String {
    let mut s = serde_json::to_string_pretty(&counts(reports)).expect("counts serialize");
    s.push('\n');
    s
}
