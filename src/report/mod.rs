//! Findings and how they are rendered. Rules produce [`Finding`]s; the renderers
//! (one module per output format) only read them.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::document::{Node, SourceFile, Span};
use crate::rules::RuleMeta;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved place in a file: byte span plus 1-based line/column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// JSON pointer of the key or value in the document, when the span is one.
    pub pointer: Option<String>,
}

impl Location {
    /// Resolves a span once: line/column from the file's line index, pointer from the tree.
    pub fn new(source: &SourceFile, root: Option<&Node>, span: Span) -> Self {
        let (line, column) = source.lines.position(&source.text, span.start);
        let (end_line, end_column) = source.lines.position(&source.text, span.end);
        let pointer = root.and_then(|r| r.pointer_of_span(span));
        Self { span, line, column, end_line, end_column, pointer }
    }
}

/// A secondary location with its own label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
    /// The file it is in, when that is not the finding's own file (what pulled a settings file
    /// into an effective session, `agentlint check --effective`).
    pub file: Option<String>,
}

/// Why a finding was silenced (suppression comment or project-config ignore entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
}

/// Where a suppression is written; SARIF reports it as `inSource` or `external`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// A suppression comment in the checked file itself.
    Comment,
    /// An ignore entry in the project configuration or a policy, outside the checked file.
    Config,
}

/// One problem found in one file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    /// Short label shown under the underlined span.
    pub label: Option<String>,
    /// What to write instead.
    pub help: Option<String>,
    /// The agent the finding is about, in files with several agents.
    pub agent: Option<String>,
    pub location: Location,
    pub related: Vec<Related>,
    pub suppressed: Option<Suppression>,
}

impl Finding {
    /// A finding at the rule's default severity.
    pub fn new(rule: &'static RuleMeta, location: Location, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity,
            message: message.into(),
            label: None,
            help: None,
            agent: None,
            location,
            related: Vec::new(),
            suppressed: None,
        }
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related { location, message: message.into(), file: None });
        self
    }

    /// A related location in another file.
    pub fn related_in(mut self, file: impl Into<String>, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related { location, message: message.into(), file: Some(file.into()) });
        self
    }
}

/// Everything found in one file.
#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    /// What kind of file it is; `None` for a policy pack or project configuration.
    pub kind: Option<crate::kinds::FileKind>,
    pub findings: Vec<Finding>,
    /// Byte ranges to mask whenever the source is displayed (credentials).
    pub redactions: Vec<std::ops::Range<usize>>,
}

impl FileReport {
    /// The source text with every credential masked, for snippets.
    pub fn display_text(&self) -> std::borrow::Cow<'_, str> {
        crate::secrets::mask_text(&self.source.text, &crate::secrets::scan(&self.source.text), &self.redactions)
    }

    /// Frees the source text and its line index once nothing will show a snippet of it: every
    /// location is already resolved, and a run over 100,000 files must not hold them all.
    pub fn release_source(&mut self) {
        self.source.text = String::new();
        self.source.lines = crate::document::LineIndex::new("");
        self.redactions = Vec::new();
    }

    /// Findings that count toward the exit code.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }
}

/// Counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        Self::of_findings(reports.iter().flat_map(|r| &r.findings), reports.len())
    }

    /// Counts over findings from `files` files.
    pub fn of_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>, files: usize) -> Self {
        let mut s = Summary { files, ..Summary::default() };
        for f in findings {
            if f.suppressed.is_some() {
                s.suppressed += 1;
                continue;
            }
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }

    /// Adds the counts of another part of the run.
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.notes += other.notes;
        self.suppressed += other.suppressed;
    }

    /// The worst unsuppressed severity, if any finding remains.
    pub fn worst(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else if self.notes > 0 {
            Some(Severity::Note)
        } else {
            None
        }
    }
}

impl fmt::Display for Summary {
    /// `2 errors, 1 warning in 1 file`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn plural(n: usize, word: &str) -> String {
            format!("{n} {word}{}", if n == 1 { "" } else { "s" })
        }
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(plural(self.errors, "error"));
        }
        if self.warnings > 0 {
            parts.push(plural(self.warnings, "warning"));
        }
        if self.notes > 0 {
            parts.push(plural(self.notes, "note"));
        }
        if parts.is_empty() {
            parts.push("no problems".into());
        }
        write!(f, "{} in {}", parts.join(", "), plural(self.files, "file"))?;
        if self.suppressed > 0 {
            write!(f, " ({} suppressed)", self.suppressed)?;
        }
        Ok(())
    }
}
