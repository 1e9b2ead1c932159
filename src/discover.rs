//! Finding the deployment configs under a directory (`agentlint check DIR`).
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

/// The files checked when the project configuration names no `include` patterns.
pub const DEFAULT_INCLUDE: &[&str] =
    &["agentlint.{yaml,yml,json}", "*.agent.{yaml,yml,json}", "**/agents/**/*.{yaml,yml,json}"];

/// Why a directory could not be searched.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("invalid glob `{pattern}`: {message}")]
    Glob { pattern: String, message: String },
    #[error("cannot search `{path}`: {message}")]
    Walk { path: String, message: String },
}

/// The deployment configs under `root`, sorted by path.
///
/// `include` replaces [`DEFAULT_INCLUDE`] when it is not empty; `exclude` removes files
/// and prunes directories. Returned paths start with `root` as given, without a leading
/// `./`, so `discover(".")` yields `agents/ci.yaml`.
pub fn discover(root: &Path, include: &[String], exclude: &[String]) -> Result<Vec<PathBuf>, DiscoverError> {
    walk(root, None, include, exclude).map(|found| found.files)
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
    walk(root, Some(base), include, exclude).map(|found| found.files)
}

/// What a search found: the files, and the links it skipped because they point outside the
/// searched directory (a repository's link to `/etc/passwd` is not read by a directory check).
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    pub skipped_links: Vec<PathBuf>,
}

/// [`discover`] (without `base`) or [`discover_under`], also telling which links were skipped.
pub fn discover_all(
    root: &Path,
    base: Option<&Path>,
    include: &[String],
    exclude: &[String],
) -> Result<Found, DiscoverError> {
    walk(root, base, include, exclude)
}

/// Whether the target of the link at `path` lies inside `root`, both with links resolved.
fn links_inside(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(target)) => target.starts_with(root),
        _ => false,
    }
}

fn walk(root: &Path, base: Option<&Path>, include: &[String], exclude: &[String]) -> Result<Found, DiscoverError> {
    let include = if include.is_empty() {
        glob_set(DEFAULT_INCLUDE.iter().copied())?
    } else {
        glob_set(include.iter().map(String::as_str))?
    };
    let exclude = glob_set(exclude.iter().map(String::as_str))?;
    // Patterns see paths relative to `base` only when the whole search is inside it.
    let base = base.and_then(absolute).filter(|b| absolute(root).is_some_and(|r| r.starts_with(b)));

    let walk_root = root.to_path_buf();
    let walk_base = base.clone();
    let prune = exclude.clone();
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
        .build();

    let mut found = Vec::new();
    let mut skipped_links = Vec::new();
    for entry in walker {
        let entry =
            entry.map_err(|e| DiscoverError::Walk { path: root.display().to_string(), message: e.to_string() })?;
        if entry.depth() == 0 {
            continue;
        }
        // A symlink counts when it points at a file (configs are often shared by linking).
        let is_file = match entry.file_type() {
            Some(t) if t.is_file() => true,
            Some(t) if t.is_symlink() => entry.path().is_file(),
            _ => false,
        };
        if !is_file {
            continue;
        }
        let base = base.as_deref();
        if matches(&include, root, base, entry.path()) && !matches(&exclude, root, base, entry.path()) {
            if entry.path_is_symlink() && !links_inside(root, entry.path()) {
                skipped_links.push(without_leading_cur_dir(entry.path()));
                continue;
            }
            found.push(without_leading_cur_dir(entry.path()));
        }
    }
    found.sort();
    skipped_links.sort();
    Ok(Found { files: found, skipped_links })
}

/// `agentlint.{yaml,yml,json}, *.agent.{yaml,yml,json}, **/agents/**/*.{yaml,yml,json}` for notes.
pub fn describe(include: &[String]) -> String {
    if include.is_empty() { DEFAULT_INCLUDE.join(", ") } else { include.join(", ") }
}

/// Compiles patterns with `*` kept inside one segment; slash-free patterns match at any depth.
fn glob_set<'a>(patterns: impl Iterator<Item = &'a str>) -> Result<GlobSet, DiscoverError> {
    let patterns: Vec<&str> = patterns.collect();
    let mut set = GlobSetBuilder::new();
    for &pattern in &patterns {
        let anchored = match pattern.strip_prefix('/') {
            Some(rest) => rest.to_owned(),
            None if !pattern.contains('/') => format!("**/{pattern}"),
            None => pattern.to_owned(),
        };
        let glob = GlobBuilder::new(&anchored)
            .literal_separator(true)
            .build()
            .map_err(|e| DiscoverError::Glob { pattern: pattern.to_owned(), message: e.kind().to_string() })?;
        set.add(glob);
    }
    set.build().map_err(|e| DiscoverError::Glob { pattern: patterns.join(", "), message: e.to_string() })
}

/// Whether the path relative to `base` matches; without a base, the path below `root`,
/// alone or after the name of `root` itself.
fn matches(set: &GlobSet, root: &Path, base: Option<&Path>, path: &Path) -> bool {
    if let Some(base) = base {
        return absolute(path).is_some_and(|p| p.strip_prefix(base).is_ok_and(|rel| set.is_match(slashed(rel))));
    }
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let rel = slashed(rel);
    set.is_match(&rel) || root.file_name().is_some_and(|name| set.is_match(format!("{}/{rel}", name.to_string_lossy())))
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
    fn include_replaces_defaults_and_exclude_prunes() {
        let dir = tree(FILES);
        assert_eq!(
            found(dir.path(), &["*.yml"], &[]),
            [".github/workflows/ci.yml", "agents/nested/b.yml", "docker-compose.yml", "review.agent.yml"]
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
}
