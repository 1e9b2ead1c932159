//! The command-line reader is the inverse of `agentlint args` (issue 13): the shell line
//! `agentlint args` emits for an agent, read back as a `claude` command in a shell script,
//! gives the same options, so the same argv again.
//!
//! - every agent of the source fixtures that `agentlint args` accepts, and every fixture of
//!   `fixtures/args/`;
//! - generated agents (proptest): values with spaces, quotes, `$`, commas, parentheses,
//!   newlines and non-ASCII text, in both the `--flag=value` form `args` prints and the
//!   `--flag value` form people write.
//!
//! Word splitting itself is compared with the `shlex` crate's on generated text.
//!
//! Options are compared as the argv they encode to, and as the canonical option tree of the
//! read-back session against the original's (options a command line cannot carry, such as
//! `cwd` or callbacks, are left out by the encoder and so by the comparison).

use agentlint::config::Agent;
use agentlint::kinds::{self, FileKind, Kind};
use agentlint::launch::{self, flags};
use proptest::prelude::*;

/// Loads `bytes` as a file of the kind its name gives and returns its agents.
fn agents(path: &str, bytes: Vec<u8>) -> Vec<Agent> {
    let kind = kinds::of_named_file(path);
    let (config, _) = kinds::load(path, bytes, kind);
    assert!(config.parsed, "{path} parses");
    config.agents
}

/// The argv `agentlint args` would print for an agent (without the prompt).
fn argv(agent: &Agent) -> Vec<String> {
    launch::launch_spec_for(agent, flags::BASELINE).expect("the agent can be launched").argv
}

/// Reads a shell line back through the shell kind: its one session.
fn read_back(line: &str) -> Agent {
    let mut agents = agents("roundtrip.sh", line.as_bytes().to_vec());
    assert_eq!(agents.len(), 1, "one session in {line:?}");
    agents.remove(0)
}

/// The options of an agent that a command line carries, as JSON: what the argv encodes.
fn carried(agent: &Agent) -> serde_json::Value {
    let mut tree = agent.tree.to_json();
    if let Some(map) = tree.as_object_mut() {
        for key in ["cwd", "env", "api_key", "tool_callback", "can_use_tool", "hooks"] {
            map.remove(key);
        }
    }
    tree
}

/// The argv written in the separate form (`--flag value`), each word quoted for `sh`.
fn separate_form(argv: &[String]) -> String {
    let mut words = Vec::new();
    for word in argv {
        match word.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                words.push(flag.to_owned());
                words.push(launch::shell::quote(value).unwrap().into_owned());
            }
            _ => words.push(launch::shell::quote(word).unwrap().into_owned()),
        }
    }
    words.join(" ") + "\n"
}

fn assert_round_trip(what: &str, agent: &Agent) {
    let original = argv(agent);
    let spec = launch::launch_spec_for(agent, flags::BASELINE).unwrap();
    let line = launch::shell::render(&spec).unwrap();
    let back = read_back(&line);
    assert!(back.unknown.iter().all(|u| !u.path.is_empty()), "{what}: nothing unknown in {line}");
    assert_eq!(argv(&back), original, "{what}: {line}");
    let separate = separate_form(&original);
    let back_separate = read_back(&separate);
    assert_eq!(argv(&back_separate), original, "{what} (separate form): {separate}");
    assert_eq!(carried(&back), carried(&back_separate), "{what}");
}

/// The source fixtures `agentlint args` emits arguments for, and `fixtures/args/*.yaml`.
#[test]
fn every_args_fixture_round_trips() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = [
        "fixtures/source/elixir/hardened.ex",
        "fixtures/source/python/hardened.py",
        "fixtures/source/typescript/hardened.ts",
        "fixtures/source/shell/hardened/review.sh",
        "fixtures/source/workflow/hardened/.github/workflows/review.yml",
    ]
    .map(String::from)
    .to_vec();
    for entry in std::fs::read_dir(root.join("fixtures/args")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            files.push(format!("fixtures/args/{}", path.file_name().unwrap().to_string_lossy()));
        }
    }
    let mut checked = 0;
    for file in &files {
        let bytes = std::fs::read(root.join(file)).unwrap();
        for agent in agents(file, bytes) {
            let what = format!("{file} {}", agent.name.as_deref().unwrap_or(""));
            if kinds::detect(file).is_some_and(|k| k.kind.is_extracted()) {
                assert!(agentlint::kinds::source::undecided(&agent).is_empty(), "{what}: every option is a literal");
            }
            if launch::launch_spec_for(&agent, flags::BASELINE).is_err() {
                continue; // refused by `args` (tests/args.rs covers the refusals)
            }
            assert_round_trip(&what, &agent);
            checked += 1;
        }
    }
    assert!(checked >= 10, "round-tripped {checked} agents");
}

/// A word value: printable ASCII with shell metacharacters, spaces and non-ASCII letters; never
/// starting with `-` (the CLI would read it as a flag in the separate form, as it does).
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_./][A-Za-z0-9 _./:'\"$`\\\\(),;&|<>*?~#é漢]{0,24}"
}

fn rule() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Read".to_owned()),
        Just("Grep".to_owned()),
        Just("Edit".to_owned()),
        Just("WebFetch(domain:example.com)".to_owned()),
        "[a-z]{1,8}( [a-z-]{1,8})?".prop_map(|c| format!("Bash({c}:*)")),
        "[a-z]{1,6}".prop_map(|s| format!("mcp__{s}")),
    ]
}

/// A deployment config (JSON) with options every command line can carry.
fn config() -> impl Strategy<Value = serde_json::Value> {
    (
        prop::sample::select(vec!["plan", "dontAsk", "acceptEdits", "default", "bypassPermissions"]),
        prop::collection::vec(rule(), 0..5),
        prop::collection::vec(rule(), 0..4),
        1u32..500,
        (1u32..10_000).prop_map(|c| f64::from(c) / 100.0),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
        prop::sample::subsequence(vec!["user", "project", "local"], 0..=3),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["opus", "sonnet", "claude-sonnet-4-5"])),
    )
        .prop_map(|(mode, allowed, denied, turns, budget, prompt, dirs, sources, persist, model)| {
            let mut c = serde_json::json!({
                "permission_mode": mode,
                "max_turns": turns,
                "max_budget_usd": budget,
                "setting_sources": sources,
                "no_session_persistence": !persist,
            });
            let map = c.as_object_mut().unwrap();
            if !allowed.is_empty() {
                map.insert("allowed_tools".into(), serde_json::json!(allowed));
            }
            if !denied.is_empty() {
                map.insert("disallowed_tools".into(), serde_json::json!(denied));
            }
            if let Some(p) = prompt {
                map.insert("system_prompt".into(), serde_json::json!(p));
            }
            if !dirs.is_empty() {
                let dirs: Vec<String> = dirs.iter().map(|d| format!("/srv/{d}")).collect();
                map.insert("add_dir".into(), serde_json::json!(dirs));
            }
            if let Some(m) = model {
                map.insert("model".into(), serde_json::json!(m));
            }
            c
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_agents_round_trip(config in config()) {
        let bytes = serde_json::to_vec(&config).unwrap();
        let agents = agents("generated.agent.json", bytes);
        prop_assert_eq!(agents.len(), 1);
        let agent = &agents[0];
        if launch::launch_spec_for(agent, flags::BASELINE).is_ok() {
            assert_round_trip(&config.to_string(), agent);
        }
    }
}

/// The reader follows the CLI where a line is ambiguous: a variadic flag in the separate form
/// takes the words after it, the `=` form takes one.
#[test]
fn variadic_forms() {
    let spaced = read_back("claude -p --allowedTools Read Grep --max-turns 3\n");
    let joined = read_back("claude -p --allowedTools=Read,Grep --max-turns=3\n");
    assert_eq!(argv(&spaced), argv(&joined));
    assert_eq!(spaced.tree.get("allowed_tools").map(|n| n.to_json()), Some(serde_json::json!(["Read", "Grep"])));
    assert_eq!(kinds::detect("x.sh").map(|k| k.kind), Some(Kind::Shell));
    let _ = FileKind::DEPLOYMENT;
}

/// Words of an unquoted, quoted or escaped text as `split_words` reads them, beside the
/// `shlex` crate's POSIX splitting: the same words whenever the text has no expansion
/// (`$`, backquote) and no comment, which `shlex` does not model.
fn split(text: &str) -> Vec<String> {
    let mapped = kinds::command_line::Mapped::verbatim(text, 0);
    kinds::command_line::split_words(&mapped, &[]).0.into_iter().map(|w| w.text.text).collect()
}

#[test]
fn word_splitting_examples() {
    let text = r#"--allowedTools "Read,Bash(git diff:*)" --model='opus' a\ b "x\"y""#;
    assert_eq!(split(text), shlex::split(text).unwrap());
    assert_eq!(split(text), ["--allowedTools", "Read,Bash(git diff:*)", "--model=opus", "a b", "x\"y"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn word_splitting_agrees_with_shlex(text in "[a-z =,()\\-'\"\\\\\t\n:*]{0,40}") {
        // A word starting with `#` begins a comment for both; keep comments out of the comparison.
        prop_assume!(!text.contains('#'));
        if let Some(expected) = shlex::split(&text) {
            prop_assert_eq!(split(&text), expected, "{:?}", text);
        }
    }
}
