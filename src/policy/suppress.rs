//! Suppressions: `# agentlint: ignore[RULE, ...] <reason>` comments in YAML files (and in the
//! comment syntax of program source and shell: `// agentlint: ignore[…] <reason>` in TypeScript),
//! and `ignore` entries of the project configuration (for JSON files, which have no comments).
//!
//! A comment silences findings of the named rules on its own line and on the next line
//! that is not blank or a comment ("the line above"), so several suppression comments
//! can be stacked above one line. A comment without a reason silences nothing and is
//! reported (AL006); a suppression that silences nothing is reported (AL007), unless
//! the policy turns its rule off. Suppressed findings stay in the report, marked, and do
//! not count toward the exit code.
//!
//! saphyr does not expose comments, so they are found in the text: a `#` at the start of
//! a line or after a space or tab, outside every scalar. Scalars' extents come from the
//! parser's events, so a `#` inside a quoted or block scalar is never taken for a comment.
//! Limits: only comments whose text starts with `agentlint:` are considered, and files
//! that do not parse (AL001) get no comment suppressions.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use globset::GlobMatcher;
use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::config::LoadedConfig;
use crate::document::{Format, Span};
use crate::lint::{Linter, RuleLevel};
use crate::report::{Finding, Location, Suppression, SuppressionKind};
use crate::rules::RuleMeta;

pub use crate::rules::{SUPPRESSION_WITHOUT_REASON as NO_REASON, UNUSED_SUPPRESSION as UNUSED};

/// An `ignore` entry of a project configuration, compiled.
pub struct IgnoreEntry {
    pub rule: &'static RuleMeta,
    glob: GlobMatcher,
    /// The glob as written.
    pub path: String,
    pub pointer: Option<String>,
    pub reason: String,
    /// The configuration's directory (absolute): `path` is relative to it.
    base: PathBuf,
    /// The configuration file (an index into the resolver's files) and the entry's span in it.
    pub(crate) config_file: usize,
    pub(crate) span: Span,
    matched: AtomicBool,
    used: AtomicBool,
}

impl IgnoreEntry {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        rule: &'static RuleMeta,
        glob: GlobMatcher,
        path: String,
        pointer: Option<String>,
        reason: String,
        base: PathBuf,
        config_file: usize,
        span: Span,
    ) -> Self {
        Self {
            rule,
            glob,
            path,
            pointer,
            reason,
            base,
            config_file,
            span,
            matched: AtomicBool::new(false),
            used: AtomicBool::new(false),
        }
    }

    /// True when `path` matched a file checked in this run.
    pub fn matched(&self) -> bool {
        self.matched.load(Ordering::Relaxed)
    }

    /// True when the entry silenced a finding in this run.
    pub fn used(&self) -> bool {
        self.used.load(Ordering::Relaxed)
    }

    /// Does the glob match the checked file (as shown, relative to the current directory)?
    fn matches_file(&self, shown: &str) -> bool {
        let Ok(abs) = std::path::absolute(shown) else { return false };
        let abs = super::normalize(&abs);
        match abs.strip_prefix(&self.base) {
            Ok(relative) => self.glob.is_match(relative.to_string_lossy().replace('\\', "/")),
            Err(_) => false,
        }
    }

    fn matches_pointer(&self, pointer: Option<&str>) -> bool {
        match (&self.pointer, pointer) {
            (None, _) => true,
            (Some(want), Some(have)) => {
                have == want || have.strip_prefix(want.as_str()).is_some_and(|rest| rest.starts_with('/'))
            }
            (Some(_), None) => false,
        }
    }
}

/// One `# agentlint: ...` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: usize,
    /// The comment, from `#` to the end of its text.
    pub span: Span,
    pub body: DirectiveBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectiveBody {
    /// `ignore[A, B] reason`: the rules as written with their spans, and the reason if any.
    Ignore { rules: Vec<(String, Span)>, reason: Option<String> },
    /// Starts with `agentlint:` but is not an `ignore[...]` comment.
    Malformed,
}

/// Applies comment suppressions (YAML) and `ignore` entries to a file's findings, and adds
/// AL006/AL007 findings about the suppressions. Called by the linter after rule levels.
pub fn apply(linter: &Linter, config: &LoadedConfig, findings: &mut Vec<Finding>) {
    let mut extra = Vec::new();
    let yaml = config.source.format == Format::Yaml && !config.kind.kind.is_extracted();
    let yaml = yaml || config.kind.kind == crate::kinds::Kind::Workflow;
    if config.parsed && (yaml || config.comments.is_some()) {
        let text = &config.source.text;
        let mut directives = if yaml { directives(text) } else { Vec::new() };
        let comments = config.comments.as_deref().unwrap_or_default();
        for d in comment_directives(text, comments) {
            if !directives.iter().any(|seen| seen.span.start == d.span.start) {
                directives.push(d);
            }
        }
        directives.sort_by_key(|d| d.span.start);
        // Most files have no directive, and then no need of their code lines.
        let code_lines = match (directives.is_empty(), yaml) {
            (true, _) => Vec::new(),
            (false, true) => code_lines(text),
            (false, false) => code_lines_outside(text, comments),
        };
        let locate = |span: Span| Location::new(&config.source, Some(&config.root), span);
        for d in &directives {
            let DirectiveBody::Ignore { rules, reason } = &d.body else {
                extra.push(
                    Finding::new(&UNUSED, locate(d.span), "malformed suppression comment; it silences nothing")
                        .help("write `# agentlint: ignore[RULE] <reason>`, e.g. `# agentlint: ignore[AL104] runs in a throwaway container`"),
                );
                continue;
            };
            let Some(reason) = reason else {
                let ids: Vec<&str> = rules.iter().map(|(r, _)| r.as_str()).collect();
                extra.push(
                    Finding::new(
                        &NO_REASON,
                        locate(d.span),
                        format!("suppression of {} gives no reason, so it silences nothing", ids.join(", ")),
                    )
                    .label("no reason")
                    .help(format!("say why after the bracket: `# agentlint: ignore[{}] <reason>`", ids.join(","))),
                );
                continue;
            };
            let next = code_lines.iter().copied().find(|&l| l > d.line);
            let targets = |line: usize| line == d.line || Some(line) == next;
            for (text, span) in rules {
                let Some(meta) = linter.rule_meta(text) else {
                    let help =
                        linter.suggest(text).unwrap_or_else(|| "`agentlint rules` lists the rule ids and names".into());
                    extra.push(
                        Finding::new(
                            &UNUSED,
                            locate(*span),
                            format!("`{text}` is not a rule; this suppression silences nothing"),
                        )
                        .help(help),
                    );
                    continue;
                };
                let mut used = false;
                for f in findings.iter_mut() {
                    if f.rule.id == meta.id && targets(f.location.line) && !is_about_suppressions(f.rule) {
                        used = true;
                        if f.suppressed.is_none() {
                            f.suppressed = Some(Suppression { kind: SuppressionKind::Comment, reason: reason.clone() });
                        }
                    }
                }
                if !used && linter.level(meta.id) != RuleLevel::Off {
                    let lines = match next {
                        Some(n) => format!("line {} or {n}", d.line),
                        None => format!("line {}", d.line),
                    };
                    extra.push(
                        Finding::new(
                            &UNUSED,
                            locate(*span),
                            format!(
                                "suppression of {} ({}) silences nothing: it has no finding on {lines}",
                                meta.id, meta.name
                            ),
                        )
                        .label("unused")
                        .help("delete the suppression, or move it onto the line of the finding or the line above it"),
                    );
                }
            }
        }
    }
    for entry in linter.ignores() {
        if !entry.matches_file(&config.source.path) {
            continue;
        }
        entry.matched.store(true, Ordering::Relaxed);
        for f in findings.iter_mut() {
            if f.rule.id == entry.rule.id && entry.matches_pointer(f.location.pointer.as_deref()) {
                entry.used.store(true, Ordering::Relaxed);
                if f.suppressed.is_none() {
                    f.suppressed = Some(Suppression { kind: SuppressionKind::Config, reason: entry.reason.clone() });
                }
            }
        }
    }
    for mut f in extra {
        match linter.level(f.rule.id) {
            RuleLevel::Off => continue,
            RuleLevel::Default => {}
            RuleLevel::Fixed(s) => f.severity = s,
        }
        findings.push(f);
    }
}

/// Findings about suppressions cannot themselves be suppressed.
fn is_about_suppressions(rule: &RuleMeta) -> bool {
    rule.id == NO_REASON.id || rule.id == UNUSED.id
}

/// Every `# agentlint:` comment of a YAML text, in order. Empty when the text does not parse.
pub fn directives(text: &str) -> Vec<Directive> {
    // Most files have none: skip the second parse.
    if !text.contains("agentlint:") {
        return Vec::new();
    }
    let Some(scalars) = scalar_extents(text) else { return Vec::new() };
    let mut out = Vec::new();
    let mut line_start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b != b'#' || (i > 0 && !matches!(bytes[i - 1], b' ' | b'\t')) {
                continue;
            }
            let at = line_start + i;
            if scalars.iter().any(|s| s.start <= at && at < s.end) {
                continue;
            }
            let comment = line[i..].trim_end();
            if let Some(d) = parse_directive(comment, at, index + 1) {
                out.push(d);
            }
            break;
        }
        line_start += line.len() + 1;
    }
    out
}

/// The `agentlint:` directives among comments a kind's parser found (`# …`, `// …`, `/* … */`).
pub fn comment_directives(text: &str, comments: &[Span]) -> Vec<Directive> {
    if !text.contains("agentlint:") {
        return Vec::new();
    }
    let lines = crate::document::LineIndex::new(text);
    comments
        .iter()
        .filter_map(|span| {
            let comment = text.get(span.start..span.end)?.trim_end();
            let comment = comment.strip_suffix("*/").map_or(comment, str::trim_end);
            let marker = ["//", "/*", "#"].iter().find(|m| comment.starts_with(**m))?;
            // `parse_directive` reads one marker character.
            let skip = marker.len() - 1;
            let line = lines.position(text, span.start).0;
            let mut d = parse_directive(&comment[skip..], span.start + skip, line)?;
            d.span = Span::new(span.start, d.span.end);
            Some(d)
        })
        .collect()
}

/// 1-based numbers of the lines that hold something besides blanks and the given comments.
fn code_lines_outside(text: &str, comments: &[Span]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let end = start + line.len();
        let has_code = line.char_indices().any(|(i, c)| {
            let at = start + i;
            !c.is_whitespace() && !comments.iter().any(|s| s.start <= at && at < s.end)
        });
        if has_code {
            out.push(index + 1);
        }
        start = end + 1;
    }
    out
}

/// 1-based numbers of the lines that hold something besides blanks and comments.
fn code_lines(text: &str) -> Vec<usize> {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Parses `# agentlint: ignore[A, B] reason` at byte `at` of the text.
fn parse_directive(comment: &str, at: usize, line: usize) -> Option<Directive> {
    let after_hash = &comment[1..];
    let body = after_hash.trim_start();
    let rest = body.strip_prefix("agentlint:")?;
    let span = Span::new(at, at + comment.len());
    let malformed = || Some(Directive { line, span, body: DirectiveBody::Malformed });
    let rest_trimmed = rest.trim_start();
    let Some(inside) = rest_trimmed.strip_prefix("ignore[") else { return malformed() };
    let Some(close) = inside.find(']') else { return malformed() };
    // Byte offset of the first rule within the comment.
    let inside_at = comment.len() - inside.len();
    let mut rules = Vec::new();
    let mut offset = 0;
    for part in inside[..close].split(',') {
        let trimmed = part.trim();
        if trimmed.is_empty() {
            return malformed();
        }
        let lead = part.len() - part.trim_start().len();
        let start = at + inside_at + offset + lead;
        rules.push((trimmed.to_owned(), Span::new(start, start + trimmed.len())));
        offset += part.len() + 1;
    }
    let reason =
        inside[close + 1..].trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '—')).trim();
    let reason = (!reason.is_empty()).then(|| reason.to_owned());
    Some(Directive { line, span, body: DirectiveBody::Ignore { rules, reason } })
}

/// Byte ranges of every scalar as written: quoted scalars from their opening to their
/// closing quote, block and plain scalars as the parser reports them.
fn scalar_extents(text: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let bytes_of: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let byte = |char_index: usize| bytes_of.get(char_index).copied().unwrap_or(text.len());
    let mut parser = Parser::new_from_str(text);
    let mut out = Vec::new();
    while let Some(event) = parser.next_event() {
        let (event, span) = event.ok()?;
        if let Event::Scalar(_, style, ..) = event {
            let start = byte(span.start.index());
            let end = match style {
                ScalarStyle::SingleQuoted => closing_quote(text, start, b'\''),
                ScalarStyle::DoubleQuoted => closing_quote(text, start, b'"'),
                _ => byte(span.end.index()),
            };
            out.push(start..end.max(start));
        }
    }
    Some(out)
}

/// The end (exclusive) of the quoted scalar opening at `start`.
fn closing_quote(text: &str, start: usize, quote: u8) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(usize, String)> {
        directives(text).into_iter().map(|d| (d.line, text[d.span.start..d.span.end].to_owned())).collect()
    }

    #[test]
    fn comments_are_found_outside_scalars_only() {
        let text = "a: |\n  # agentlint: ignore[AL1] inside a block\nb: 'x # agentlint: ignore[AL2] quoted' # agentlint: ignore[AL3] real\nc: \"multi\n  # agentlint: ignore[AL4] inside\" \n# agentlint: ignore[AL5] own line\nd: x#agentlint:ignore[AL6]\n";
        assert_eq!(
            found(text),
            [(3, "# agentlint: ignore[AL3] real".to_owned()), (6, "# agentlint: ignore[AL5] own line".to_owned())]
        );
    }

    #[test]
    fn directives_parse_rules_and_reasons() {
        let text = "a: 1 # agentlint: ignore[AL104, broad-tool-grant] -- needed by the release job\n";
        let d = &directives(text)[0];
        let DirectiveBody::Ignore { rules, reason } = &d.body else { panic!("{d:?}") };
        assert_eq!(reason.as_deref(), Some("needed by the release job"));
        let shown: Vec<&str> = rules.iter().map(|(_, s)| &text[s.start..s.end]).collect();
        assert_eq!(shown, ["AL104", "broad-tool-grant"]);
        assert_eq!(rules[1].0, "broad-tool-grant");
        let d = &directives("a: 1 # agentlint: ignore[AL104]\n")[0];
        assert_eq!(d.body, DirectiveBody::Ignore { rules: vec![("AL104".into(), Span::new(25, 30))], reason: None });
        for bad in [
            "# agentlint: ignore AL104 x",
            "# agentlint: ignore[AL104 x",
            "# agentlint: ignore[,] x",
            "# agentlint: skip",
        ] {
            let text = format!("a: 1 {bad}\n");
            assert_eq!(directives(&text)[0].body, DirectiveBody::Malformed, "{bad}");
        }
        assert!(directives("a: 1 # agentlint ignore[AL104] x\n").is_empty());
        assert!(directives("a: [1\n# agentlint: ignore[AL104] x\n").is_empty(), "unparsable text");
    }

    #[test]
    fn code_lines_skip_blanks_and_comments() {
        assert_eq!(code_lines("a: 1\n\n  # c\nb: 2\n"), [1, 4]);
    }
}
