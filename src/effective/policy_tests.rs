//! A policy pack's `tests:`: `{call, expect}` pairs that `check` decides against every effective
//! session it looks at, as `agentlint can` does. A test that gets another decision is an AL010
//! finding in the pack, at the test.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::document::{Node, SourceFile};
use crate::policy::PolicyFile;
use crate::policy::pack::{check_record, expect_str};
use crate::report::{FileReport, Finding, Location, Related};
use crate::rules::{INVALID_VALUE, POLICY_TEST_FAILED};

use super::check::Checked;
use super::matcher::{Basis, Call, Decision, evaluate, parse_call};

/// One `tests:` entry of a policy pack.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyTestSpec {
    /// A tool call as `agentlint can` takes it: `Bash(rm -rf /)`, `Read(./.env)`,
    /// `WebFetch(https://example.com/)`, `mcp__github__delete_repo`.
    pub call: String,
    /// The decision every session must make: `allow`, `ask` or `deny`.
    pub expect: ExpectName,
    /// Decide as in a trusted folder, where the project's allow rules apply (default: as a
    /// print-mode or SDK session, which never trusts the folder).
    #[serde(default)]
    pub trusted: bool,
}

/// A decision, as tests write it.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExpectName {
    Allow,
    Ask,
    Deny,
}

/// The keys of a test.
pub const TEST_KEYS: &[&str] = &["call", "expect", "trusted"];

/// A loaded test.
#[derive(Debug, Clone)]
pub struct PolicyTest {
    pub call: Call,
    pub expect: Decision,
    pub trusted: bool,
    /// The pack file the test is in.
    pub file: Arc<SourceFile>,
    /// Where the test is: its `call` value.
    pub location: Location,
}

/// Reads `tests:`; entries with problems are reported in the pack and left out.
pub(crate) fn load(file: &mut PolicyFile, node: &Node) -> Vec<PolicyTest> {
    let Some(items) = node.as_seq() else {
        if !matches!(node.value, crate::document::Value::Null) {
            file.report(
                &INVALID_VALUE,
                node.span,
                format!("`tests` must be a list of tests, not {}", node.type_name()),
                Some("write `tests:` followed by `- {call: \"Bash(rm -rf /)\", expect: deny}` entries".into()),
            );
        }
        return Vec::new();
    };
    let source = Arc::new(SourceFile::new(file.source.path.clone(), file.source.text.clone(), file.source.format));
    let mut out = Vec::new();
    for item in items {
        if !check_record(file, item, TEST_KEYS, &["call", "expect"], "a test", "test") {
            continue;
        }
        let call = item.get("call").and_then(|n| expect_str(file, n, "`call`").map(|s| (s.to_owned(), n.span)));
        let expect = item.get("expect").and_then(|n| expect_str(file, n, "`expect`").map(|s| (s.to_owned(), n.span)));
        let trusted = match item.get("trusted").map(|n| &n.value) {
            None => Some(false),
            Some(crate::document::Value::Bool(b)) => Some(*b),
            Some(_) => {
                let span = item.get("trusted").map_or(item.span, |n| n.span);
                file.report(&INVALID_VALUE, span, "`trusted` must be `true` or `false`".into(), None);
                None
            }
        };
        let call = call.and_then(|(text, span)| match parse_call(&text) {
            Ok(call) => Some((call, span)),
            Err(message) => {
                file.report(
                    &INVALID_VALUE,
                    span,
                    message,
                    Some("write the call as `agentlint can` takes it, e.g. `Bash(git push)`".into()),
                );
                None
            }
        });
        let expect = expect.and_then(|(text, span)| match Decision::parse(&text) {
            Some(d) => Some(d),
            None => {
                let help =
                    crate::suggest::closest(&text, &["allow", "ask", "deny"]).map(|c| format!("did you mean `{c}`?"));
                file.report(
                    &INVALID_VALUE,
                    span,
                    format!("`expect` must be `allow`, `ask` or `deny`, not `{text}`"),
                    help,
                );
                None
            }
        });
        let (Some((call, span)), Some(expect), Some(trusted)) = (call, expect, trusted) else { continue };
        let location = Location::new(&source, Some(&file.root), span);
        out.push(PolicyTest { call, expect, trusted, file: source.clone(), location });
    }
    out
}

/// Runs every pack's tests against the sessions its policy checks; failures are reports of the
/// pack files. Also returns the packs whose tests had no session to run against.
pub fn run(checked: &[Checked]) -> (Vec<FileReport>, Vec<String>) {
    let mut reports: Vec<FileReport> = Vec::new();
    let mut idle = Vec::new();
    let mut seen: Vec<*const crate::policy::ResolvedPack> = Vec::new();
    for policy in checked.iter().map(|c| &c.policy) {
        let pack = Arc::as_ptr(&policy.pack);
        if seen.contains(&pack) || policy.pack.tests.is_empty() {
            continue;
        }
        seen.push(pack);
        let Some(severity) = policy.linter.severity_of(&POLICY_TEST_FAILED) else { continue };
        let sessions: Vec<&Checked> = checked.iter().filter(|c| Arc::as_ptr(&c.policy.pack) == pack).collect();
        if sessions.is_empty() {
            idle.push(policy.pack.name.clone());
            continue;
        }
        for test in &policy.pack.tests {
            for c in &sessions {
                let session = &c.session;
                let merged = session.merge(test.trusted);
                let verdict = evaluate(session, &merged, &test.call, None);
                if verdict.decision == test.expect {
                    continue;
                }
                let (reason, place) = super::render::basis(session, &merged, &verdict.basis);
                let mut finding = Finding::new(
                    &POLICY_TEST_FAILED,
                    test.location.clone(),
                    format!(
                        "`{}` is `{}` in the session of {}, not `{}`: {reason}",
                        crate::rules::shown_text(&test.call.text),
                        verdict.decision.id(),
                        session.title,
                        test.expect.id()
                    ),
                )
                .severity(severity)
                .label(format!("expected {}", test.expect.id()))
                .help(format!(
                    "`agentlint can '{}' {}` shows the whole decision",
                    test.call.text,
                    target_of(session)
                ));
                if let (Basis::Rule { .. } | Basis::Mode { entry: Some(_), .. }, Some((file, location))) =
                    (&verdict.basis, place)
                {
                    finding.related.push(Related { location, message: "decided here".into(), file: Some(file) });
                }
                push(&mut reports, &test.file, finding);
            }
        }
    }
    (reports, idle)
}

/// The `PATH` (and `--agent`) that `agentlint can` takes for a session.
fn target_of(session: &super::Session) -> String {
    match session.deployment.map(|i| &session.files[session.layers[i].file].config.source.path) {
        Some(path) => match &session.agent {
            Some(agent) => format!("{path} --agent {agent}"),
            None => path.clone(),
        },
        None => session.dir_shown.clone(),
    }
}

fn push(reports: &mut Vec<FileReport>, file: &Arc<SourceFile>, finding: Finding) {
    if let Some(report) = reports.iter_mut().find(|r| r.source.path == file.path) {
        if !report.findings.iter().any(|f| f.location.span == finding.location.span && f.message == finding.message) {
            report.findings.push(finding);
        }
        return;
    }
    let source = SourceFile::new(file.path.clone(), file.text.clone(), file.format);
    reports.push(FileReport { source, kind: None, findings: vec![finding], redactions: Vec::new() });
}
