//! SARIF 2.1.0 output, for code-scanning services (GitHub code scanning, GitLab, Azure
//! DevOps) and SARIF viewers. One run; the driver carries the whole rule catalogue so
//! every `ruleIndex` resolves and viewers can show each rule's documentation.
//!
//! Paths are relative URIs against `%SRCROOT%` (the directory agentlint ran in, given in
//! `originalUriBaseIds`); columns count Unicode code points, as everywhere in agentlint,
//! and regions also carry byte offsets. Messages are the findings' messages, which never
//! hold an unmasked credential; no source snippet is embedded.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use super::{FileReport, Finding, SuppressionKind};
use crate::rules::{REGISTRY, RuleMeta};

/// The `$schema` of the log: the OASIS SARIF 2.1.0 schema (errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The base every result path is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run<'a> {
    pub tool: Tool,
    pub column_kind: &'static str,
    pub original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    pub results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub information_uri: Option<String>,
    pub rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub id: &'static str,
    pub name: &'static str,
    pub short_description: Message,
    pub full_description: Message,
    pub help: MultiformatMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub default_configuration: Configuration,
}

#[derive(Clone, Serialize)]
pub struct Message {
    pub text: String,
}

#[derive(Serialize)]
pub struct MultiformatMessage {
    pub text: String,
    pub markdown: String,
}

#[derive(Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    pub rule_id: &'static str,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Message,
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<Properties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Message>,
}

/// 1-based lines and columns (end column exclusive), plus the byte range.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_offset: usize,
    pub byte_length: usize,
}

#[derive(Serialize)]
pub struct Suppression<'a> {
    /// `inSource` for a suppression comment in the file, `external` for a config ignore entry.
    pub kind: &'static str,
    pub justification: &'a str,
}

/// agentlint-specific facts about a result that SARIF has no field for.
#[derive(Serialize)]
pub struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<&'a str>,
    /// JSON pointer of the reported key or value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<&'a str>,
}

/// The SARIF log, pretty-printed with a trailing newline; `%SRCROOT%` is the current directory.
pub fn render(reports: &[FileReport]) -> String {
    render_with_base(reports, std::env::current_dir().ok().as_deref())
}

/// The SARIF log with `%SRCROOT%` set to `base` (left without a URI when unknown).
pub fn render_with_base(reports: &[FileReport], base: Option<&Path>) -> String {
    let mut s = serde_json::to_string_pretty(&log(reports, base)).expect("SARIF log serializes");
    s.push('\n');
    s
}

pub fn log<'a>(reports: &'a [FileReport], base: Option<&Path>) -> Log<'a> {
    let rules = catalogue(reports);
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let results = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r.source.path.as_str(), f)))
        .map(|(path, f)| result(path, f, index[f.rule.id]))
        .collect();
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    let in_registry = |m: &RuleMeta| REGISTRY.iter().any(|e| e.meta.id == m.id);
    let root = ArtifactLocation {
        uri: base.map(|b| file_uri(b, true)),
        uri_base_id: None,
        description: Some(Message { text: "The directory agentlint ran in; result paths are relative to it.".into() }),
    };
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "agentlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: (!repository.is_empty()).then(|| repository.to_owned()),
                    rules: rules
                        .iter()
                        .map(|m| descriptor(m, if in_registry(m) { help_uri(repository, m.id) } else { None }))
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: BTreeMap::from([(SRCROOT, root)]),
            results,
        }],
    }
}

/// Every registered rule in id order, then any other rule a finding came from (custom policy rules).
fn catalogue(reports: &[FileReport]) -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = REGISTRY.iter().map(|e| e.meta).collect();
    for f in reports.iter().flat_map(|r| &r.findings) {
        if !rules.iter().any(|m| m.id == f.rule.id) {
            rules.push(f.rule);
        }
    }
    rules
}

fn descriptor(m: &'static RuleMeta, help_uri: Option<String>) -> ReportingDescriptor {
    ReportingDescriptor {
        id: m.id,
        name: m.name,
        short_description: Message { text: m.summary.to_owned() },
        full_description: Message { text: docs_section(m.docs, "What it checks").unwrap_or(m.summary).to_owned() },
        help: MultiformatMessage { text: m.docs.to_owned(), markdown: m.docs.to_owned() },
        help_uri,
        default_configuration: Configuration { level: m.severity.as_str() },
    }
}

/// The rule's section in `docs/rules.md` (its heading `## AL101` has the anchor `al101`).
pub fn help_uri(repository: &str, id: &str) -> Option<String> {
    let repository = repository.trim_end_matches('/');
    (!repository.is_empty()).then(|| format!("{repository}/blob/main/docs/rules.md#{}", id.to_ascii_lowercase()))
}

/// The body of a `## heading` section of rule docs.
fn docs_section<'d>(docs: &'d str, heading: &str) -> Option<&'d str> {
    let start = docs.find(&format!("## {heading}\n"))? + heading.len() + 4;
    let body = &docs[start..];
    let end = body.find("\n## ").unwrap_or(body.len());
    Some(body[..end].trim())
}

fn result<'a>(path: &str, f: &'a Finding, rule_index: usize) -> SarifResult<'a> {
    let artifact = artifact_location(path);
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let properties = (f.agent.is_some() || f.location.pointer.is_some())
        .then_some(Properties { agent: f.agent.as_deref(), pointer: f.location.pointer.as_deref() });
    SarifResult {
        rule_id: f.rule.id,
        rule_index,
        level: f.severity.as_str(),
        message: Message { text },
        locations: vec![location(&artifact, &f.location, None)],
        related_locations: f
            .related
            .iter()
            .map(|r| {
                let artifact = r.file.as_deref().map_or_else(|| artifact.clone(), artifact_location);
                location(&artifact, &r.location, Some(Message { text: r.message.clone() }))
            })
            .collect(),
        suppressions: f
            .suppressed
            .iter()
            .map(|s| Suppression {
                kind: match s.kind {
                    SuppressionKind::Comment => "inSource",
                    SuppressionKind::Config => "external",
                },
                justification: &s.reason,
            })
            .collect(),
        properties,
    }
}

fn location(artifact: &ArtifactLocation, l: &super::Location, message: Option<Message>) -> Location {
    Location {
        physical_location: PhysicalLocation {
            artifact_location: artifact.clone(),
            region: Region {
                start_line: l.line,
                start_column: l.column,
                end_line: l.end_line,
                end_column: l.end_column,
                byte_offset: l.span.start,
                byte_length: l.span.end.saturating_sub(l.span.start),
            },
        },
        message,
    }
}

/// Characters that cannot appear literally in a URI path.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');
/// In a relative reference a `:` before the first `/` would read as a scheme.
const RELATIVE_PATH: &AsciiSet = &PATH.add(b':');

/// A relative path becomes a URI relative to `%SRCROOT%`; an absolute one a `file:` URI.
fn artifact_location(path: &str) -> ArtifactLocation {
    if Path::new(path).is_absolute() {
        ArtifactLocation { uri: Some(file_uri(Path::new(path), false)), uri_base_id: None, description: None }
    } else {
        ArtifactLocation {
            uri: Some(utf8_percent_encode(&slashes(path), RELATIVE_PATH).to_string()),
            uri_base_id: Some(SRCROOT),
            description: None,
        }
    }
}

/// `file:///work/repo/` for a directory (the trailing slash makes it a base URI).
fn file_uri(path: &Path, directory: bool) -> String {
    let mut p = slashes(&path.to_string_lossy());
    if !p.starts_with('/') {
        p.insert(0, '/'); // `C:/x` on Windows
    }
    if directory && !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", utf8_percent_encode(&p, PATH))
}

/// Path separators as URIs write them (`\` is an ordinary file-name character off Windows).
fn slashes(path: &str) -> String {
    if cfg!(windows) { path.replace('\\', "/") } else { path.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;
    use crate::report::Suppression as Suppressed;

    #[test]
    fn uris_are_encoded() {
        let a = artifact_location("agents/my config#1.yaml");
        assert_eq!(a.uri.as_deref(), Some("agents/my%20config%231.yaml"));
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        assert_eq!(artifact_location("a:b.yaml").uri.as_deref(), Some("a%3Ab.yaml"));
        assert_eq!(artifact_location("<stdin>").uri.as_deref(), Some("%3Cstdin%3E"));
        assert_eq!(artifact_location("agents/ü.yaml").uri.as_deref(), Some("agents/%C3%BC.yaml"));
        #[cfg(unix)]
        {
            let abs = artifact_location("/srv/x y/agent.yaml");
            assert_eq!(abs.uri.as_deref(), Some("file:///srv/x%20y/agent.yaml"));
            assert_eq!(abs.uri_base_id, None);
            assert_eq!(file_uri(Path::new("/work/repo"), true), "file:///work/repo/");
        }
    }

    #[test]
    fn help_uri_points_at_the_rules_page() {
        assert_eq!(
            help_uri("https://github.com/o/agentlint/", "AL101").as_deref(),
            Some("https://github.com/o/agentlint/blob/main/docs/rules.md#al101")
        );
        assert_eq!(help_uri("", "AL101"), None);
    }

    #[test]
    fn full_description_is_the_what_it_checks_section() {
        let docs = "## What it checks\nThat `x` is set.\n\n## Why it matters\nBecause.\n";
        assert_eq!(docs_section(docs, "What it checks"), Some("That `x` is set."));
        assert_eq!(docs_section(docs, "Why it matters"), Some("Because."));
        assert_eq!(docs_section(docs, "How to fix"), None);
    }

    #[test]
    fn suppressions_carry_their_kind_and_reason() {
        let mut report =
            Linter::default().check_bytes("agents/ci.yaml", b"permission_mode: bypass_permissions\n".to_vec());
        report.findings.truncate(1);
        let mut second = report.findings[0].clone();
        report.findings[0].suppressed =
            Some(Suppressed { kind: SuppressionKind::Comment, reason: "sandboxed CI runner".into() });
        second.suppressed = Some(Suppressed { kind: SuppressionKind::Config, reason: "accepted in review".into() });
        report.findings.push(second);
        let log: serde_json::Value = serde_json::from_str(&render_with_base(&[report], None)).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(
            results[0]["suppressions"],
            serde_json::json!([{ "kind": "inSource", "justification": "sandboxed CI runner" }])
        );
        assert_eq!(
            results[1]["suppressions"],
            serde_json::json!([{ "kind": "external", "justification": "accepted in review" }])
        );
        assert!(log["runs"][0]["originalUriBaseIds"][SRCROOT].get("uri").is_none());
    }
}
