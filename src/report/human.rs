//! Human output: miette diagnostics with the source snippet, the span underlined
//! and labelled, related labels and a help line; then a one-line summary.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use super::{FileReport, Finding, Severity, Summary};

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
        let text = report.display_text().into_owned();
        let has_text = !text.is_empty();
        let source = NamedSource::new(&report.source.path, text).with_language("yaml");
        // Suppressed findings are for audits (JSON, SARIF); the summary line counts them.
        for finding in report.findings.iter().filter(|f| f.suppressed.is_none()) {
            let diagnostic =
                FindingDiagnostic { finding, source: has_text.then_some(&source), path: &report.source.path };
            if handler.render_report(&mut out, &diagnostic).is_err() {
                out.push_str(&format!("{}: {}\n", finding.rule.id, finding.message));
            }
            out.push('\n');
        }
    }
    out
}

/// The summary line: `2 errors, 1 warning in 1 file`.
pub fn summary_line(reports: &[FileReport]) -> String {
    Summary::of(reports).to_string()
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<&'a NamedSource<String>>,
    path: &'a str,
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

    /// The help line, then related locations in other files (labels cannot point there).
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let elsewhere: Vec<String> = self
            .finding
            .related
            .iter()
            .filter_map(|r| {
                r.file.as_ref().map(|f| format!("{f}:{}:{}: {}", r.location.line, r.location.column, r.message))
            })
            .collect();
        if elsewhere.is_empty() {
            return self.finding.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>);
        }
        let mut text = self.finding.help.clone().map(|h| h + "\n").unwrap_or_default();
        text.push_str(&elsewhere.join("\n"));
        Some(Box::new(text))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        let f = self.finding;
        let primary = LabeledSpan::new_primary_with_span(f.label.clone(), f.location.span.start..f.location.span.end);
        let related =
            f.related.iter().filter(|r| r.file.is_none()).map(|r| {
                LabeledSpan::new_with_span(Some(r.message.clone()), r.location.span.start..r.location.span.end)
            });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}
