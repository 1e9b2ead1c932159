//! GitLab Code Quality report: the JSON array GitLab reads from a job's
//! `artifacts:reports:codequality` file and shows in the merge request widget and diff.
//!
//! One issue per unsuppressed finding: `description` (`AL104: message`), `check_name` (the
//! rule id), `severity` (`major` for errors, `minor` for warnings, `info` for notes),
//! `location.path` (the path as given, relative to the directory agentlint ran in, which
//! should be the repository root), `location.lines.begin`/`end`, and a `fingerprint`.
//! GitLab compares fingerprints between the merge request and its target branch to tell new
//! findings from fixed ones, so a fingerprint leaves out line numbers (moving a key does not
//! make its finding new): it is a SHA-256 prefix of the rule, path and message, and the
//! number of earlier findings with the same three, which keeps it unique.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{FileReport, Finding, Severity};

#[derive(Serialize)]
pub struct Issue {
    pub description: String,
    pub check_name: &'static str,
    pub fingerprint: String,
    pub severity: &'static str,
    pub location: Location,
}

#[derive(Serialize)]
pub struct Location {
    pub path: String,
    pub lines: Lines,
}

#[derive(Serialize)]
pub struct Lines {
    pub begin: usize,
    pub end: usize,
}

/// GitLab's scale is `info`, `minor`, `major`, `critical`, `blocker`.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

/// The issues of every unsuppressed finding, in report order.
pub fn issues(reports: &[FileReport]) -> Vec<Issue> {
    let mut seen: HashMap<(String, &str, &str), usize> = HashMap::new();
    let mut out = Vec::new();
    for report in reports {
        let path = path(&report.source.path);
        for f in report.active() {
            let n = seen.entry((path.clone(), f.rule.id, f.message.as_str())).or_default();
            out.push(issue(&path, f, *n));
            *n += 1;
        }
    }
    out
}

fn issue(path: &str, f: &Finding, occurrence: usize) -> Issue {
    let mut hash = Sha256::new();
    for part in [f.rule.id, path, &f.message, &occurrence.to_string()] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let fingerprint = hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    Issue {
        description: format!("{}: {}", f.rule.id, f.message),
        check_name: f.rule.id,
        fingerprint,
        severity: severity(f.severity),
        location: Location {
            path: path.to_owned(),
            lines: Lines { begin: f.location.line, end: f.location.end_line.max(f.location.line) },
        },
    }
}

/// The path with `/` separators and without a leading `./`, as GitLab matches it against the
/// repository's files.
fn path(path: &str) -> String {
    let path = if cfg!(windows) { path.replace('\\', "/") } else { path.to_owned() };
    let mut rest = path.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    rest.to_owned()
}

/// The report: a pretty-printed JSON array with a trailing newline (`[]` when nothing was found).
pub fn render(reports: &[FileReport]) -> String {
    let mut s = serde_json::to_string_pretty(&issues(reports)).expect("issues serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    #[test]
    fn fingerprints_are_unique_and_ignore_line_numbers() {
        let lint = |path: &str, text: &str| Linter::default().check_bytes(path, text.as_bytes().to_vec());
        let a = lint("./agents/a.yaml", "permission_mode: bypass_permissions\n");
        let moved = lint("agents/a.yaml", "# moved down\n\npermission_mode: bypass_permissions\n");
        let fingerprint = |issues: &[Issue], rule: &str| {
            issues.iter().find(|i| i.check_name == rule).map(|i| i.fingerprint.clone()).unwrap()
        };
        let (before, after) = (issues(&[a]), issues(&[moved]));
        assert_eq!(before[0].location.path, "agents/a.yaml");
        assert_eq!(fingerprint(&before, "AL101"), fingerprint(&after, "AL101"));
        assert_eq!(fingerprint(&before, "AL101").len(), 32);
        let mut all: Vec<String> = before.iter().map(|i| i.fingerprint.clone()).collect();
        // The same finding twice in one file still gets two fingerprints.
        let mut twice = lint("agents/a.yaml", "permission_mode: bypass_permissions\n");
        let copy = twice.findings[0].clone();
        twice.findings.push(copy);
        all.extend(issues(&[twice]).iter().map(|i| i.fingerprint.clone()));
        let unique: std::collections::BTreeSet<&String> = all[before.len()..].iter().collect();
        assert_eq!(unique.len(), all.len() - before.len());
    }
}
