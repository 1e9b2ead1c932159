//! `agentlint args`: exact output in every format for the configs in `fixtures/args/`,
//! agent selection, refusals, and round trips through `sh` and `xargs -0`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{Run, agentlint};

/// `fixtures/args/*.yaml` (not the `refused/` subfolder), sorted.
fn fixtures() -> Vec<String> {
    let dir = Path::new(common::root()).join("fixtures/args");
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| format!("fixtures/args/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    assert!(out.len() >= 6, "fixtures/args holds the fixtures: {out:?}");
    out
}

fn stem(path: &str) -> String {
    Path::new(path).file_stem().unwrap().to_string_lossy().into_owned()
}

/// Runs the binary and keeps stdout as raw bytes (the NUL format is not text).
fn agentlint_bytes(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_agentlint"))
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    (out.status.code().unwrap_or(-1), out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn json_argv(run: &Run) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output parses");
    doc["argv"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

/// The NUL format shown readably: one element per line, each ending in `␀`.
fn show_nul(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap().replace('\0', "␀\n")
}

fn assert_no_secret(path: &str, text: &str) {
    let found = agentlint::secrets::scan(text);
    assert!(found.is_empty(), "{path}: output holds a secret: {found:?}");
}

#[test]
fn every_fixture_in_every_format() {
    for path in fixtures() {
        let name = stem(&path);
        let shell = agentlint(&["args", &path]);
        let json = agentlint(&["args", "--format", "json", &path]);
        let (code, nul, stderr) = agentlint_bytes(&["args", "--format", "nul", &path]);
        assert_eq!((shell.code, json.code, code), (0, 0, 0), "{path}: {}\n{}", shell.stderr, json.stderr);
        insta::assert_snapshot!(format!("{name}-shell"), shell.to_string());
        insta::assert_snapshot!(format!("{name}-json"), json.to_string());
        insta::assert_snapshot!(format!("{name}-nul"), format!("{}----- stderr -----\n{stderr}", show_nul(&nul)));

        // The three formats carry the same argv.
        let argv = json_argv(&json);
        let mut expected = Vec::new();
        for word in &argv {
            expected.extend_from_slice(word.as_bytes());
            expected.push(0);
        }
        assert_eq!(nul, expected, "{path}: NUL format");
        assert_eq!(argv[0], "claude");
        assert_eq!(argv[1], "--print");
        for text in [&shell.stdout, &shell.stderr, &json.stdout, &json.stderr] {
            assert_no_secret(&path, text);
        }
        // Every flag with a value is one `--flag=value` element, so an appended prompt is never a value.
        for word in &argv[1..] {
            assert!(word.starts_with("--"), "{path}: element `{word}` is not a flag");
        }
    }
}

#[test]
fn several_agents_with_agent() {
    let shell = agentlint(&["args", "--agent", "ci", "fixtures/hardened.yaml"]);
    insta::assert_snapshot!("hardened-ci-shell", shell.to_string());
    let json = agentlint(&["args", "--agent", "reviewer", "--format", "json", "fixtures/hardened.yaml"]);
    insta::assert_snapshot!("hardened-reviewer-json", json.to_string());
}

#[test]
fn several_agents_without_agent() {
    let run = agentlint(&["args", "fixtures/hardened.yaml"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n----- stdout -----\n----- stderr -----\nagentlint: error: `fixtures/hardened.yaml` defines several agents; choose one with `--agent NAME`: `reviewer`, `ci`\n"
    );
}

#[test]
fn unknown_agent_names_the_closest() {
    let run = agentlint(&["args", "--agent", "reveiwer", "fixtures/hardened.yaml"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n----- stdout -----\n----- stderr -----\nagentlint: error: no agent `reveiwer` in `fixtures/hardened.yaml`; did you mean `reviewer`? (agents: `reviewer`, `ci`)\n"
    );
}

#[test]
fn agent_flag_on_a_single_agent_file() {
    let run = agentlint(&["args", "--agent", "ci", "fixtures/hardened-single.yaml"]);
    assert_eq!(
        run.to_string(),
        "exit: 2\n----- stdout -----\n----- stderr -----\nagentlint: error: `fixtures/hardened-single.yaml` describes a single agent (it has no `agents:` mapping); drop `--agent ci`\n"
    );
}

#[test]
fn unreadable_file() {
    let run = agentlint(&["args", "fixtures/args/does-not-exist.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with("agentlint: error: cannot read `fixtures/args/does-not-exist.yaml`: "), "{run}");
}

#[test]
fn failing_config_prints_findings_and_no_arguments() {
    for format in ["shell", "json", "nul"] {
        let run =
            agentlint(&["args", "--format", format, "fixtures/rules/AL101-permission-mode-not-restrictive/fail.yaml"]);
        assert_eq!(run.code, 1, "{run}");
        assert_eq!(run.stdout, "", "{format}");
        assert!(run.stderr.contains("AL101(permission-mode-not-restrictive)"), "{run}");
        assert!(
            run.stderr.ends_with(
                "1 error in 1 file\nagentlint: no launch arguments printed: the config does not pass the check\n"
            ),
            "{run}"
        );
    }
    insta::assert_snapshot!(
        "refused-al101",
        agentlint(&["args", "fixtures/rules/AL101-permission-mode-not-restrictive/fail.yaml"]).to_string()
    );
}

#[test]
fn settings_file_with_sandbox_is_refused() {
    let run = agentlint(&["args", "fixtures/args/refused/settings-file-with-sandbox.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("refused-settings-file-with-sandbox", run.to_string());
}

#[test]
fn comma_in_rule_is_refused() {
    let run = agentlint(&["args", "fixtures/args/refused/comma-in-rule.yaml"]);
    insta::assert_snapshot!("refused-comma-in-rule", run.to_string());
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
}

#[test]
fn literal_api_key_never_reaches_the_output() {
    let key = "sk-ant-api03-Zq4vN8rT2mW6yP1sK9dF3hJ7lC5xB0nV4gQ8tR2eY6uI1oA3sD7fG9hJ2kL4zX6cV8bN0mQ3wE5rT7yU9iO1pA3sD5fG7hJ9k-AbCdEfAA";
    let path = "fixtures/args/refused/literal-api-key.yaml";
    assert!(std::fs::read_to_string(Path::new(common::root()).join(path)).unwrap().contains(key));
    for format in ["shell", "json", "nul"] {
        let run = agentlint(&["args", "--format", format, path]);
        assert_eq!(run.code, 1, "{run}");
        assert_eq!(run.stdout, "");
        assert!(!run.stderr.contains(key), "the key leaked: {run}");
        assert!(!run.stderr.contains("sk-ant-api03-Zq4v"), "more than the redacted prefix leaked: {run}");
    }
}

/// `args` blocks on what `check` fails on: warnings too, by default.
#[test]
fn fail_on_decides_which_findings_block() {
    let path = "fixtures/args/refused/warnings-only.yaml";
    let blocked = agentlint(&["args", path]);
    assert_eq!(blocked.code, 1, "{blocked}");
    assert_eq!(blocked.stdout, "");
    assert!(blocked.stderr.contains("AL501(session-persistence-enabled)"), "{blocked}");
    assert_eq!(agentlint(&["check", path]).code, blocked.code, "check and args agree by default");
    let passes = agentlint(&["args", "--fail-on", "error", "--format", "json", path]);
    assert_eq!(passes.code, 0, "{passes}");
    assert!(
        passes.stderr.starts_with(&format!(
            "agentlint: note: 1 warning below `--fail-on error`; `agentlint check {path}` shows them\n"
        )),
        "{passes}"
    );
}

/// `--cli-version` decides what may be emitted: `effort: xhigh` came after 2.1.76.
#[test]
fn cli_version_refuses_what_the_release_lacks() {
    let path = "fixtures/args/refused/newer-cli.yaml";
    let baseline = agentlint(&["args", "--format", "json", path]);
    assert_eq!(baseline.code, 0, "{baseline}");
    assert!(json_argv(&baseline).contains(&"--effort=xhigh".to_owned()));
    let explicit = agentlint(&["args", "--cli-version", "2.1.332", "--format", "json", path]);
    assert_eq!(explicit.stdout, baseline.stdout);
    let oldest = agentlint(&["args", "--cli-version", "2.1.76", path]);
    insta::assert_snapshot!("refused-newer-cli", oldest.to_string());
    assert_eq!((oldest.code, oldest.stdout.as_str()), (1, ""));
}

#[test]
fn cli_version_must_be_a_supported_release() {
    let old = agentlint(&["args", "--cli-version", "2.1.75", "fixtures/hardened-single.yaml"]);
    assert_eq!((old.code, old.stdout.as_str()), (2, ""));
    assert!(old.stderr.contains("agentlint supports CLI 2.1.76 and later"), "{old}");
    let bad = agentlint(&["args", "--cli-version", "latest", "fixtures/hardened-single.yaml"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("`latest` is not a version (expected MAJOR.MINOR.PATCH, e.g. `2.1.332`)"), "{bad}");
    let newer = agentlint(&["args", "--cli-version", "2.2.0", "fixtures/hardened-single.yaml"]);
    assert_eq!(newer.code, 0, "{newer}");
    assert!(
        newer.stderr.contains(
            "agentlint: note: CLI 2.2.0 is newer than the newest release agentlint was tested with (2.1.332); the arguments are those for 2.1.332"
        ),
        "{newer}"
    );
}

/// Control characters and bidirectional overrides never reach the terminal raw from the shell form.
#[test]
fn shell_form_shows_hidden_characters() {
    let path = "fixtures/args/hidden-characters.yaml";
    let shell = agentlint(&["args", path]);
    assert_eq!(shell.code, 0, "{shell}");
    for c in ['\u{1b}', '\u{7}', '\t', '\r', '\u{202e}', '\u{202c}', '\u{200b}'] {
        assert!(!shell.stdout.contains(c), "{c:?} reached the shell form: {:?}", shell.stdout);
    }
    assert!(shell.stdout.contains(r#""$(printf '\033')"']0;pwned'"#), "{}", shell.stdout);
    assert_eq!(shell.stdout.lines().count(), 1, "one line: {:?}", shell.stdout);
    let json = agentlint(&["args", "--format", "json", path]);
    assert!(!json.stdout.contains('\u{202e}') && json.stdout.contains(r"\u202e"), "{}", json.stdout);
    assert!(json_argv(&json).iter().any(|a| a.contains('\u{202e}')), "the argv itself keeps the value");
}

/// A credential written as an `extra_args` key is never printed, even in the refusal.
#[test]
fn secret_in_an_extra_args_key_is_never_printed() {
    let key = format!("sk-ant-api03-{}AA", "Zq4vN8rT2m".repeat(9) + "W6y");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("agent.yaml");
    let base = std::fs::read_to_string(Path::new(common::root()).join("fixtures/hardened-single.yaml")).unwrap();
    std::fs::write(&config, format!("{base}extra_args:\n  {key}: null\n")).unwrap();
    // A policy that lets the check pass, so the emitter's own refusal is what is printed.
    let pack = dir.path().join("pack.yaml");
    std::fs::write(&pack, "extends: production\nrules:\n  AL302: off\n  AL606: off\n").unwrap();
    let config = config.to_str().unwrap();
    let pack = pack.to_str().unwrap();
    for format in ["shell", "json", "nul"] {
        let run = agentlint(&["args", "--policy", pack, "--format", format, config]);
        assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{run}");
        assert!(run.stderr.contains("is not a flag of the `claude` CLI"), "{run}");
        assert!(!run.stderr.contains(&key) && !run.stderr.contains("Zq4vN8rT2mZq4v"), "the key leaked: {run}");
    }
}

#[test]
fn claude_sets_argv0() {
    let run = agentlint(&["args", "--claude", "/opt/claude code/bin/claude", "fixtures/hardened-single.yaml"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("'/opt/claude code/bin/claude' --print '--system-prompt=' '--max-turns=20' "),
        "{run}"
    );
    let json = agentlint(&[
        "args",
        "--claude",
        "node_modules/.bin/claude",
        "--format",
        "json",
        "fixtures/hardened-single.yaml",
    ]);
    assert_eq!(json_argv(&json)[0], "node_modules/.bin/claude");
}

/// Feeds the shell line to `sh` (and `bash` when present): `eval "set -- LINE"` must give exactly the JSON argv.
#[test]
fn shell_line_round_trips_through_sh() {
    let shells: Vec<&str> = ["sh", "bash"]
        .into_iter()
        .filter(|s| Command::new(s).arg("-c").arg("true").status().is_ok_and(|st| st.success()))
        .collect();
    assert!(shells.contains(&"sh"), "a POSIX sh is needed");
    let mut paths = fixtures();
    paths.push("fixtures/hardened-single.yaml".into());
    for path in paths {
        let shell = agentlint(&["args", &path]);
        let json = agentlint(&["args", "--format", "json", &path]);
        let argv = json_argv(&json);
        assert!(shell.stdout.ends_with('\n'));
        for sh in &shells {
            let out = Command::new(sh)
                .arg("-c")
                .arg(r#"eval "set -- $1"; printf '%s\0' "$@""#)
                .arg("sh")
                .arg(&shell.stdout)
                .env("PRODUCT", "SHOULD-NOT-EXPAND")
                .output()
                .unwrap();
            assert!(out.status.success(), "{sh}: {}", String::from_utf8_lossy(&out.stderr));
            let words: Vec<String> =
                String::from_utf8(out.stdout).unwrap().split_terminator('\0').map(str::to_owned).collect();
            assert_eq!(words, argv, "{sh} re-read {path} differently");
        }
    }
}

/// `xargs -0` hands the NUL-separated elements to a command unchanged.
#[test]
fn nul_output_feeds_xargs() {
    for path in fixtures() {
        let (_, nul, _) = agentlint_bytes(&["args", "--format", "nul", &path]);
        let mut child = Command::new("xargs")
            .args(["-0", "sh", "-c", r#"printf '%s\0' "$@""#, "sh"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("xargs runs");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), &nul).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.stdout, nul, "{path}");
    }
}

/// The library refuses secrets by itself, whatever the linter said.
#[test]
fn emitter_refuses_secrets_without_the_linter() {
    let token = format!("ghp_{}", "R8x2Kq7Lm4Np9Vt3Wz6Yb1Cd5Fg0Hj2Ks4Mn");
    let key = format!("sk-ant-api03-{}AA", "Q7w".repeat(31));
    let yaml = format!(
        "permission_mode: dont_ask\napi_key: {key}\nenv:\n  ANTHROPIC_AUTH_TOKEN: plain-text-token\nmcp_servers:\n  github:\n    command: github-mcp-server\n    env:\n      GITHUB_PERSONAL_ACCESS_TOKEN: {token}\n"
    );
    let (config, _) = agentlint::config::load(agentlint::document::SourceFile::new(
        "inline.yaml",
        yaml,
        agentlint::document::Format::Yaml,
    ));
    let err = agentlint::launch::launch_spec(&config.agents[0]).expect_err("secrets are refused");
    let text = err.to_string();
    assert!(!text.contains(&token) && !text.contains(&key) && !text.contains("plain-text-token"), "{text}");
    assert_eq!(
        err.problems,
        [
            "`env.ANTHROPIC_AUTH_TOKEN` holds a literal credential; write `ANTHROPIC_AUTH_TOKEN: ${ANTHROPIC_AUTH_TOKEN}` and keep the value in the launcher's environment",
            "`api_key` is a literal key; launch arguments never carry secrets. Write `api_key: ${ANTHROPIC_API_KEY}` and keep the key in the launcher's environment",
            "`mcp_servers` (argument `--mcp-config`) would carry a GitHub personal access token (`ghp_…s4Mn`); launch arguments never carry secrets: keep it in the launcher's environment and reference it, e.g. `${NAME}`",
        ]
    );
}

/// The spec a Rust caller gets, without shelling out.
#[test]
fn library_spec_matches_the_json_output() {
    let path = "fixtures/args/ci-pipeline.yaml";
    let bytes = std::fs::read(Path::new(common::root()).join(path)).unwrap();
    let (config, _) = agentlint::config::load_bytes(path, bytes);
    let spec = agentlint::launch::launch_spec(&config.agents[0]).unwrap();
    let json = agentlint(&["args", "--format", "json", path]);
    assert_eq!(spec.argv, json_argv(&json));
    assert_eq!(spec.cwd.as_deref(), Some("/srv/checkout"));
    assert_eq!(spec.env.pass, ["ANTHROPIC_API_KEY", "DOCS_MCP_TOKEN"]);
    assert_eq!(spec.env.from.get("GITHUB_TOKEN").map(String::as_str), Some("CI_GITHUB_TOKEN"));
    assert_eq!(spec.env.set.get("CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING").map(String::as_str), Some("true"));
    assert!(spec.not_expressible.is_empty());
    // The budget is a canonical decimal that parses back to the configured number.
    let budget = spec.argv.iter().find_map(|a| a.strip_prefix("--max-budget-usd=")).unwrap();
    assert_eq!(budget, "25");
    assert_eq!(budget.parse::<f64>().unwrap(), config.agents[0].options.max_budget_usd.unwrap());
}

/// The worked example of the README's "Generating launch arguments" section.
#[test]
fn readme_example() {
    insta::assert_snapshot!("readme-shell", agentlint(&["args", "fixtures/hardened-single.yaml"]).to_string());
    insta::assert_snapshot!(
        "readme-json",
        agentlint(&["args", "--format", "json", "fixtures/hardened-single.yaml"]).to_string()
    );
}

/// `args` applies the same policy as `check`: under `ci`, `accept_edits` blocks the arguments.
#[test]
fn args_applies_the_policy() {
    let file = "fixtures/rules/AL101-permission-mode-not-restrictive/pass.yaml";
    let default = common::agentlint(&["args", file]);
    assert_eq!(default.code, 0, "{}", default.stderr);
    assert!(default.stdout.contains("'--permission-mode=acceptEdits'"));
    let ci = common::agentlint(&["args", "--policy", "ci", file]);
    assert_eq!(ci.code, 1);
    assert_eq!(ci.stdout, "");
    assert!(ci.stderr.contains("`permissionMode` is `acceptEdits`: this policy does not allow it"), "{}", ci.stderr);
    let bad = common::agentlint(&["args", "--policy", "no-such-pack", file]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stdout, "");
}
