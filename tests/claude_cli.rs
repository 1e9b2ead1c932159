//! The emitted argv against the real `claude` CLI, in the oldest supported release (2.1.76) and
//! the tested baseline (2.1.332), both from npm.
//!
//! `AGENTLINT_CLAUDE_CLI_OLDEST` and `AGENTLINT_CLAUDE_CLI_BASELINE` point to the installed CLIs
//! (a `cli.js`, run with `node`, or a `claude` executable); each must report the version this
//! test expects. Without them the tests print a note and pass; under CI (`CI` set) they fail.
//! `.ci/run` installs both into a throwaway folder.
//!
//! Each case runs `claude --output-format=stream-json --verbose <argv[1..]> "say hi"`, the argv as
//! `agentlint args --cli-version V` prints it for that release, with a fresh empty HOME, an empty
//! working directory, stdin closed (an open stdin makes the CLI wait), a timeout, and the API
//! pointed at a stand-in server in this test (`ANTHROPIC_BASE_URL`, a dummy `ANTHROPIC_API_KEY`)
//! that records the first `/v1/messages` request and answers it with an error. So each run shows:
//! - that the CLI accepted every flag (its parser and its start-up checks would stop first);
//! - what it understood, from the stream-json `init` record (permission mode, tools, MCP servers,
//!   agents, model) and the hook events of `--settings`;
//! - what it would send: the system prompt, the model and the beta headers of the request.
//!
//! The machine running the tests may lack what the Linux sandbox needs (bubblewrap, socat). With
//! `failIfUnavailable: true`, which agentlint writes for every enabled sandbox, 2.1.332 then
//! refuses to start, which [`baseline_refuses_to_run_without_its_sandbox`] checks; the other runs
//! put stand-ins for both programs first on `PATH`, so the sandbox check passes and the rest of
//! the arguments can be checked. No command runs, so the stand-ins never sandbox anything.

#![cfg(unix)]

mod common;

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use agentlint::config::{AgentOptions, SystemPrompt, ToolsOption};
use agentlint::launch::flags::{BASELINE, CliVersion, OLDEST_SUPPORTED};

const PROMPT: &str = "say hi";
/// Generous: a run takes 2–5 s on an idle machine, mostly start-up.
const TIMEOUT: Duration = Duration::from_secs(120);
/// After the run has shown what it is checked for, how long it may take to finish on its own.
const GRACE: Duration = Duration::from_secs(2);

/// Messages of the CLI (and of its option parser) that mean the arguments were not accepted.
const REJECTED: &[&str] = &[
    "unknown option",
    "is invalid",
    "argument missing",
    "Input must be provided",
    "Error processing",
    "Settings file not found",
    "Invalid MCP configuration",
    "Invalid session ID",
    "must be a positive number",
    "Beta header",
    "requires --",
    "Did you mean",
    "not found. Available agents",
    "sandbox required but unavailable",
    "can only be used with",
    "cannot be the same",
];

/// One installed CLI.
struct Cli {
    version: CliVersion,
    path: PathBuf,
}

/// The CLIs named by the environment, each checked to be the release it is meant to be.
fn clis() -> Vec<Cli> {
    let mut out = Vec::new();
    for (var, version) in
        [("AGENTLINT_CLAUDE_CLI_OLDEST", OLDEST_SUPPORTED), ("AGENTLINT_CLAUDE_CLI_BASELINE", BASELINE)]
    {
        let path = common::external_tool(var, &format!("the claude CLI {version} (`cli.js` or executable)"));
        assert!(path.exists(), "{var} points to a missing file: {}", path.display());
        let (exe, prefix) = program(&path);
        let printed = Command::new(exe).args(prefix).arg("--version").stdin(Stdio::null()).output().unwrap();
        let text = String::from_utf8_lossy(&printed.stdout);
        let found: CliVersion = text.parse().unwrap_or_else(|e| panic!("{var}: `--version` printed {text:?}: {e}"));
        assert_eq!(found, version, "{var} is CLI {found}, expected {version}");
        out.push(Cli { version, path });
    }
    out
}

/// `node cli.js` for a JavaScript entry point, the executable itself otherwise.
fn program(cli: &Path) -> (PathBuf, Vec<OsString>) {
    let js = cli.extension().is_some_and(|e| e == "js" || e == "mjs" || e == "cjs");
    if js { (PathBuf::from("node"), vec![cli.as_os_str().to_owned()]) } else { (cli.to_path_buf(), Vec::new()) }
}

struct Case {
    label: String,
    file: String,
    agent: Option<String>,
    /// Releases agentlint refuses to encode this case for (it uses what they lack).
    refused_for: &'static [CliVersion],
}

fn cases() -> Vec<Case> {
    let dir = Path::new(common::root()).join("fixtures/args");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| format!("fixtures/args/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    let case = |label: &str, file: &str, agent: Option<&str>, refused_for: &'static [CliVersion]| Case {
        label: label.into(),
        file: file.into(),
        agent: agent.map(str::to_owned),
        refused_for,
    };
    let mut cases: Vec<Case> = files
        .iter()
        .map(|file| case(&Path::new(file).file_stem().unwrap().to_string_lossy(), file, None, &[]))
        .collect();
    cases.push(case("hardened-single", "fixtures/hardened-single.yaml", None, &[]));
    for agent in ["reviewer", "ci"] {
        cases.push(case(&format!("hardened-{agent}"), "fixtures/hardened.yaml", Some(agent), &[]));
    }
    cases.push(case("newer-cli", "fixtures/args/refused/newer-cli.yaml", None, &[OLDEST_SUPPORTED]));
    cases
}

/// `agentlint args --format json --cli-version V` for a case: the argv, or `None` when agentlint
/// refuses to encode it for that release.
fn emitted(case: &Case, version: CliVersion) -> Option<Vec<String>> {
    let version_text = version.to_string();
    let mut args = vec!["args", "--format", "json", "--cli-version", version_text.as_str(), case.file.as_str()];
    if let Some(agent) = &case.agent {
        args.extend(["--agent", agent.as_str()]);
    }
    let run = common::agentlint(&args);
    if case.refused_for.contains(&version) {
        assert_eq!(run.code, 1, "{} for {version}: {run}", case.label);
        assert!(run.stderr.contains(&format!("CLI {version}")), "{} for {version}: {run}", case.label);
        return None;
    }
    assert_eq!(run.code, 0, "{} for {version}: {run}", case.label);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    Some(doc["argv"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect())
}

fn options(case: &Case) -> AgentOptions {
    let bytes = std::fs::read(Path::new(common::root()).join(&case.file)).unwrap();
    let (config, _) = agentlint::config::load_bytes(&case.file, bytes);
    config.agents.into_iter().find(|a| a.name == case.agent).expect("the agent exists").options
}

// --- the stand-in API -------------------------------------------------------------------------

/// A request the stand-in API received.
#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: Vec<(String, String)>,
    body: serde_json::Value,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The system prompt text after the CLI's own blocks: the billing header and the one-line
    /// identity ("You are … Claude Agent SDK.", worded differently by release and mode).
    fn system_prompt(&self) -> String {
        let blocks: Vec<&str> = match &self.body["system"] {
            serde_json::Value::Array(blocks) => blocks.iter().filter_map(|b| b["text"].as_str()).collect(),
            serde_json::Value::String(text) => vec![text.as_str()],
            _ => Vec::new(),
        };
        let own = |b: &&str| {
            b.starts_with("x-anthropic-billing-header:")
                || (b.starts_with("You are ") && b.trim_end().ends_with("Claude Agent SDK.") && b.len() < 200)
        };
        blocks.into_iter().skip_while(own).collect()
    }
}

/// An HTTP server on a free local port that records requests and answers each with a 400 error.
struct FakeApi {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl FakeApi {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let store = Arc::clone(&store);
                std::thread::spawn(move || serve(stream, &store));
            }
        });
        Self { port, requests }
    }

    fn first_message(&self) -> Option<Request> {
        self.requests.lock().unwrap().iter().find(|r| r.path.starts_with("/v1/messages")).cloned()
    }
}

/// Reads one request from the connection, records it, and answers with a 400 error.
fn serve(stream: TcpStream, store: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            return;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    store.lock().unwrap().push(Request { path, headers, body });
    let answer = r#"{"type":"error","error":{"type":"invalid_request_error","message":"agentlint test stand-in"}}"#;
    let response = format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = reader.get_mut().write_all(response.as_bytes());
}

// --- running the CLI ----------------------------------------------------------------------------

/// Stand-ins for the sandbox's programs, so a missing sandbox does not stop the run.
fn sandbox_stand_ins() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["bwrap", "socat"] {
        let path = dir.path().join(name);
        std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

struct Outcome {
    stdout: String,
    stderr: String,
    /// The first `/v1/messages` request, when one came.
    request: Option<Request>,
    /// Neither the marker nor a request came, and the CLI did not finish within [`TIMEOUT`].
    timed_out: bool,
}

/// Runs the CLI until `marker` appears on stdout or the API gets a message request (then
/// [`GRACE`]), it exits, or [`TIMEOUT`]. `path_first` goes first on `PATH`.
fn run_cli(cli: &Path, flags: &[String], marker: &str, path_first: Option<&Path>) -> Outcome {
    let api = FakeApi::start();
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (exe, prefix) = program(cli);
    let mut path = OsString::new();
    if let Some(first) = path_first {
        path.push(first);
        path.push(":");
    }
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let mut child = Command::new(exe)
        .args(prefix)
        // The observation flags go first, so the prompt directly follows the emitted argv, exactly
        // as a launcher appends it (a flag in between would end a variadic option's list).
        .args(["--output-format=stream-json", "--verbose"])
        .args(flags)
        .arg(PROMPT)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home.path())
        .env("TERM", "dumb")
        .env("ANTHROPIC_API_KEY", "agentlint-test-stand-in")
        .env("ANTHROPIC_BASE_URL", format!("http://127.0.0.1:{}", api.port))
        .current_dir(work.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so the CLI and whatever it started can be stopped together.
        .process_group(0)
        .spawn()
        .expect("the claude CLI starts");

    let (line_tx, lines) = mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line_tx.send(line).is_err() {
                break;
            }
        }
    });
    let (err_tx, err_rx) = mpsc::channel::<String>();
    let mut stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        let _ = err_tx.send(text);
    });

    let start = Instant::now();
    let mut deadline = start + TIMEOUT;
    let mut seen = false;
    let mut out = String::new();
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        if !seen && api.first_message().is_some() {
            seen = true;
            deadline = deadline.min(now + GRACE);
        }
        match lines.recv_timeout((deadline - now).min(Duration::from_millis(100))) {
            Ok(line) => {
                if !seen && line.contains(marker) {
                    seen = true;
                    deadline = deadline.min(Instant::now() + GRACE);
                }
                out.push_str(&line);
                out.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break, // finished
        }
    }
    let timed_out = !seen && Instant::now() >= start + TIMEOUT;
    if child.try_wait().ok().flatten().is_none() {
        // The whole process group, by its id (the CLI's own pid).
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", child.id())]).status();
    }
    let _ = child.wait();
    let stderr = err_rx.recv_timeout(GRACE).unwrap_or_default();
    Outcome { stdout: out, stderr, request: api.first_message(), timed_out }
}

/// What the CLI must have understood, checked against its `init` record and hook events.
fn check_understood(options: &AgentOptions, stdout: &str, problems: &mut Vec<String>) {
    let records: Vec<serde_json::Value> = stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let Some(init) = records.iter().find(|r| r["type"] == "system" && r["subtype"] == "init") else {
        problems.push("no init record".into());
        return;
    };
    let mode = options.permission_mode.map_or("default", |m| m.cli_name());
    if init["permissionMode"] != mode {
        problems.push(format!("permissionMode is {}, expected {mode}", init["permissionMode"]));
    }

    let mut expected_servers: Vec<String> = options
        .mcp_servers
        .iter()
        .flatten()
        .filter(|(_, s)| s.kind != Some(agentlint::config::McpTransport::Sdk))
        .map(|(n, _)| n.clone())
        .collect();
    if let Some(text) = &options.mcp_config {
        let config: serde_json::Value = serde_json::from_str(text).expect("fixtures give mcp_config as JSON text");
        expected_servers.extend(config["mcpServers"].as_object().unwrap().keys().cloned());
    }
    let mut servers: Vec<String> =
        init["mcp_servers"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect();
    expected_servers.sort();
    servers.sort();
    if servers != expected_servers {
        problems.push(format!("MCP servers {servers:?}, expected {expected_servers:?}"));
    }

    if let Some(ToolsOption::List(list)) = &options.tools {
        // `--json-schema` adds the StructuredOutput tool; MCP tools come from the servers.
        let mut tools: Vec<&str> = init["tools"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t.as_str())
            .filter(|t| *t != "StructuredOutput" && !t.starts_with("mcp__"))
            .collect();
        let mut expected: Vec<&str> = list.iter().map(String::as_str).collect();
        tools.sort_unstable();
        expected.sort_unstable();
        if tools != expected {
            problems.push(format!("tools {tools:?}, expected {expected:?}"));
        }
    }

    for name in options.agents.iter().flat_map(|a| a.keys()) {
        if !init["agents"].as_array().unwrap().iter().any(|a| a == name.as_str()) {
            problems.push(format!("agent `{name}` missing from {}", init["agents"]));
        }
    }

    if let Some(model) = options.model.as_deref().filter(|m| m.starts_with("claude-"))
        && init["model"] != model
    {
        problems.push(format!("model {}, expected {model}", init["model"]));
    }

    // Hooks travel inside `--settings`: a SessionStart hook reports that it ran.
    let session_start = options
        .hooks
        .as_ref()
        .and_then(|h| h.session_start.as_ref())
        .map_or(0, |m| m.iter().map(|m| m.hooks.len()).sum::<usize>());
    let started =
        records.iter().filter(|r| r["subtype"] == "hook_started" && r["hook_event"] == "SessionStart").count();
    if started != session_start {
        problems.push(format!("{started} SessionStart hooks ran, expected {session_start}"));
    }
}

/// What the CLI sent: the system prompt the config describes, the model, every beta.
fn check_request(options: &AgentOptions, request: Option<&Request>, problems: &mut Vec<String>) {
    let Some(request) = request else {
        problems.push("no request reached the API".into());
        return;
    };
    let prompt = request.system_prompt();
    // Running as a subagent of `agents`, the session's prompt is that agent's.
    if let Some(agent) = options.agent.as_ref().and_then(|name| options.agents.as_ref()?.get(name)) {
        if prompt.trim() != agent.prompt.trim() {
            problems.push(format!("system prompt {prompt:?}, expected the agent's {:?}", agent.prompt));
        }
        return check_model_and_betas(options, request, problems);
    }
    let default_prompt = prompt.len() > 1000;
    let append = match &options.system_prompt {
        Some(SystemPrompt::Preset(p)) => p.append.clone(),
        _ => options.append_system_prompt.clone(),
    };
    match (&options.system_prompt, &options.append_system_prompt) {
        (Some(SystemPrompt::Text(text)), _) if !prompt.starts_with(text.trim_end()) => {
            problems.push(format!("system prompt {prompt:?}, expected {text:?}"))
        }
        (Some(SystemPrompt::Text(_)), _) => {}
        // Unset: the official SDKs' empty prompt; only `append_system_prompt` keeps the CLI's own.
        (None, None) if !prompt.is_empty() => {
            problems.push(format!("an empty system prompt was expected, the CLI sent {} characters", prompt.len()))
        }
        (None, None) => {}
        (Some(SystemPrompt::Preset(_)), _) | (None, Some(_)) if !default_prompt => {
            problems.push(format!("the CLI's own system prompt was expected, it sent {prompt:?}"))
        }
        _ => {}
    }
    if let Some(append) = append.filter(|a| !prompt.contains(a.trim())) {
        problems.push(format!("the system prompt lacks the appended {append:?}"));
    }
    check_model_and_betas(options, request, problems);
}

fn check_model_and_betas(options: &AgentOptions, request: &Request, problems: &mut Vec<String>) {
    if let Some(model) = options.model.as_deref().filter(|m| m.starts_with("claude-"))
        && request.body["model"] != model
    {
        problems.push(format!("the request's model is {}, expected {model}", request.body["model"]));
    }
    let header = request.header("anthropic-beta").unwrap_or_default();
    for beta in options.betas.iter().flatten() {
        if !header.split(',').any(|b| b.trim() == beta) {
            problems.push(format!("beta `{beta}` is not in the request's anthropic-beta header `{header}`"));
        }
    }
}

/// Runs one emitted argv through one CLI; the problems found.
fn accept(cli: &Cli, argv: &[String], options: &AgentOptions, stand_ins: &Path) -> (Vec<String>, Outcome) {
    // A resumed session that does not exist stops before any request.
    let marker = match &options.resume {
        Some(id) => format!("No conversation found with session ID: {id}"),
        None => "\"subtype\":\"api_retry\"".to_owned(),
    };
    let outcome = run_cli(&cli.path, &argv[1..], &marker, Some(stand_ins));
    let mut problems = Vec::new();
    if outcome.timed_out {
        problems.push(format!("no `{marker}` and no request within {TIMEOUT:?}"));
    }
    for rejected in REJECTED {
        if outcome.stderr.contains(rejected) || outcome.stdout.contains(rejected) {
            problems.push(format!("the CLI rejected the arguments (`{rejected}`)"));
        }
    }
    // The CLI's own messages start with `Error:`/`Warning:`, its option parser's with `error:`.
    for line in outcome.stderr.lines() {
        if ["error:", "Error:", "Warning:"].iter().any(|p| line.trim_start().starts_with(p)) {
            problems.push(format!("the CLI complained: {line}"));
        }
    }
    match &options.resume {
        Some(_) if !outcome.stdout.contains(&marker) => problems.push(format!("stdout lacks `{marker}`")),
        Some(_) => {}
        None => {
            check_understood(options, &outcome.stdout, &mut problems);
            check_request(options, outcome.request.as_ref(), &mut problems);
        }
    }
    (problems, outcome)
}

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs the real claude CLIs (AGENTLINT_CLAUDE_CLI_OLDEST, AGENTLINT_CLAUDE_CLI_BASELINE); runs under CI=true (.ci/run)"
)]
fn real_cli_accepts_every_emitted_argv() {
    let clis = clis();
    if clis.is_empty() {
        return;
    }
    let stand_ins = sandbox_stand_ins();
    let cases = cases();
    // Each case's argv for each release; agentlint encodes the same argv for both where it encodes one.
    let mut runs: Vec<(&Case, &Cli, Vec<String>, AgentOptions)> = Vec::new();
    for case in &cases {
        let baseline = emitted(case, BASELINE).expect("every case is encoded for the baseline");
        insta::assert_snapshot!(format!("{}-argv", case.label), baseline.join("\n"));
        for cli in &clis {
            let Some(argv) = emitted(case, cli.version) else { continue };
            assert_eq!(argv, baseline, "{}: the argv for {} differs from the baseline's", case.label, cli.version);
            runs.push((case, cli, argv, options(case)));
        }
    }

    // A few at a time: each run is mostly start-up, which is CPU-bound.
    let parallel = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
    let failures: Vec<String> = runs
        .chunks(parallel)
        .flat_map(|chunk| {
            std::thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|(case, cli, argv, options)| {
                        let stand_ins = stand_ins.path();
                        scope.spawn(move || {
                            let started = Instant::now();
                            let (problems, outcome) = accept(cli, argv, options, stand_ins);
                            let verdict = if problems.is_empty() { "accepted" } else { "FAILED" };
                            eprintln!(
                                "{} on CLI {}: {verdict} in {:.1} s",
                                case.label,
                                cli.version,
                                started.elapsed().as_secs_f64()
                            );
                            (!problems.is_empty()).then(|| {
                                let head: String = outcome.stdout.chars().take(3000).collect();
                                format!(
                                    "{} ({}) on CLI {}:\n  - {}\n  argv: {argv:?}\n  stdout: {head}\n  stderr: {}",
                                    case.label,
                                    case.file,
                                    cli.version,
                                    problems.join("\n  - "),
                                    outcome.stderr
                                )
                            })
                        })
                    })
                    .collect();
                handles.into_iter().filter_map(|h| h.join().expect("case thread")).collect::<Vec<_>>()
            })
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} runs failed:\n{}", failures.len(), runs.len(), failures.join("\n\n"));
}

/// Two betas through the real CLI: one `--betas=` each reaches the API; the comma-joined form the
/// Python and TypeScript SDKs send is one unknown beta to the CLI, and both are dropped.
#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs the real claude CLIs (AGENTLINT_CLAUDE_CLI_OLDEST, AGENTLINT_CLAUDE_CLI_BASELINE); runs under CI=true (.ci/run)"
)]
fn real_cli_takes_one_beta_per_flag() {
    let clis = clis();
    let stand_ins = sandbox_stand_ins();
    for cli in &clis {
        let separate =
            ["--print".to_owned(), "--betas=context-1m-2025-08-07".into(), "--betas=files-api-2025-04-14".into()];
        let outcome = run_cli(&cli.path, &separate, "\"subtype\":\"api_retry\"", Some(stand_ins.path()));
        let header = outcome.request.as_ref().and_then(|r| r.header("anthropic-beta")).unwrap_or_default().to_owned();
        assert!(header.split(',').any(|b| b == "context-1m-2025-08-07"), "CLI {}: header `{header}`", cli.version);
        // The second beta is not on the CLI's list: it is named on its own, so it was split off.
        assert!(
            outcome.stderr.contains("Beta header 'files-api-2025-04-14' is not allowed"),
            "CLI {}: {}",
            cli.version,
            outcome.stderr
        );

        let joined = ["--print".to_owned(), "--betas=context-1m-2025-08-07,files-api-2025-04-14".into()];
        let outcome = run_cli(&cli.path, &joined, "\"subtype\":\"api_retry\"", Some(stand_ins.path()));
        let header = outcome.request.as_ref().and_then(|r| r.header("anthropic-beta")).unwrap_or_default().to_owned();
        assert!(
            !header.contains("context-1m-2025-08-07"),
            "CLI {}: the joined form now works: `{header}`",
            cli.version
        );
        assert!(
            outcome.stderr.contains("Beta header 'context-1m-2025-08-07,files-api-2025-04-14' is not allowed"),
            "CLI {}: {}",
            cli.version,
            outcome.stderr
        );
    }
}

/// Where bubblewrap or socat is missing, 2.1.332 refuses to start the sandbox agentlint emits
/// (`failIfUnavailable: true`) rather than run commands unsandboxed; 2.1.76 has no such setting.
#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs the real claude CLIs (AGENTLINT_CLAUDE_CLI_OLDEST, AGENTLINT_CLAUDE_CLI_BASELINE); runs under CI=true (.ci/run)"
)]
fn baseline_refuses_to_run_without_its_sandbox() {
    let clis = clis();
    let on_path = |name: &str| {
        std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
    };
    if on_path("bwrap") && on_path("socat") {
        eprintln!("note: bubblewrap and socat are installed here, so the sandbox can start; nothing to check");
        return;
    }
    let case = Case {
        label: "hardened-single".into(),
        file: "fixtures/hardened-single.yaml".into(),
        agent: None,
        refused_for: &[],
    };
    for cli in &clis {
        let argv = emitted(&case, cli.version).unwrap();
        assert!(argv.iter().any(|a| a.contains("\"failIfUnavailable\":true")), "{argv:?}");
        let outcome = run_cli(&cli.path, &argv[1..], "\"subtype\":\"api_retry\"", None);
        let refused = outcome.stderr.contains("sandbox required but unavailable");
        if cli.version >= BASELINE {
            assert!(refused, "CLI {} ran without its sandbox: {}", cli.version, outcome.stderr);
            assert!(outcome.request.is_none(), "CLI {} reached the API", cli.version);
        } else {
            assert!(!refused, "CLI {} now honours failIfUnavailable: update the README", cli.version);
        }
    }
}

/// The harness itself tells a rejected argv apart: the two-element form of a variadic flag swallows
/// the prompt (ISSUE-25978), so the CLI never gets to the API.
#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs the real claude CLIs (AGENTLINT_CLAUDE_CLI_OLDEST, AGENTLINT_CLAUDE_CLI_BASELINE); runs under CI=true (.ci/run)"
)]
fn real_cli_harness_detects_a_swallowed_prompt() {
    let stand_ins = sandbox_stand_ins();
    for cli in clis() {
        let flags = ["--print".to_owned(), "--allowedTools".to_owned(), "Read".to_owned()];
        let outcome = run_cli(&cli.path, &flags, "\"subtype\":\"api_retry\"", Some(stand_ins.path()));
        assert!(!outcome.timed_out, "CLI {}", cli.version);
        assert!(outcome.request.is_none(), "CLI {}: {:?}", cli.version, outcome.request);
        assert!(outcome.stderr.contains("Input must be provided"), "CLI {}: {}", cli.version, outcome.stderr);
    }
}
