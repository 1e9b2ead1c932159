//! GitHub Actions output: one workflow command per finding, which the runner turns into
//! an annotation on the file and line in the pull request and run summary.
//!
//! `::error file=agents/ci.yaml,line=2,col=18,endLine=2,endColumn=36,title=AL101 permission-mode-not-restrictive::message`
//! Columns (end exclusive) are only sent for one-line spans: GitHub rejects them when the
//! annotation spans several lines. Suppressed findings are not annotated.

use std::fmt::Write as _;

use super::{FileReport, Finding, Severity};

/// One line per unsuppressed finding.
pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for finding in report.active() {
            out.push_str(&command(&report.source.path, finding));
            out.push('\n');
        }
    }
    out
}

fn command(path: &str, f: &Finding) -> String {
    let name = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let l = &f.location;
    let file = if cfg!(windows) { path.replace('\\', "/") } else { path.to_owned() };
    let mut props = format!("file={},line={}", escape_property(&file), l.line);
    if l.line == l.end_line {
        let _ = write!(props, ",col={},endLine={},endColumn={}", l.column, l.end_line, l.end_column);
    } else {
        let _ = write!(props, ",endLine={}", l.end_line);
    }
    let _ = write!(props, ",title={}", escape_property(&format!("{} {}", f.rule.id, f.rule.name)));
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{name} {props}::{}", escape_data(&message))
}

/// The message part: `%`, CR and LF are percent-encoded (`%` first).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: as data, plus `:` and `,`, which delimit properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
    }

    #[test]
    fn multi_line_spans_have_no_columns_and_suppressed_findings_are_skipped() {
        let mut report =
            Linter::default().check_bytes("dir,1/a:b.yaml", b"permission_mode: bypass_permissions\n".to_vec());
        report.findings.retain(|f| f.rule.id == "AL101");
        assert_eq!(report.findings.len(), 1);
        let mut multi = report.findings[0].clone();
        multi.location.end_line = 3;
        multi.location.end_column = 2;
        multi.help = None;
        multi.severity = Severity::Note;
        let mut hidden = report.findings[0].clone();
        hidden.suppressed =
            Some(crate::report::Suppression { kind: crate::report::SuppressionKind::Comment, reason: "ok".into() });
        report.findings.push(multi);
        report.findings.push(hidden);
        let out = render(&[report]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines[0].starts_with("::error file=dir%2C1/a%3Ab.yaml,line=1,col=18,endLine=1,endColumn=36,title=AL101 permission-mode-not-restrictive::`permission_mode` is `bypass_permissions`"), "{}", lines[0]);
        assert!(lines[0].contains("%0Ahelp: set `permission_mode`"), "{}", lines[0]);
        assert!(
            lines[1].starts_with(
                "::notice file=dir%2C1/a%3Ab.yaml,line=1,endLine=3,title=AL101 permission-mode-not-restrictive::"
            ),
            "{}",
            lines[1]
        );
        assert!(!lines[1].contains("help:"), "{}", lines[1]);
    }
}
