//! Concise output: one line per unsuppressed finding, `path:line:column: AL104 message`, as
//! compilers and ruff's `concise` format print them, for `grep`, editors' problem matchers
//! and logs. Columns count characters, as everywhere in agentlint. The summary line follows
//! (see `app::emit`).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::FileReport;

/// One line per unsuppressed finding, in report order.
pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let path = one_line(&report.source.path);
        for f in report.active() {
            let l = &f.location;
            let _ = writeln!(out, "{path}:{}:{}: {} {}", l.line, l.column, f.rule.id, one_line(&f.message));
        }
    }
    out
}

/// Text with its control characters escaped (`\n`, `\u{1b}`), so each finding stays one line
/// and cannot move the terminal's cursor.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(one_line("plain `text` ü"), "plain `text` ü");
        assert_eq!(one_line("a\nb\r\tc\u{1b}[31m"), "a\\nb\\r\\tc\\u{1b}[31m");
    }

    #[test]
    fn one_line_per_active_finding() {
        let mut report =
            Linter::default().check_bytes("dir/a\nb.yaml", b"permission_mode: bypass_permissions\n".to_vec());
        report.findings.retain(|f| f.rule.id == "AL101");
        let mut hidden = report.findings[0].clone();
        hidden.suppressed =
            Some(crate::report::Suppression { kind: crate::report::SuppressionKind::Comment, reason: "ok".into() });
        report.findings.push(hidden);
        let out = render(&[report]);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.starts_with("dir/a\\nb.yaml:1:18: AL101 `permission_mode` is `bypass_permissions`"), "{out}");
    }
}
