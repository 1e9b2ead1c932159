//! JSON output: a documented, versioned contract (see README "JSON output"),
//! kept apart from the internal [`Finding`] type so internals can change freely.

use serde::Serialize;

use super::{FileReport, Finding, Location, Summary};
use crate::output::Finished;

/// Bumped only on incompatible changes to the shape below.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub tool: Tool,
    pub findings: Vec<JsonFinding<'a>>,
    pub summary: JsonSummary,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub file: &'a str,
    /// The file's kind (`deployment`, `settings`, `mcp`, `subagent`, `command`, `skill`), or
    /// `policy` for a policy pack or project configuration.
    pub kind: &'static str,
    /// For settings and MCP files: `user`, `project`, `local` or `managed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'static str>,
    pub agent: Option<&'a str>,
    pub pointer: Option<&'a str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte offsets of the span: `[start, end)`.
    pub span: Span,
    pub related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<JsonSuppressed<'a>>,
}

#[derive(Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Serialize)]
pub struct JsonRelated<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: &'a str,
}

#[derive(Serialize)]
pub struct JsonSuppressed<'a> {
    pub reason: &'a str,
}

#[derive(Serialize)]
pub struct JsonSummary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
}

impl<'a> JsonReport<'a> {
    pub fn new(reports: &'a [FileReport]) -> Self {
        let findings = reports.iter().flat_map(|r| r.findings.iter().map(move |f| finding(r, f))).collect();
        Self::with(findings, &Summary::of(reports))
    }

    fn with(findings: Vec<JsonFinding<'a>>, s: &Summary) -> Self {
        JsonReport {
            version: FORMAT_VERSION,
            tool: Tool { name: "agentlint", version: env!("CARGO_PKG_VERSION") },
            findings,
            summary: JsonSummary {
                files: s.files,
                errors: s.errors,
                warnings: s.warnings,
                notes: s.notes,
                suppressed: s.suppressed,
            },
        }
    }
}

fn finding<'a>(report: &'a FileReport, f: &'a Finding) -> JsonFinding<'a> {
    let file = report.source.path.as_str();
    let Location { span, line, column, end_line, end_column, pointer } = &f.location;
    JsonFinding {
        rule: f.rule.id,
        name: f.rule.name,
        severity: f.severity.as_str(),
        message: &f.message,
        help: f.help.as_deref(),
        file,
        kind: report.kind.map_or("policy", |k| k.kind.name()),
        scope: report.kind.and_then(|k| k.scope).map(|s| s.name()),
        agent: f.agent.as_deref(),
        pointer: pointer.as_deref(),
        line: *line,
        column: *column,
        end_line: *end_line,
        end_column: *end_column,
        span: Span { start: span.start, end: span.end },
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                file: r.file.as_deref().unwrap_or(file),
                line: r.location.line,
                column: r.location.column,
                end_line: r.location.end_line,
                end_column: r.location.end_column,
                message: &r.message,
            })
            .collect(),
        suppressed: f.suppressed.as_ref().map(|s| JsonSuppressed { reason: &s.reason }),
    }
}

/// Pretty JSON with a trailing newline.
pub fn render(reports: &[FileReport]) -> String {
    let mut s = serde_json::to_string_pretty(&JsonReport::new(reports)).expect("report serializes");
    s.push('\n');
    s
}

// The same document written piece by piece, for a run too large to hold (`check` writes each
// finding as its file is checked): `stream_header`, then `stream_finding` for each finding,
// then `stream_footer`. The bytes are those of [`render`]; a test holds them equal.

/// The report up to the opening `[` of `findings`.
pub fn stream_header() -> String {
    let (head, _) = split_empty(&Summary::default());
    head
}

/// Appends one finding to `out`, indented as inside the `findings` array, with the separator
/// before it. The finding goes through the output step on its own (a complete JSON value), so
/// it can be written at once.
pub fn stream_finding(out: &mut Finished, report: &FileReport, f: &Finding, first: bool) {
    let object = serde_json::to_string_pretty(&finding(report, f)).expect("finding serializes");
    let object = Finished::new(&object, crate::output::Kind::Json);
    out.push_indented(if first { "\n" } else { ",\n" }, "    ", &object);
}

/// The closing `]` of `findings` after `written` findings, the summary and the end.
pub fn stream_footer(summary: &Summary, written: usize) -> String {
    let (_, tail) = split_empty(summary);
    if written == 0 { format!("]{tail}") } else { format!("\n  ]{tail}") }
}

/// The report without findings, split around the `[]` of `findings`: (text up to and with
/// `[`, text after `]`).
fn split_empty(summary: &Summary) -> (String, String) {
    let mut empty = serde_json::to_string_pretty(&JsonReport::with(Vec::new(), summary)).expect("report serializes");
    empty.push('\n');
    let at = empty.find("\"findings\": []").expect("findings key") + "\"findings\": [".len();
    (empty[..at].to_owned(), empty[at + 1..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Linter;

    /// Streamed pieces, joined, are the document [`render`] makes, with and without findings.
    #[test]
    fn streamed_pieces_are_the_rendered_report() {
        let linter = Linter::default();
        let with_findings = vec![
            linter.check_bytes("a.yaml", b"permission_mode: bypassPermissions\nallowed_tools: [Bash]\n".to_vec()),
            linter.check_bytes("b.yaml", b"permission_mode: plan\n".to_vec()),
        ];
        let clean = vec![linter.check_bytes("fixtures/hardened.yaml", Vec::new())];
        for reports in [Vec::new(), with_findings, clean] {
            let summary = Summary::of(&reports);
            let mut streamed = stream_header();
            let mut written = 0;
            let mut findings = Finished::default();
            for report in &reports {
                for f in &report.findings {
                    stream_finding(&mut findings, report, f, written == 0);
                    written += 1;
                }
            }
            streamed.push_str(findings.as_str());
            streamed.push_str(&stream_footer(&summary, written));
            assert_eq!(streamed, render(&reports));
        }
    }
}
