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
//! - On Linux the `agentlint` binary is linked as a position-dependent executable (`-no-pie`).
//!   A position-independent one makes the dynamic loader patch about 59,000 pointers at every
//!   start, which copies some 360 pages: half of what a one-file check costs (see the README's
//!   performance section). Shared libraries, the heap and the stack are still placed at random;
//!   set `AGENTLINT_PIE=1` when building to keep the executable position-independent.
//! - `$OUT_DIR/agent-config.schema.rs`, `$OUT_DIR/claude-code-settings.schema.rs`: the
//!   deployment schema and the vendored settings schema (with agentlint's overlay,
//!   `src/kinds/settings/overlay.rs`) as Rust expressions of the validator's schema types
//!   (`src/schema/keywords.rs`), so the binary holds them as static data and a check builds
//!   nothing before it starts. Their annotations (`description`, `title`, `examples`, …) are
//!   left out: the validator never reads one, and they are three quarters of the vendored
//!   settings schema.
//! - `$OUT_DIR/agent-config.runtime.json`: the deployment schema as that static data was made
//!   from it (annotations stripped, minified), for the test that compares the two.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The schema types the validator walks; only their reading and [`keywords::Schema::to_rust`]
/// are used here.
#[allow(dead_code)]
#[path = "src/schema/keywords.rs"]
mod keywords;

/// agentlint's changes to the vendored settings schema, applied before it is built in.
#[path = "src/kinds/settings/overlay.rs"]
mod settings_overlay;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=AGENTLINT_COMMIT");
    println!("cargo::rerun-if-env-changed=AGENTLINT_COMMIT_DATE");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(ci)");
    println!("cargo::rerun-if-env-changed=AGENTLINT_PIE");

    println!("cargo::rerun-if-changed=src/schema/keywords.rs");
    println!("cargo::rerun-if-changed=src/kinds/settings/overlay.rs");
    let deployment = stripped_schema("schemas/agent-config.schema.json");
    let minified = serde_json::to_string(&deployment).expect("a JSON value serializes");
    write_out("agent-config.runtime.json", &minified);
    write_static_schema(deployment, "agent-config.schema.rs");
    let mut settings = stripped_schema("schemas/vendor/claude-code-settings.schema.json");
    settings_overlay::overlay(&mut settings);
    write_static_schema(settings, "claude-code-settings.schema.rs");

    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux && std::env::var("AGENTLINT_PIE").map_or(true, |v| v.is_empty() || v == "0") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }

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

/// Keywords that only annotate a schema: no validation result depends on them.
const ANNOTATIONS: &[&str] = &[
    "$comment",
    "deprecationMessage",
    "description",
    "enumDescriptions",
    "examples",
    "markdownDescription",
    "markdownEnumDescriptions",
    "title",
];

/// Keywords whose value maps names to schemas (the names are data, not keywords).
const SCHEMA_MAPS: &[&str] = &["$defs", "definitions", "dependentSchemas", "patternProperties", "properties"];

/// Keywords whose value is data, kept as written.
const DATA: &[&str] = &["const", "default", "enum", "required", "type"];

/// `schema` without its annotations, at every depth where a schema can be.
fn strip_annotations(schema: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match schema {
        Value::Array(items) => Value::Array(items.into_iter().map(strip_annotations).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(key, _)| !ANNOTATIONS.contains(&key.as_str()))
                .map(|(key, value)| {
                    let value = match value {
                        Value::Object(named) if SCHEMA_MAPS.contains(&key.as_str()) => {
                            Value::Object(named.into_iter().map(|(name, s)| (name, strip_annotations(s))).collect())
                        }
                        value if DATA.contains(&key.as_str()) || key.starts_with("x-") => value,
                        value => strip_annotations(value),
                    };
                    (key, value)
                })
                .collect(),
        ),
        other => other,
    }
}

/// The schema in the file `schema`, without its annotations.
fn stripped_schema(schema: &str) -> serde_json::Value {
    println!("cargo::rerun-if-changed={schema}");
    let text = std::fs::read_to_string(schema).unwrap_or_else(|e| panic!("{schema}: {e}"));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{schema}: {e}"));
    strip_annotations(value)
}

/// Writes `value`, read as a schema, as a Rust expression of type `Schema` to the file `rust`
/// in `$OUT_DIR`.
fn write_static_schema(value: serde_json::Value, rust: &str) {
    let schema: keywords::Schema = serde_json::from_value(value).unwrap_or_else(|e| panic!("{rust}: {e}"));
    write_out(rust, &schema.to_rust());
}

fn write_out(name: &str, text: &str) {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join(name);
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
