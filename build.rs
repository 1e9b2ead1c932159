//! Build metadata for `agentlint --version --verbose`, and the `ci` cfg for tests.
//!
//! - `AGENTLINT_COMMIT` / `AGENTLINT_COMMIT_DATE`: the commit agentlint was built from, read
//!   with `git` when the package is its own git checkout. A build from a tarball or
//!   `cargo install --git` cache without `.git`, a checkout nested in some other repository,
//!   or a machine without `git` gets empty values, and the binary says the commit is unknown.
//!   Packagers can set both variables in the build environment instead.
//! - `cfg(ci)`: set when the `CI` environment variable is set (and not empty, `0` or `false`),
//!   so tests that need external programs or `../shared/corpus` run, and fail when those are
//!   missing, instead of being ignored.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=AGENTLINT_COMMIT");
    println!("cargo::rerun-if-env-changed=AGENTLINT_COMMIT_DATE");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(ci)");

    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false")) {
        println!("cargo::rustc-cfg=ci");
    }

    let (commit, date) = match std::env::var("AGENTLINT_COMMIT") {
        Ok(commit) if !commit.is_empty() => (commit, std::env::var("AGENTLINT_COMMIT_DATE").unwrap_or_default()),
        _ => from_git().unwrap_or_default(),
    };
    println!("cargo::rustc-env=AGENTLINT_COMMIT={commit}");
    println!("cargo::rustc-env=AGENTLINT_COMMIT_DATE={date}");
}

/// `git` run in the package directory; `None` when it fails or prints nothing.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The commit and its date, only when the package directory is the top of its own work tree.
/// Also tells Cargo to run this script again when `HEAD` or the branch it names moves.
fn from_git() -> Option<(String, String)> {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let top = PathBuf::from(git(&dir, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    for file in ["HEAD", "packed-refs"] {
        watch(&dir, file);
    }
    if let Some(branch) = git(&dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch(&dir, &branch);
    }
    let commit = git(&dir, &["rev-parse", "--short=12", "HEAD"])?;
    let date = git(&dir, &["log", "-1", "--format=%cs", "HEAD"]).unwrap_or_default();
    Some((commit, date))
}

/// `rerun-if-changed` on a file of the git directory, if it exists (a missing one would make
/// Cargo run this script on every build).
fn watch(dir: &Path, name: &str) {
    if let Some(path) = git(dir, &["rev-parse", "--path-format=absolute", "--git-path", name])
        && Path::new(&path).exists()
    {
        println!("cargo::rerun-if-changed={path}");
    }
}
