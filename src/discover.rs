//! Finding the files to check under a directory (`agentlint check DIR`), each with its kind.
//!
//! A file is checked when a `kinds:` glob of the project configuration names its kind, when
//! its name is one of Claude Code's ([`crate::kinds::detect`]: `.claude/settings.json`,
//! `.mcp.json`, `.claude/agents/*.md`, …), or when it matches the deployment-config patterns
//! ([`DEFAULT_INCLUDE`], or the project's `include` globs, which replace them). `exclude`
//! globs remove files of every kind.
//!
//! The walk is gitignore-aware (`.gitignore`, `.ignore`, `.git/info/exclude` and the
//! global git excludes are honoured even outside a git repository, so a checkout
//! exported without `.git` behaves the same). Hidden directories are walked because
//! deployment configs often live in `.github/` or `.ci/`; only `.git` is skipped.
//!
//! Patterns are globs with `/` as separator: `*` stays within one path segment, `**`
//! crosses segments. A pattern without `/` matches a file name at any depth (as in
//! `.gitignore`); a leading `/` anchors a pattern. Patterns are matched against the path
//! relative to a base directory: the project configuration's directory ([`discover_under`])
//! when the searched directory lies inside it. Otherwise a path matches when its part below
//! the searched directory matches, or that part prefixed with the directory's own name does
//! (so `agentlint check agents/` finds `agents/ci.yaml` through `**/agents/**`, while the
//! names of directories further up never count). Exclude patterns also prune directories.

use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::kinds::{FileKind, Kind};

/// The deployment configs checked when the project configuration names no `include` patterns.
pub const DEFAULT_INCLUDE: &[&str] =
    &["agentlint.{yaml,yml,json}", "*.agent.{yaml,yml,json}", "**/agents/**/*.{yaml,yml,json}"];

/// A file to check and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub kind: FileKind,
}

/// Which files a directory check takes: deployment-config `include` globs (empty: the
/// defaults), `exclude` globs, and `kinds` globs that give a file a kind whatever its name.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    pub include: &'a [String],
    pub exclude: &'a [String],
    pub kinds: &'a [(String, FileKind)],
}

/// Why a directory could not be searched.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("invalid glob `{pattern}`: {message}")]
    Glob { pattern: String, message: String },
    #[error("cannot search `{path}`: {message}")]
    Walk { path: String, message: String },
}

/// The files to check under `root`, sorted by path: Claude Code's files by their names, and
/// deployment configs by `include` (the defaults when empty); `exclude` removes files and
/// prunes directories. Returned paths start with `root` as given, without a leading `./`, so
/// `discover(".")` yields `agents/ci.yaml`.
pub fn discover(root: &Path, include: &[String], exclude: &[String]) -> Result<Vec<PathBuf>, DiscoverError> {
    let found = discover_files(root, None, Selection { include, exclude, kinds: &[] })?;
    Ok(found.files.into_iter().map(|f| f.path).collect())
}

/// [`discover`] with patterns relative to `base` (the directory of the project configuration
/// that declares them) for the files inside `base`; `root` and `base` may be relative to the
/// working directory or absolute.
pub fn discover_under(
    root: &Path,
    base: &Path,
    include: &[String],
    exclude: &[String],
) -> Result<Vec<PathBuf>, DiscoverError> {
    let found = discover_files(root, Some(base), Selection { include, exclude, kinds: &[] })?;
    Ok(found.files.into_iter().map(|f| f.path).collect())
}

/// What a search found: the files with their kinds, and the links it skipped because they
/// point outside the searched directory (a repository's link to `/etc/passwd` is not read by a
/// directory check).
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<Found>,
    pub skipped_links: Vec<PathBuf>,
}

/// The files to check under `root` with their kinds, sorted by path. Patterns are relative to
/// `base` for the files inside it (see the module documentation).
pub fn discover_files(root: &Path, base: Option<&Path>, selection: Selection<'_>) -> Result<Discovered, DiscoverError> {
    walk(root, base, selection)
}

/// Whether the target of the link at `path` lies inside `root`, both with links resolved.
fn links_inside(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(target)) => target.starts_with(root),
        _ => false,
    }
}

fn walk(root: &Path, base: Option<&Path>, selection: Selection<'_>) -> Result<Discovered, DiscoverError> {
    let include = if selection.include.is_empty() {
        glob_set(DEFAULT_INCLUDE.iter().copied())?
    } else {
        glob_set(selection.include.iter().map(String::as_str))?
    };
    let exclude = glob_set(selection.exclude.iter().map(String::as_str))?;
    let kinds = glob_set(selection.kinds.iter().map(|(g, _)| g.as_str()))?;
    // Patterns see paths relative to `base` only when the whole search is inside it.
    let base = base.and_then(absolute).filter(|b| absolute(root).is_some_and(|r| r.starts_with(b)));

    let walk_root = root.to_path_buf();
    let walk_base = base.clone();
    let prune = exclude.clone();
    // The parallel walker hands each directory's listing to the ignore rules, so it does not
    // probe every folder for `.gitignore`, `.ignore` and `.git` (the sequential one does).
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir && entry.file_name() == ".git" {
                return false;
            }
            !(is_dir && matches(&prune, &walk_root, walk_base.as_deref(), entry.path()))
        })
        .build_parallel();

    let classifier = Classifier { root, base: base.as_deref(), include, exclude, kinds, kind_names: selection.kinds };
    // Each thread adds what it finds to the one list, locking it only for a file found.
    let collected = std::sync::Mutex::new(Collected::default());
    walker.run(|| {
        let (classifier, collected) = (&classifier, &collected);
        Box::new(move |entry| {
            let outcome = match entry {
                Ok(entry) => classifier.classify(entry),
                Err(e) => Some(Outcome::Error(e.to_string())),
            };
            let Some(outcome) = outcome else { return ignore::WalkState::Continue };
            let mut collected = collected.lock().unwrap_or_else(|e| e.into_inner());
            match outcome {
                Outcome::Check(found) => collected.files.push(found),
                Outcome::SkippedLink(path) => collected.skipped_links.push(path),
                Outcome::Error(message) => {
                    collected.note_error(message);
                    return ignore::WalkState::Quit;
                }
            }
            ignore::WalkState::Continue
        })
    });
    let Collected { mut files, mut skipped_links, error } = collected.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(message) = error {
        return Err(DiscoverError::Walk { path: root.display().to_string(), message });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    skipped_links.sort();
    Ok(Discovered { files, skipped_links })
}

/// What the walk found, from all its threads.
#[derive(Default)]
struct Collected {
    files: Vec<Found>,
    skipped_links: Vec<PathBuf>,
    /// Of the errors met, the least by its text (usually headed by the path), so the one
    /// reported does not depend on which thread met its error first.
    error: Option<String>,
}

impl Collected {
    fn note_error(&mut self, message: String) {
        if self.error.as_ref().is_none_or(|known| message < *known) {
            self.error = Some(message);
        }
    }
}

/// What becomes of one entry of the walk.
enum Outcome {
    Check(Found),
    /// A link to a file outside the searched directory, which is not read.
    SkippedLink(PathBuf),
    Error(String),
}

/// Decides, for each entry the walk yields, whether it is checked and as what kind.
struct Classifier<'a> {
    root: &'a Path,
    base: Option<&'a Path>,
    include: GlobSet,
    exclude: GlobSet,
    kinds: GlobSet,
    kind_names: &'a [(String, FileKind)],
}

impl Classifier<'_> {
    fn classify(&self, entry: ignore::DirEntry) -> Option<Outcome> {
        if entry.depth() == 0 {
            return None;
        }
        // A symlink counts when it points at a file (configs are often shared by linking).
        let is_file = match entry.file_type() {
            Some(t) if t.is_file() => true,
            Some(t) if t.is_symlink() => entry.path().is_file(),
            _ => false,
        };
        if !is_file {
            return None;
        }
        let (root, base, path) = (self.root, self.base, entry.path());
        if matches(&self.exclude, root, base, path) {
            return None;
        }
        // An extracted kind found by name (not named by a `kinds` pattern) is only a candidate:
        // it is checked if its bytes name the SDK.
        let (kind, candidate) = match first_match(&self.kinds, root, base, path) {
            Some(i) => (Some(self.kind_names[i].1.scoped_by(&path.to_string_lossy())), false),
            None => match crate::kinds::detect(&path.to_string_lossy()) {
                Some(k) if k.kind.is_extracted() => {
                    (Some(k).filter(|_| !is_vendored(path.strip_prefix(root).unwrap_or(path))), true)
                }
                Some(k) if k.kind != Kind::Deployment => (Some(k), false),
                _ => (matches(&self.include, root, base, path).then_some(FileKind::DEPLOYMENT), false),
            },
        };
        let kind = kind?;
        if entry.path_is_symlink() && !links_inside(root, path) {
            // A candidate is not reported: whether it would have been scanned is unknown
            // without reading a file outside the tree.
            return (!candidate).then(|| Outcome::SkippedLink(without_leading_cur_dir(path)));
        }
        (!candidate || may_start_sessions(path, kind.kind))
            .then(|| Outcome::Check(Found { path: without_leading_cur_dir(path), kind }))
    }
}

/// Bytes read at a time by [`may_start_sessions`].
const PREFILTER_CHUNK: usize = 64 * 1024;

thread_local! {
    /// One read buffer per thread, so the prefilter allocates nothing per file.
    static PREFILTER_BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; PREFILTER_CHUNK]);
}

/// True when a file of an extracted kind holds one of the SDK's names (the byte search of
/// [`crate::kinds::source::may_have_sites`]; no parsing).
///
/// This runs on every source file of a tree, most of which start no session, so it is what a
/// scan of a large codebase costs beyond the walk (benches/scan.sh): it reads the file in
/// chunks into a buffer reused across files (open, a read or two, close: no `stat`, no
/// allocation), stops at the first name found, and keeps the last bytes of a chunk so that a
/// name split across two reads is still found. At most [`crate::document::MAX_FILE_BYTES`]
/// bytes are searched, as a check would read. The walk only hands over regular files (and
/// links to them), so opening cannot block on a FIFO. A file that cannot be read is kept, so
/// the check reports why rather than the walk hiding it.
fn may_start_sessions(path: &Path, kind: Kind) -> bool {
    use std::io::Read as _;
    let Ok(mut file) = std::fs::File::open(path) else { return true };
    let keep = crate::kinds::source::LONGEST_NAME.saturating_sub(1);
    PREFILTER_BUFFER.with_borrow_mut(|buffer| {
        let mut filled = 0;
        let mut total = 0;
        loop {
            let n = match file.read(&mut buffer[filled..]) {
                Ok(0) => return false,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return true,
            };
            filled += n;
            total += n;
            if crate::kinds::source::may_have_sites(kind, &buffer[..filled]) {
                return true;
            }
            if total > crate::document::MAX_FILE_BYTES {
                return false;
            }
            let tail = filled.saturating_sub(keep);
            buffer.copy_within(tail..filled, 0);
            filled -= tail;
        }
    })
}

/// True for a path under a directory of other people's code (`node_modules`, `.venv`, …).
fn is_vendored(relative: &Path) -> bool {
    relative.components().any(|c| {
        matches!(c, Component::Normal(name) if crate::kinds::source::VENDORED_DIRS.iter().any(|v| name == std::ffi::OsStr::new(v)))
    })
}

/// `agentlint.{yaml,yml,json}, *.agent.{yaml,yml,json}, **/agents/**/*.{yaml,yml,json}` for notes.
pub fn describe(include: &[String]) -> String {
    if include.is_empty() { DEFAULT_INCLUDE.join(", ") } else { include.join(", ") }
}

/// One pattern as `include`, `exclude` and `kinds` use it (see [`glob_set`]).
pub fn glob_matcher(pattern: &str) -> Result<globset::GlobMatcher, DiscoverError> {
    Ok(glob(pattern)?.compile_matcher())
}

/// Compiles patterns with `*` kept inside one segment; slash-free patterns match at any depth.
fn glob_set<'a>(patterns: impl Iterator<Item = &'a str>) -> Result<GlobSet, DiscoverError> {
    let patterns: Vec<&str> = patterns.collect();
    let mut set = GlobSetBuilder::new();
    for &pattern in &patterns {
        set.add(glob(pattern)?);
    }
    set.build().map_err(|e| DiscoverError::Glob { pattern: patterns.join(", "), message: e.to_string() })
}

/// A pattern without `/` matches a file name at any depth; a leading `/` anchors it.
fn glob(pattern: &str) -> Result<globset::Glob, DiscoverError> {
    let anchored = match pattern.strip_prefix('/') {
        Some(rest) => rest.to_owned(),
        None if !pattern.contains('/') => format!("**/{pattern}"),
        None => pattern.to_owned(),
    };
    GlobBuilder::new(&anchored)
        .literal_separator(true)
        .build()
        .map_err(|e| DiscoverError::Glob { pattern: pattern.to_owned(), message: e.kind().to_string() })
}

/// Whether the path relative to `base` matches; without a base, the path below `root`,
/// alone or after the name of `root` itself.
fn matches(set: &GlobSet, root: &Path, base: Option<&Path>, path: &Path) -> bool {
    !set.is_empty() && first_match(set, root, base, path).is_some()
}

/// The index of the first pattern of `set` that matches, as [`matches`] matches.
fn first_match(set: &GlobSet, root: &Path, base: Option<&Path>, path: &Path) -> Option<usize> {
    if set.is_empty() {
        return None;
    }
    let first = |candidate: &str| set.matches(candidate).into_iter().min();
    if let Some(base) = base {
        return absolute(path).and_then(|p| p.strip_prefix(base).ok().and_then(|rel| first(&slashed(rel))));
    }
    let rel = slashed(path.strip_prefix(root).ok()?);
    first(&rel).or_else(|| root.file_name().and_then(|name| first(&format!("{}/{rel}", name.to_string_lossy()))))
}

/// A path with `/` separators and without `.`, root or drive components, as patterns expect.
fn slashed(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .filter(|c| matches!(c, Component::Normal(_) | Component::ParentDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// The absolute path with `.` and `..` resolved lexically (symlinks are not followed, so a
/// path keeps the spelling the user and the project configuration see).
fn absolute(path: &Path) -> Option<PathBuf> {
    let path = if path.as_os_str().is_empty() { Path::new(".") } else { path };
    let mut out = PathBuf::new();
    for c in std::path::absolute(path).ok()?.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

fn without_leading_cur_dir(path: &Path) -> PathBuf {
    path.components().skip_while(|c| matches!(c, Component::CurDir)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "permission_mode: plan\n").unwrap();
        }
        dir
    }

    fn found(dir: &Path, include: &[&str], exclude: &[&str]) -> Vec<String> {
        let include: Vec<String> = include.iter().map(|s| s.to_string()).collect();
        let exclude: Vec<String> = exclude.iter().map(|s| s.to_string()).collect();
        discover(dir, &include, &exclude).unwrap().iter().map(|p| slashed(p.strip_prefix(dir).unwrap())).collect()
    }

    const FILES: &[&str] = &[
        "agentlint.yaml",
        "agentlint.toml",
        "sub/agentlint.json",
        "review.agent.yml",
        "deep/x/ci.agent.json",
        "agents/a.yaml",
        "agents/nested/b.yml",
        "agents/notes.md",
        "services/agents/c.json",
        "docker-compose.yml",
        ".github/workflows/ci.yml",
        ".github/agents/d.yaml",
        ".git/agents/e.yaml",
        "myagents/f.yaml",
    ];

    #[test]
    fn default_patterns() {
        let dir = tree(FILES);
        assert_eq!(
            found(dir.path(), &[], &[]),
            [
                ".github/agents/d.yaml",
                "agentlint.yaml",
                "agents/a.yaml",
                "agents/nested/b.yml",
                "deep/x/ci.agent.json",
                "review.agent.yml",
                "services/agents/c.json",
                "sub/agentlint.json",
            ]
        );
    }

    #[test]
    fn a_directory_that_cannot_be_read_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let error = discover(&missing, &[], &[]).unwrap_err();
        let DiscoverError::Walk { path, message } = &error else { panic!("{error:?}") };
        assert_eq!(path, &missing.display().to_string());
        assert!(message.contains("gone"), "{message}");
    }

    #[test]
    fn a_wide_tree_is_found_whole_and_in_path_order() {
        // Many folders, so the parallel walk's threads share the work.
        let names: Vec<String> = (0..300).rev().map(|i| format!("r{i:03}/.claude/settings.json")).collect();
        let dir = tree(&names.iter().map(String::as_str).collect::<Vec<_>>());
        let mut expected: Vec<String> = names.clone();
        expected.sort();
        assert_eq!(found(dir.path(), &[], &[]), expected);
    }

    #[test]
    fn prefilter_finds_a_name_split_across_reads() {
        let dir = tempfile::tempdir().unwrap();
        for offset in [PREFILTER_CHUNK - 20, PREFILTER_CHUNK - 1, PREFILTER_CHUNK, 3 * PREFILTER_CHUNK - 7] {
            let mut text = "#".repeat(offset);
            text.push_str("from claude_agent_sdk import query\n");
            let path = dir.path().join(format!("a{offset}.py"));
            std::fs::write(&path, &text).unwrap();
            assert!(may_start_sessions(&path, Kind::Python), "name at {offset}");
            std::fs::write(&path, text.replace("claude_agent_sdk", "other_sdk")).unwrap();
            assert!(!may_start_sessions(&path, Kind::Python), "no name, {offset}");
        }
    }

    #[test]
    fn include_replaces_defaults_and_exclude_prunes() {
        let dir = tree(FILES);
        // A workflow is its own kind, read only when it names `claude` (this one does not).
        assert_eq!(
            found(dir.path(), &["*.yml"], &[]),
            ["agents/nested/b.yml", "docker-compose.yml", "review.agent.yml"]
        );
        assert_eq!(found(dir.path(), &["/*.yml"], &[]), ["docker-compose.yml", "review.agent.yml"]);
        assert_eq!(found(dir.path(), &[], &["agents", "*.json"]), ["agentlint.yaml", "review.agent.yml"]);
        assert_eq!(found(dir.path(), &[], &["agents/nested/**", ".github/**"]).len(), 6);
    }

    #[test]
    fn gitignore_is_honoured_without_a_repository() {
        let dir = tree(&["agents/a.yaml", "local/agents/b.yaml", "agents/c.local.yaml"]);
        std::fs::write(dir.path().join(".gitignore"), "local/\n*.local.yaml\n").unwrap();
        assert_eq!(found(dir.path(), &[], &[]), ["agents/a.yaml"]);
    }

    #[test]
    fn invalid_glob_is_an_error() {
        let dir = tree(&[]);
        let err = discover(dir.path(), &["agents/[".to_owned()], &[]).unwrap_err();
        assert_eq!(err.to_string(), "invalid glob `agents/[`: unclosed character class; missing ']'");
    }

    #[test]
    fn patterns_also_see_the_searched_directory_name() {
        let dir = tree(&["agents/a.yaml", "agents/nested/b.yml", "agents/c.txt"]);
        let agents = dir.path().join("agents");
        let found: Vec<String> =
            discover(&agents, &[], &[]).unwrap().iter().map(|p| slashed(p.strip_prefix(dir.path()).unwrap())).collect();
        assert_eq!(found, ["agents/a.yaml", "agents/nested/b.yml"]);
        // Directories above the searched one do not count: nothing here is a deployment config.
        let above = tree(&["agents/project/docker-compose.yml", "agents/project/ci.yaml"]);
        assert!(discover(&above.path().join("agents/project"), &[], &[]).unwrap().is_empty());
    }

    #[test]
    fn patterns_are_relative_to_the_base_inside_it() {
        let dir = tree(&["deploy/agents/a.yaml", "deploy/prod/b.yaml", "deploy/prod/c.yaml", "other/x.yaml"]);
        let include = vec!["deploy/prod/*.yaml".to_owned(), "/other/*.yaml".to_owned()];
        let exclude = vec!["deploy/prod/c.yaml".to_owned()];
        let under = |root: &str| -> Vec<String> {
            discover_under(&dir.path().join(root), dir.path(), &include, &exclude)
                .unwrap()
                .iter()
                .map(|p| slashed(p.strip_prefix(dir.path()).unwrap()))
                .collect()
        };
        assert_eq!(under("."), ["deploy/prod/b.yaml", "other/x.yaml"]);
        assert_eq!(under("deploy/prod"), ["deploy/prod/b.yaml"]);
        assert_eq!(under("deploy/prod/../prod"), ["deploy/prod/../prod/b.yaml"], "paths keep their spelling");
        // A search outside the base falls back to paths below the searched directory.
        let elsewhere = tree(&["deploy/prod/b.yaml"]);
        let found = discover_under(&elsewhere.path().join("deploy"), dir.path(), &["prod/*.yaml".to_owned()], &[]);
        assert_eq!(found.unwrap().len(), 1);
    }

    #[test]
    fn leading_cur_dir_is_dropped() {
        assert_eq!(without_leading_cur_dir(Path::new("./agents/a.yaml")), Path::new("agents/a.yaml"));
        assert_eq!(without_leading_cur_dir(Path::new("x/./a.yaml")), Path::new("x/a.yaml"));
    }

    /// A link is followed only when its target is inside the searched tree: a pull request must
    /// not make agentlint read (and echo) a file of the machine it runs on.
    #[test]
    fn links_leading_outside_the_tree_are_skipped_and_named() {
        let outside = tree(&["secret.json"]);
        let dir = tree(&["shared/settings.json"]);
        std::fs::create_dir_all(dir.path().join(".claude")).unwrap();
        std::fs::create_dir_all(dir.path().join("team/.claude")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.json"), dir.path().join(".claude/settings.json"))
            .unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("shared/settings.json"),
            dir.path().join("team/.claude/settings.json"),
        )
        .unwrap();
        let selection = Selection { include: &[], exclude: &[], kinds: &[] };
        let found = discover_files(dir.path(), None, selection).unwrap();
        let names: Vec<String> =
            found.files.iter().map(|f| slashed(f.path.strip_prefix(dir.path()).unwrap())).collect();
        assert_eq!(names, ["team/.claude/settings.json"]);
        let skipped: Vec<String> =
            found.skipped_links.iter().map(|p| slashed(p.strip_prefix(dir.path()).unwrap())).collect();
        assert_eq!(skipped, [".claude/settings.json"]);
    }
}
