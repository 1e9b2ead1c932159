//! Reading a session's files: paths as shown, the repository root, and the limits every file
//! found through the repository must respect (inside the root, a regular file, not too large).

use std::path::{Component, Path, PathBuf};

use crate::document::{MAX_FILE_BYTES, read_regular_file};

/// A settings file given to a session: by a flag, by `.agentlint.yaml`, or found in the
/// session's directory.
#[derive(Debug, Clone)]
pub struct Given {
    pub path: PathBuf,
    /// The path as shown in output.
    pub shown: String,
    /// What named it: `--user-settings`, `.agentlint.yaml `user_settings``.
    pub by: String,
    /// Set when the repository names it: the directory it must resolve inside (the repository
    /// root). Files named on agentlint's command line may be anywhere.
    pub within: Option<PathBuf>,
}

impl Given {
    /// A file named on agentlint's own command line: it may be anywhere.
    pub fn flag(path: &str, by: &str) -> Self {
        Given { path: PathBuf::from(path), shown: path.to_owned(), by: by.to_owned(), within: None }
    }

    /// A file the repository names: it must stay inside `root`, links resolved.
    pub fn confined(path: PathBuf, by: String, root: &Path) -> Self {
        Given { shown: shown(&path), path, by, within: Some(root.to_path_buf()) }
    }
}

/// `a/./b/../c` → `a/c`, without touching the filesystem.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    crate::policy::normalize(path)
}

/// The absolute, normalised form of a path (relative to the current directory).
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    normalize(&joined)
}

/// A path as output shows it: relative to the current directory when inside it, with `/`.
pub(crate) fn shown(path: &Path) -> String {
    let absolute = absolute(path);
    let cwd = std::env::current_dir().map(|d| normalize(&d)).unwrap_or_default();
    let shown = match absolute.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => absolute,
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// The repository root of a directory: the nearest directory at or above it that holds `.git`,
/// else the directory itself.
pub(crate) fn repository_root(dir: &Path) -> PathBuf {
    let dir = absolute(dir);
    let mut at = dir.clone();
    loop {
        if at.join(".git").exists() {
            return at;
        }
        if !at.pop() {
            return dir;
        }
    }
}

/// Reads the file a command names as its target (a deployment config): a regular file within
/// the size limit.
pub(crate) fn read_target(path: &Path) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!("`{shown}` is not a regular file"));
    }
    let bytes = read_regular_file(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!("`{shown}` is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)));
    }
    Ok(bytes)
}

/// Reads a given file: `Ok(None)` when it does not exist; an error (a sentence for the output)
/// when it resolves outside the repository root although the repository names it, is not a
/// regular file, or is too large. On success, the path as shown, the bytes and the absolute path.
pub(crate) fn read_given(given: &Given) -> Result<Option<(String, Vec<u8>, PathBuf)>, String> {
    let path = &given.path;
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let real = std::fs::canonicalize(path).map_err(|e| format!("cannot read it: {e}"))?;
    if let Some(root) = &given.within {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        if !real.starts_with(&root) || real.components().any(|c| c == Component::ParentDir) {
            return Err(format!(
                "it resolves outside the repository root `{}`, and agentlint reads nothing outside it that the repository names",
                shown(&root)
            ));
        }
    }
    let meta = std::fs::metadata(&real).map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    // Bounded even if the file grows between the check and the read.
    let bytes = read_regular_file(&real).map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!("it is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)));
    }
    Ok(Some((given.shown.clone(), bytes, absolute(path))))
}
