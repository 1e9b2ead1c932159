//! The official SDKs as oracles: for every `agentlint args` fixture, the argv the Python SDK
//! (`claude-agent-sdk`) and the TypeScript SDK (`@anthropic-ai/claude-agent-sdk`) build for the
//! same options, compared flag by flag with agentlint's.
//!
//! Neither SDK starts a process: `tests/oracle/python_sdk_argv.py` runs `query()` with the
//! transport's `connect` replaced by a recorder, `tests/oracle/ts_sdk_argv.mjs` runs `query()`
//! with a recording `spawnClaudeCodeProcess`. The TypeScript SDK sends the system prompt and the
//! subagents in its `initialize` request rather than as flags; those fields are compared as the
//! flags they stand for (`systemPrompt` as `--system-prompt`, `appendSystemPrompt` as
//! `--append-system-prompt`, `agents` as `--agents`).
//!
//! Comparison: both argvs are read with agentlint's CLI flag table (`--f=v` is `--f v`, aliases
//! are one flag, flag order is ignored, repeated flags are compared as the sorted list of their
//! values), and JSON values are compared parsed, member by member. Every difference must be a row
//! of the README's SDK differences table (between the `sdk-differences` markers); a difference
//! that no row explains fails the test, and so does a row that no fixture needs any more.
//!
//! `AGENTLINT_PYTHON_SDK` is a Python interpreter with `claude-agent-sdk` installed;
//! `AGENTLINT_TS_SDK` is the directory of the installed `@anthropic-ai/claude-agent-sdk` package.
//! `.ci/run` installs both into throwaway folders.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use agentlint::launch::flags::{self, BASELINE};
use serde_json::{Value as Json, json};

/// One agent of one fixture: the name used in messages, agentlint's argv and its options.
struct Case {
    name: String,
    argv: Vec<String>,
    options: Json,
}

/// Encodings no `args` fixture shows, each the hardened single-agent example plus these lines: two
/// betas (the CLI accepts only one of these, so no fixture the real CLI runs can hold both), and
/// a budget whose shortest text has an exponent.
const MORE: &[(&str, &str)] = &[
    ("two-betas", "betas: [context-1m-2025-08-07, files-api-2025-04-14]\n"),
    ("tiny-budget", "max_budget_usd: 0.0000001\n"),
];

fn cases() -> Vec<Case> {
    let mut out = fixture_cases();
    let hardened = std::fs::read_to_string(Path::new(common::root()).join("fixtures/hardened-single.yaml")).unwrap();
    for (name, lines) in MORE {
        let text = hardened.replace("max_budget_usd: 2.5\n", "") + lines;
        let (config, _) = agentlint::config::load_bytes("more.yaml", text.into_bytes());
        let agent = &config.agents[0];
        let spec = agentlint::launch::launch_spec(agent).unwrap_or_else(|e| panic!("{name}: {e}"));
        out.push(Case {
            name: (*name).to_owned(),
            argv: spec.argv[1..].to_vec(),
            options: serde_json::to_value(&agent.options).unwrap(),
        });
    }
    out
}

fn fixture_cases() -> Vec<Case> {
    let dir = Path::new(common::root()).join("fixtures/args");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| format!("fixtures/args/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    files.push("fixtures/hardened-single.yaml".into());
    files.push("fixtures/hardened.yaml".into());
    let mut out = Vec::new();
    for file in files {
        let bytes = std::fs::read(Path::new(common::root()).join(&file)).unwrap();
        let (config, _) = agentlint::config::load_bytes(&file, bytes);
        for agent in &config.agents {
            let spec = agentlint::launch::launch_spec(agent).unwrap_or_else(|e| panic!("{file}: {e}"));
            let stem = Path::new(&file).file_stem().unwrap().to_string_lossy().into_owned();
            let name = match &agent.name {
                Some(agent) => format!("{stem}/{agent}"),
                None => stem,
            };
            out.push(Case {
                name,
                argv: spec.argv[1..].to_vec(),
                options: serde_json::to_value(&agent.options).unwrap(),
            });
        }
    }
    out
}

/// What an SDK made of one case.
struct SdkRun {
    argv: Option<Vec<String>>,
    initialize: Json,
    error: Option<String>,
}

/// Runs an oracle script with the cases on standard input; its JSON output by case name.
fn run_oracle(mut command: Command, cases: &[Case]) -> BTreeMap<String, SdkRun> {
    let input: Vec<Json> = cases.iter().map(|c| json!({"name": c.name, "options": c.options})).collect();
    let mut child = command
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the oracle starts");
    child.stdin.take().unwrap().write_all(serde_json::to_string(&input).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the oracle failed: {}", String::from_utf8_lossy(&out.stderr));
    let runs: Vec<Json> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("oracle output: {e}\n{}", String::from_utf8_lossy(&out.stdout)));
    runs.into_iter()
        .map(|r| {
            let argv = r["argv"].as_array().map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect());
            let run =
                SdkRun { argv, initialize: r["initialize"].clone(), error: r["error"].as_str().map(str::to_owned) };
            (r["name"].as_str().unwrap().to_owned(), run)
        })
        .collect()
}

/// Flag → its values, read with the flag table (aliases folded, values sorted).
fn flag_values(argv: &[String]) -> BTreeMap<String, Vec<String>> {
    let line = flags::parse(argv, BASELINE);
    assert!(line.problems.is_empty(), "{argv:?}: {:?}", line.problems);
    assert!(line.operands.is_empty(), "{argv:?}: operands {:?}", line.operands);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for used in &line.flags {
        let values = out.entry(format!("--{}", used.flag.name)).or_default();
        values.extend(used.values.iter().map(|v| v.text.clone()));
    }
    for values in out.values_mut() {
        values.sort();
    }
    out
}

/// The TypeScript SDK's initialize fields that stand for flags, as those flags.
fn initialize_flags(initialize: &Json, out: &mut BTreeMap<String, Vec<String>>) {
    if let Some(prompt) = initialize.get("systemPrompt") {
        let text = match prompt {
            Json::Array(parts) => parts.iter().filter_map(Json::as_str).collect::<Vec<_>>().join("\n"),
            Json::String(text) => text.clone(),
            _ => String::new(),
        };
        out.insert("--system-prompt".into(), vec![text]);
    }
    if let Some(text) = initialize.get("appendSystemPrompt").and_then(Json::as_str) {
        out.insert("--append-system-prompt".into(), vec![text.to_owned()]);
    }
    if let Some(agents) = initialize.get("agents") {
        out.insert("--agents".into(), vec![agents.to_string()]);
    }
}

/// One observed difference: flag, JSON member (`` when the flag's value as a whole), and kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    flag: String,
    member: String,
    kind: &'static str,
    detail: String,
}

const AGENTLINT_ONLY: &str = "agentlint only";
const SDK_ONLY: &str = "SDK only";
const VALUE: &str = "value";

fn as_json(values: &[String]) -> Option<Json> {
    match values {
        [one] if one.starts_with('{') || one.starts_with('[') => serde_json::from_str(one).ok(),
        _ => None,
    }
}

fn push_token(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn json_diff(flag: &str, pointer: &str, ours: &Json, theirs: &Json, out: &mut Vec<Difference>) {
    match (ours, theirs) {
        (Json::Object(a), Json::Object(b)) => {
            for (key, value) in a {
                let member = push_token(pointer, key);
                match b.get(key) {
                    Some(other) => json_diff(flag, &member, value, other, out),
                    None => out.push(Difference {
                        flag: flag.into(),
                        member,
                        kind: AGENTLINT_ONLY,
                        detail: value.to_string(),
                    }),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(Difference {
                        flag: flag.into(),
                        member: push_token(pointer, key),
                        kind: SDK_ONLY,
                        detail: value.to_string(),
                    });
                }
            }
        }
        _ if ours == theirs => {}
        _ => out.push(Difference {
            flag: flag.into(),
            member: pointer.into(),
            kind: VALUE,
            detail: format!("agentlint {ours}, SDK {theirs}"),
        }),
    }
}

fn differences(ours: &BTreeMap<String, Vec<String>>, theirs: &BTreeMap<String, Vec<String>>) -> Vec<Difference> {
    let mut out = Vec::new();
    let flags: BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    for flag in flags {
        match (ours.get(flag), theirs.get(flag)) {
            (Some(a), None) => out.push(Difference {
                flag: flag.clone(),
                member: String::new(),
                kind: AGENTLINT_ONLY,
                detail: format!("{a:?}"),
            }),
            (None, Some(b)) => out.push(Difference {
                flag: flag.clone(),
                member: String::new(),
                kind: SDK_ONLY,
                detail: format!("{b:?}"),
            }),
            (Some(a), Some(b)) => match (as_json(a), as_json(b)) {
                (Some(x), Some(y)) => json_diff(flag, "", &x, &y, &mut out),
                _ if a == b => {}
                _ => out.push(Difference {
                    flag: flag.clone(),
                    member: String::new(),
                    kind: VALUE,
                    detail: format!("agentlint {a:?}, SDK {b:?}"),
                }),
            },
            (None, None) => {}
        }
    }
    out
}

/// A row of the README's SDK differences table.
#[derive(Debug)]
struct Row {
    sdks: Vec<String>,
    flag: String,
    member: String,
    kind: String,
    used: bool,
}

impl Row {
    fn matches(&self, sdk: &str, d: &Difference) -> bool {
        let member_matches = {
            let pattern: Vec<&str> = self.member.split('/').collect();
            let actual: Vec<&str> = d.member.split('/').collect();
            pattern.len() == actual.len() && pattern.iter().zip(&actual).all(|(p, a)| *p == "*" || p == a)
        };
        self.sdks.iter().any(|s| s == sdk) && self.flag == d.flag && member_matches && self.kind == d.kind
    }
}

/// The rows between `<!-- sdk-differences:start -->` and `<!-- sdk-differences:end -->`.
fn documented() -> Vec<Row> {
    let readme = std::fs::read_to_string(Path::new(common::root()).join("README.md")).unwrap();
    let start = readme.find("<!-- sdk-differences:start -->").expect("README has the sdk-differences table");
    let end = readme.find("<!-- sdk-differences:end -->").expect("the table ends");
    let cell = |c: &str| c.trim().trim_matches('`').to_owned();
    readme[start..end]
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---") && !l.starts_with("| SDK"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
            assert!(cells.len() >= 5, "README SDK differences row has too few cells: {line}");
            Row {
                sdks: cells[0].split(',').map(|s| s.trim().to_owned()).collect(),
                flag: cell(cells[1]),
                member: cell(cells[2]),
                kind: cells[3].trim().to_owned(),
                used: false,
            }
        })
        .collect()
}

/// Checks one SDK's runs against agentlint's, marking the rows they use; returns the problems.
fn compare(sdk: &str, cases: &[Case], runs: &BTreeMap<String, SdkRun>, rows: &mut [Row]) -> Vec<String> {
    let mut problems = Vec::new();
    for case in cases {
        let Some(run) = runs.get(&case.name) else {
            problems.push(format!("{sdk}: no result for {}", case.name));
            continue;
        };
        let Some(argv) = &run.argv else {
            problems.push(format!("{sdk} refused {}: {}", case.name, run.error.as_deref().unwrap_or("?")));
            continue;
        };
        let ours = flag_values(&case.argv);
        let mut theirs = flag_values(argv);
        initialize_flags(&run.initialize, &mut theirs);
        for d in differences(&ours, &theirs) {
            match rows.iter_mut().find(|r| r.matches(sdk, &d)) {
                Some(row) => row.used = true,
                None => problems.push(format!(
                    "{}: {sdk} differs on `{}` {} ({}): {}\n  add a row if it is deliberate: | {sdk} | `{}` | {} | {} | why |",
                    case.name,
                    d.flag,
                    if d.member.is_empty() { String::new() } else { format!("member `{}`", d.member) },
                    d.kind,
                    d.detail,
                    d.flag,
                    if d.member.is_empty() { String::new() } else { format!("`{}`", d.member) },
                    d.kind
                )),
            }
        }
    }
    problems
}

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs the official SDKs (AGENTLINT_PYTHON_SDK, AGENTLINT_TS_SDK); runs under CI=true (.ci/run)"
)]
fn official_sdks_build_the_same_argv() {
    let python =
        Some(common::external_tool("AGENTLINT_PYTHON_SDK", "a Python interpreter with claude-agent-sdk installed"));
    let typescript =
        Some(common::external_tool("AGENTLINT_TS_SDK", "the @anthropic-ai/claude-agent-sdk package directory"));
    let cases = cases();
    assert!(cases.len() >= 8, "{} cases", cases.len());
    let mut rows = documented();
    assert!(!rows.is_empty());
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    if let Some(python) = python {
        let mut command = Command::new(python);
        command.arg("tests/oracle/python_sdk_argv.py");
        let runs = run_oracle(command, &cases);
        problems.extend(compare("Python", &cases, &runs, &mut rows));
        checked.push("Python");
    }
    if let Some(package) = typescript {
        let mut command = Command::new("node");
        command.arg("tests/oracle/ts_sdk_argv.mjs").arg(package);
        let runs = run_oracle(command, &cases);
        problems.extend(compare("TypeScript", &cases, &runs, &mut rows));
        checked.push("TypeScript");
    }
    for row in &rows {
        if !row.used && row.sdks.iter().any(|s| checked.contains(&s.as_str())) {
            problems.push(format!(
                "README SDK differences row no fixture needs any more (remove it, or add a fixture): {} `{}` `{}` {}",
                row.sdks.join(", "),
                row.flag,
                row.member,
                row.kind
            ));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The comparison itself: `--f=v` and `--f v` are one, order and aliases do not matter, JSON is
/// compared by member.
#[test]
fn comparison_normalises() {
    let a: Vec<String> = ["--model=opus", "--allowed-tools=Read", r#"--settings={"a":1,"b":{"c":2}}"#]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let b: Vec<String> = ["--allowedTools", "Read", "--settings", r#"{"b":{"c":3},"a":1,"d":0}"#, "--model", "opus"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let d = differences(&flag_values(&a), &flag_values(&b));
    assert_eq!(
        d.iter().map(|d| (d.flag.as_str(), d.member.as_str(), d.kind)).collect::<Vec<_>>(),
        [("--settings", "/b/c", VALUE), ("--settings", "/d", SDK_ONLY)]
    );
    let row = Row {
        sdks: vec!["Python".into()],
        flag: "--mcp-config".into(),
        member: "/mcpServers/*".into(),
        kind: SDK_ONLY.into(),
        used: false,
    };
    let diff = Difference {
        flag: "--mcp-config".into(),
        member: "/mcpServers/runbook".into(),
        kind: SDK_ONLY,
        detail: String::new(),
    };
    assert!(row.matches("Python", &diff) && !row.matches("TypeScript", &diff));
}
