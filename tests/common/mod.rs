//! Runs the real binary from the repository root, so paths in output are the
//! relative paths given on the command line and snapshots are stable.

#![allow(dead_code)]

use std::fmt;
use std::io::Write;
use std::process::{Command, Stdio};

/// What one run of the binary printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    /// The snapshot form: exit code, then stdout, then stderr.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}", self.code, self.stdout, self.stderr)
    }
}

pub fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// Runs `agentlint ARGS` in the repository root with colours off and a fixed environment.
pub fn agentlint(args: &[&str]) -> Run {
    agentlint_stdin(args, None)
}

pub fn agentlint_stdin(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentlint"));
    cmd.args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(bytes) = stdin {
        child.stdin.take().expect("stdin").write_all(bytes).expect("write stdin");
    }
    let out = child.wait_with_output().expect("binary finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `agentlint ARGS` in another working directory (paths in output are then relative to it).
pub fn agentlint_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_agentlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Asserts a generated file (schema, docs page) matches what the code generates now;
/// with `AGENTLINT_BLESS=1` it rewrites the file instead.
pub fn check_generated(relative: &str, expected: &str) {
    let path = std::path::Path::new(root()).join(relative);
    if std::env::var_os("AGENTLINT_BLESS").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == expected, "{relative} is stale: run `AGENTLINT_BLESS=1 cargo test` and commit the result");
}

/// An external tool's path from the environment variable `var` (set by `.ci/run`). Tests that
/// call this are `#[cfg_attr(not(ci), ignore = "…")]`: outside CI they are listed as ignored,
/// with the reason, and run with `cargo test -- --ignored`; when they do run (under `CI`, or
/// asked for), a missing tool fails the test, so it can never pass by skipping its work.
pub fn external_tool(var: &str, what: &str) -> std::path::PathBuf {
    match std::env::var_os(var) {
        Some(path) if !path.is_empty() => path.into(),
        _ => panic!("{var} is not set ({what}); `.ci/run` installs it and sets it"),
    }
}

/// The real-world configs of `../shared/corpus` (JSON and YAML files, sorted). Tests that call
/// this are ignored outside CI, like [`external_tool`]'s; a missing corpus fails them.
pub fn corpus_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(root()).join("../shared/corpus");
    assert!(root.is_dir(), "{} is missing: these tests need the corpus next to the repository", root.display());
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
