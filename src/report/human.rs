//! Human output: miette diagnostics with the source snippet, the span underlined
//! and labelled, related labels and a help line; then a one-line summary.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, NamedSource,
    SourceCode, SourceSpan, SpanContents,
};

use super::{FileReport, Finding, Severity, Summary};
use crate::output::{OffsetMap, escape_unsafe_mapped};

/// Rendering settings.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    /// Wrap width; fixed (not the terminal's) so output is reproducible.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        Self { color: false, width: 100 }
    }
}

/// Renders every finding of every file, each followed by a blank line.
pub fn render(reports: &[FileReport], options: HumanOptions) -> String {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(options.width).with_links(false);
    let mut out = String::new();
    for report in reports {
        // Snippets show the source with credentials masked and control characters escaped;
        // the escapes lengthen the text, so label spans move with them.
        let (text, offsets) = escape_unsafe_mapped(&report.display_text());
        let has_text = !text.is_empty();
        let source = CharColumns(NamedSource::new(&report.source.path, text).with_language("yaml"));
        // Suppressed findings are for audits (JSON, SARIF); the summary line counts them.
        for finding in report.findings.iter().filter(|f| f.suppressed.is_none()) {
            let diagnostic = FindingDiagnostic {
                finding,
                source: (has_text && fits_snippet(report, finding)).then_some(&source),
                path: &report.source.path,
                offsets: &offsets,
            };
            if handler.render_report(&mut out, &diagnostic).is_err() {
                out.push_str(&format!("{}: {}\n", finding.rule.id, finding.message));
            }
            out.push('\n');
        }
    }
    out
}

/// Lines longer than this many bytes are not shown: a finding on one (or next to one, as
/// snippets show a line of context) is shown with its position only. Minified JSON has lines
/// of megabytes, and the renderer cannot underline past column 65,535.
pub const MAX_SNIPPET_LINE: usize = 1000;

/// Whether every line a finding's snippet would show is short enough to show.
fn fits_snippet(report: &FileReport, finding: &Finding) -> bool {
    let text = &report.source.text;
    let lines = &report.source.lines;
    std::iter::once(&finding.location).chain(finding.related.iter().map(|r| &r.location)).all(|l| {
        (l.line.saturating_sub(1).max(1)..=l.end_line + 1)
            .all(|n| lines.line_range(text, n).is_none_or(|r| r.len() <= MAX_SNIPPET_LINE))
    })
}

/// The summary line: `2 errors, 1 warning in 1 file`.
pub fn summary_line(reports: &[FileReport]) -> String {
    Summary::of(reports).to_string()
}

/// The source as miette reads it, except that columns count characters, as in every other
/// output (miette counts bytes, so `ü` would move the `[file:line:column]` header by two).
struct CharColumns(NamedSource<String>);

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.0.read_span(span, context_lines_before, context_lines_after)?;
        let text = self.0.inner().as_str();
        let start = contents.span().offset();
        let column = text.get(..start).map_or(contents.column(), |before| {
            before.rfind(['\n', '\r']).map_or(before, |i| &before[i + 1..]).chars().count()
        });
        let mut chars = MietteSpanContents::new_named(
            self.0.name().to_owned(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        );
        if let Some(language) = contents.language() {
            chars = chars.with_language(language);
        }
        Ok(Box::new(chars))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<&'a CharColumns>,
    path: &'a str,
    offsets: &'a OffsetMap,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source.is_none() {
            let l = &self.finding.location;
            write!(f, "{}\n{}:{}:{}", self.finding.message, self.path, l.line, l.column)
        } else {
            f.write_str(&self.finding.message)
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.finding.rule.id, self.finding.rule.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        let f = self.finding;
        let span = |s: crate::document::Span| self.offsets.map(s.start)..self.offsets.map(s.end);
        let primary = LabeledSpan::new_primary_with_span(f.label.clone(), span(f.location.span));
        let related =
            f.related.iter().map(move |r| LabeledSpan::new_with_span(Some(r.message.clone()), span(r.location.span)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}
