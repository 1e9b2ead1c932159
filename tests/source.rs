//! Agent options read from program source and command lines (issue 13), through the binary:
//! exact human and JSON output for every fixture under `fixtures/source/`, hardened variants
//! clean and unsafe ones failing at the line and column written below, unknown values,
//! policies, suppressions, `agentlint args` on extracted agents, discovery, hostile input.

mod common;

use common::{Run, agentlint, agentlint_in};

/// Every fixture: a file, or a directory the check scans (shell and workflow fixtures are
/// directories of several files).
const FIXTURES: &[&str] = &[
    "fixtures/source/elixir/hardened.ex",
    "fixtures/source/elixir/unsafe.ex",
    "fixtures/source/elixir/guide",
    "fixtures/source/python/hardened.py",
    "fixtures/source/python/unsafe.py",
    "fixtures/source/python/helper.py",
    "fixtures/source/typescript/hardened.ts",
    "fixtures/source/typescript/unsafe.ts",
    "fixtures/source/shell/hardened",
    "fixtures/source/shell/unsafe",
    "fixtures/source/workflow/hardened",
    "fixtures/source/workflow/unsafe",
];

/// A snapshot name from a fixture path: `elixir-unsafe.ex`.
fn name(path: &str) -> String {
    path.trim_start_matches("fixtures/source/").replace('/', "-")
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON output parses ({e}):\n{}", run.stdout))
}

/// The findings of a JSON report.
fn findings(run: &Run) -> Vec<serde_json::Value> {
    json(run)["findings"].as_array().unwrap().clone()
}

/// `RULE path:line:column` of every finding that counts (not suppressed), in report order.
fn located(run: &Run) -> Vec<String> {
    findings(run)
        .iter()
        .filter(|f| f.get("suppressed").is_none())
        .map(|f| {
            format!("{} {}:{}:{}", f["rule"].as_str().unwrap(), f["file"].as_str().unwrap(), f["line"], f["column"])
        })
        .collect()
}

#[test]
fn every_fixture_human_and_json() {
    for path in FIXTURES {
        let human = agentlint(&["check", path]);
        insta::assert_snapshot!(format!("{}-human", name(path)), human.to_string());
        let json = agentlint(&["check", "--format", "json", path]);
        insta::assert_snapshot!(format!("{}-json", name(path)), json.to_string());
        assert_eq!(human.code, json.code, "{path}: the exit code does not depend on the format");
    }
}

#[test]
fn hardened_variants_pass() {
    for path in FIXTURES.iter().filter(|p| p.contains("hardened")) {
        let run = agentlint(&["check", "--format", "json", path]);
        assert_eq!(run.code, 0, "{path}:\n{run}");
        assert_eq!(located(&run), Vec::<String>::new(), "{path}");
        let files = json(&run)["summary"]["files"].as_u64().unwrap();
        assert!(files >= 1, "{path}: the fixture was read");
    }
}

#[test]
fn unsafe_variants_fail_where_the_value_is_written() {
    let expect = |path: &str, wanted: &[&str]| {
        let run = agentlint(&["check", "--format", "json", path]);
        assert_eq!(run.code, 1, "{path}:\n{run}");
        let got = located(&run);
        for w in wanted {
            assert!(got.iter().any(|g| g == w), "{path}: no finding `{w}` in {got:#?}");
        }
    };
    expect(
        "fixtures/source/elixir/unsafe.ex",
        &[
            "AL101 fixtures/source/elixir/unsafe.ex:4:24",
            "AL104 fixtures/source/elixir/unsafe.ex:5:23",
            "AL108 fixtures/source/elixir/unsafe.ex:5:23",
        ],
    );
    expect(
        "fixtures/source/python/unsafe.py",
        &["AL101 fixtures/source/python/unsafe.py:6:21", "AL104 fixtures/source/python/unsafe.py:7:20"],
    );
    expect(
        "fixtures/source/typescript/unsafe.ts",
        &["AL101 fixtures/source/typescript/unsafe.ts:7:23", "AL301 fixtures/source/typescript/unsafe.ts:15:33"],
    );
    expect(
        "fixtures/source/shell/unsafe",
        &["AL101 fixtures/source/shell/unsafe/Dockerfile:4:44", "AL102 fixtures/source/shell/unsafe/review.sh:3:11"],
    );
    expect(
        "fixtures/source/workflow/unsafe",
        &["AL102 fixtures/source/workflow/unsafe/.github/workflows/review.yml:11:21"],
    );
}

/// Messages and fixes are written in the syntax of the file the option is written in.
#[test]
fn messages_speak_the_host_language() {
    let help = |path: &str| {
        findings(&agentlint(&["check", "--format", "json", path]))
            .into_iter()
            .find(|f| f["rule"] == "AL101")
            .map(|f| f["help"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{path}: no AL101"))
    };
    assert!(help("fixtures/source/elixir/unsafe.ex").contains("`:dont_ask`"));
    assert!(help("fixtures/source/python/unsafe.py").contains("`dontAsk`"));
    assert!(help("fixtures/source/typescript/unsafe.ts").contains("set `permissionMode`"));
    assert!(help("fixtures/source/shell/unsafe").contains("set `--permission-mode`"));
}

/// Options built in a helper function from its parameters: nothing to report by default, and
/// with `require_literal_options` each value that is not a literal is an AL005 finding.
#[test]
fn helper_built_options_are_unknown_not_findings() {
    let run = agentlint(&["check", "--format", "json", "fixtures/source/python/helper.py"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(located(&run), Vec::<String>::new());

    let strict = agentlint(&[
        "check",
        "--policy",
        "fixtures/source/policy/require-literal.yaml",
        "fixtures/source/python/helper.py",
    ]);
    insta::assert_snapshot!("python-helper-require-literal", strict.to_string());
    // The production pack fails on warnings: AL005 makes the unreviewable session a failure.
    assert_eq!(strict.code, 1, "{strict}");
    assert!(strict.stdout.contains("AL005"), "{strict}");
}

/// A custom CEL rule of a policy pack reads options extracted from source.
#[test]
fn cel_rules_read_extracted_options() {
    let run = agentlint(&["check", "--policy", "fixtures/source/policy/budget.yaml", "fixtures/source/shell/unsafe"]);
    insta::assert_snapshot!("shell-unsafe-budget-policy", run.to_string());
    assert!(run.stdout.contains("ACME001"), "{run}");
}

/// `// agentlint: ignore[AL104] reason` in TypeScript: the finding is kept, marked suppressed.
#[test]
fn suppressions_in_the_host_comment_syntax() {
    let run = agentlint(&["check", "--format", "json", "fixtures/source/typescript/unsafe.ts"]);
    let suppressed: Vec<String> = findings(&run)
        .iter()
        .filter(|f| f.get("suppressed").is_some())
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["line"]))
        .collect();
    assert_eq!(suppressed, ["AL104 9"]);
    // `# agentlint: ignore[AL201] reason` in a shell script.
    let run = agentlint(&["check", "--format", "json", "fixtures/source/shell/unsafe/review.sh"]);
    let rules: Vec<String> = findings(&run)
        .iter()
        .filter(|f| f.get("suppressed").is_some())
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["AL201"]);
}

#[test]
fn literal_credentials_never_reach_the_output() {
    for format in ["human", "json"] {
        let run = agentlint(&["check", "--format", format, "fixtures/source/typescript/unsafe.ts"]);
        let leaked = agentlint::secrets::scan(&format!("{}{}", run.stdout, run.stderr));
        assert!(leaked.is_empty(), "{format}: {leaked:?}");
    }
}

#[test]
fn args_for_an_extracted_agent() {
    let ex =
        agentlint(&["args", "fixtures/source/elixir/hardened.ex", "--agent", "fixtures/source/elixir/hardened.ex:6"]);
    insta::assert_snapshot!("args-elixir-hardened", ex.to_string());
    assert_eq!(ex.code, 0, "{ex}");
    let py = agentlint(&["args", "fixtures/source/python/hardened.py"]);
    insta::assert_snapshot!("args-python-hardened", py.to_string());
    assert_eq!(py.code, 0, "{py}");
    let ts = agentlint(&["args", "--format", "json", "fixtures/source/typescript/hardened.ts"]);
    insta::assert_snapshot!("args-typescript-hardened-json", ts.to_string());
    assert_eq!(ts.code, 0, "{ts}");
}

/// Refused, naming each value that is not a literal: exit code 1, nothing on standard output.
#[test]
fn args_refuses_unknown_values() {
    let run = agentlint(&["args", "fixtures/source/python/helper.py"]);
    insta::assert_snapshot!("args-python-helper-refused", run.to_string());
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let run =
        agentlint(&["args", "fixtures/source/elixir/hardened.ex", "--agent", "fixtures/source/elixir/hardened.ex:99"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("no session starts at"), "{run}");
}

/// A directory search reads a source file only when its bytes name the SDK; vendored code is
/// never read; files named on the command line always are.
#[test]
fn discovery_prefilter() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("app/plain.py", "import os\nprint('hello claude')\n");
    write("app/agent.py", "from claude_agent_sdk import query\nquery(prompt='x')\n");
    write(
        "node_modules/x/index.js",
        "import { query } from '@anthropic-ai/claude-agent-sdk';\nquery({prompt: 'x'});\n",
    );
    write("lib/plain.ex", "defmodule A do\nend\n");
    write("scripts/build.sh", "#!/bin/sh\nmake all\n");
    let run = agentlint_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(json(&run)["summary"]["files"], 1, "{run}");
    let mut paths: Vec<String> = findings(&run).iter().map(|f| f["file"].as_str().unwrap().to_owned()).collect();
    paths.dedup();
    assert_eq!(paths, ["app/agent.py"], "{run}");
    let named = agentlint_in(dir.path(), &["check", "--format", "json", "app/plain.py"]);
    assert_eq!(json(&named)["summary"]["files"], 1, "{named}");
}

/// Attacker-written source: deep nesting, a long file, broken syntax. Bounded, no panic.
#[test]
fn hostile_source_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "from claude_agent_sdk import ClaudeAgentOptions\nClaudeAgentOptions(allowed_tools={}{})\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(dir.path().join("deep.py"), deep).unwrap();
    let ts = format!(
        "import {{ query }} from '@anthropic-ai/claude-agent-sdk';\nquery({{ options: {}1{} }});\n",
        "{a: ".repeat(50_000),
        "}".repeat(50_000)
    );
    std::fs::write(dir.path().join("deep.ts"), ts).unwrap();
    let ex = format!("ClaudeCode.start_link(allowed_tools: {}{})\n", "[".repeat(50_000), "]".repeat(50_000));
    std::fs::write(dir.path().join("deep.ex"), ex).unwrap();
    let sh = format!("claude -p {}\n", "$(".repeat(20_000));
    std::fs::write(dir.path().join("deep.sh"), sh).unwrap();
    let mut big = String::from("from claude_agent_sdk import query\n");
    while big.len() <= agentlint::document::MAX_FILE_BYTES {
        big.push_str("x = 1\n");
    }
    std::fs::write(dir.path().join("big.py"), big).unwrap();
    std::fs::write(
        dir.path().join("broken.py"),
        "from claude_agent_sdk import query\nquery(prompt=\"x\", options=(((\n",
    )
    .unwrap();
    let run = agentlint_in(dir.path(), &["check", "--format", "json", "."]);
    assert!(run.code == 0 || run.code == 1, "{run}");
    let doc = json(&run);
    assert_eq!(doc["summary"]["files"], 6, "{run}");
    assert!(run.stdout.contains("is larger than 10485760 bytes"), "the large file is reported: {run}");
}

mod never_panics {
    use proptest::prelude::*;

    /// Text that looks like code around the SDK's names, so the front ends get past the byte
    /// prefilter and into their walks.
    fn codeish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "ClaudeCode.start_link(",
            "config :claude_code, ",
            "from claude_agent_sdk import ClaudeAgentOptions, query\n",
            "ClaudeAgentOptions(",
            "import { query } from '@anthropic-ai/claude-agent-sdk';\n",
            "query({ options: {",
            "claude -p ",
            "--allowedTools ",
            "\"$(",
            "${{ x }}",
            "permission_mode: ",
            "permissionMode: ",
            "=",
            ":plan",
            "\"Bash(*)\"",
            "[",
            "]",
            "{",
            "}",
            "(",
            ")",
            ",",
            "'",
            "\"",
            "\\",
            "\n",
            "# agentlint: ignore[AL101] x\n",
            "**x",
            "...x",
            "é",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn every_front_end_survives_anything(text in codeish()) {
            for path in ["a.ex", "a.py", "a.ts", "a.sh", "Dockerfile", "package.json", ".github/workflows/a.yml"] {
                let kind = agentlint::kinds::of_named_file(path);
                let (config, findings) = agentlint::kinds::load(path, text.clone().into_bytes(), kind);
                let linter = agentlint::Linter::default();
                let _ = linter.lint(&config, findings);
            }
        }
    }
}

/// Paths written in a source file (`--settings`, `--mcp-config`, `mcp_servers="…"`,
/// `settings="…"`) are values, never opened: each names a FIFO outside the checked tree, which
/// would block the run if anything read it.
#[cfg(unix)]
#[test]
fn paths_in_source_are_never_opened() {
    let outside = tempfile::tempdir().unwrap();
    let fifo = outside.path().join("fifo.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let fifo = fifo.display().to_string();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("run.sh"),
        format!("claude -p --settings {fifo} --mcp-config {fifo} --permission-mode plan -- hi\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("agent.py"),
        format!(
            "from claude_agent_sdk import ClaudeAgentOptions\nClaudeAgentOptions(settings=\"{fifo}\", mcp_servers=\"{fifo}\")\n"
        ),
    )
    .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let root = dir.path().to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(agentlint_in(&root, &["check", "--format", "json", "."]));
    });
    let run = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("the check finishes: nothing opened the FIFO");
    assert_eq!(json(&run)["summary"]["files"], 2, "{run}");
}

/// The README's worked examples for source files are real output: each `$ agentlint check …
/// fixtures/source/readme/…` block there is what the binary prints now (standard output, then
/// standard error, then the exit code).
#[test]
fn readme_worked_examples_are_current() {
    let readme = std::fs::read_to_string(std::path::Path::new(common::root()).join("README.md")).unwrap();
    let mut checked = 0;
    for block in readme.split("```\n").filter(|b| b.starts_with("$ agentlint check --select")) {
        let (command, rest) = block.split_once('\n').unwrap();
        if !command.contains("fixtures/source/readme/") {
            continue;
        }
        let args: Vec<&str> = command.trim_start_matches("$ agentlint ").split(' ').collect();
        let run = agentlint(&args);
        let expected = format!("{}{}$ echo $?\n{}\n", run.stdout, run.stderr, run.code);
        assert_eq!(rest, expected, "README block for `{command}` is out of date");
        checked += 1;
    }
    assert_eq!(checked, 5, "one worked example per source kind");
}
