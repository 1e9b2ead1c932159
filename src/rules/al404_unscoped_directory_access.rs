//! AL404 unscoped-directory-access.

use serde::Deserialize;

use super::{AgentContext, ParamError, Rule, RuleEntry, RuleMeta, parse_params};
use crate::document::{Node, Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL404",
    name: "unscoped-directory-access",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "`cwd` or `add_dir` opens the filesystem root, the home directory or a system directory",
    docs: r#"## What it checks
The directories an agent works in (`cwd`) and may additionally access (`add_dir`):
- **error** when one is `/`, `~`, `$HOME`, `${HOME}`, a user's home directory written out (`/home/alice`, `/Users/alice`, `/root`, `/var/root`, `~alice`), the folder of all home directories (`/home`, `/Users`), or a system directory (`/etc`, `/usr`, `/var`, `/proc`, `/sys`), with or without a trailing `/` and also after resolving `.` and `..`;
- **error** when the `allowed_roots` parameter is set and a directory is not inside one of them;
- **warning** when `cwd` is not set, or a directory is relative or contains `..` (`cwd: .` is relative too).

Each directory gets at most one finding, the most severe.

In a Claude Code settings file the extra directories are `permissions.additionalDirectories`; `cwd` exists only in deployment configs.

## Why it matters
File tools (`Read`, `Edit`, `Glob`, `Grep`) and the sandbox's write access are scoped to the working directory and the added directories. Scoping them to `/` or a home directory exposes SSH and cloud credentials (`~/.ssh`, `~/.aws`), shell profiles that run on the next login, and every other project on the machine; system directories hold configuration and other users' data. Without `cwd` the agent works wherever its launcher happens to run, and a relative path or `..` moves with it.

## Failing example
```yaml
cwd: /srv/checkout
add_dir: ["~"]
```

## Passing example
```yaml
cwd: /srv/checkout
add_dir: [/srv/cache]
```

## How to fix
Point `cwd` at the checkout the agent works on, as an absolute path, and add only the specific directories it needs (a cache, an output directory), also as absolute paths. Quote a home path in YAML: a bare `~` is null.

## Parameters
- `allowed_roots` (list of absolute paths, default `[]`): when not empty, `cwd` and every `add_dir` entry must be one of these directories or inside one.
"#,
};

pub const ENTRY: RuleEntry =
    RuleEntry { meta: &META, build: |p| Ok(Box::new(UnscopedDirectoryAccess::new(parse_params(p)?)?)) };

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    allowed_roots: Vec<String>,
}

/// Directories that expose the whole machine or another user's data.
const SYSTEM_DIRS: &[&str] = &["/etc", "/usr", "/var", "/root", "/home", "/proc", "/sys"];

/// Spellings of the home directory.
const HOME: &[&str] = &["~", "$HOME", "${HOME}"];

struct UnscopedDirectoryAccess {
    /// Normalised absolute roots.
    roots: Vec<String>,
}

impl UnscopedDirectoryAccess {
    fn new(params: Params) -> Result<Self, ParamError> {
        let mut roots = Vec::with_capacity(params.allowed_roots.len());
        for (i, root) in params.allowed_roots.iter().enumerate() {
            match normalize(root) {
                Some(r) if r.starts_with('/') => roots.push(r),
                _ => {
                    return Err(ParamError {
                        pointer: format!("/allowed_roots/{i}"),
                        message: format!("`{root}` is not an absolute path"),
                    });
                }
            }
        }
        Ok(Self { roots })
    }

    fn inside_roots(&self, path: &str) -> bool {
        self.roots.iter().any(|root| {
            root == "/" || path == root || path.strip_prefix(root.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
    }

    fn roots_list(&self) -> String {
        self.roots.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
    }

    /// The finding for one directory (`what` is `cwd` or `add_dir[i]`), if any.
    fn check_dir(&self, ctx: &AgentContext<'_>, what: &dyn std::fmt::Display, node: &Node, out: &mut Vec<Finding>) {
        let Some(dir) = node.as_str() else { return };
        let at = ctx.locate(node.span);
        let lexical = normalize(dir);
        let broad = lexical.as_deref().and_then(broad_reason);
        let finding = if let Some(what_it_is) = broad {
            let verb = if dir.contains("..") { "resolves to" } else { "is" };
            ctx.finding(&META, at, format!("`{what}` is `{dir}`, which {verb} {what_it_is}"))
                .label("too broad")
                .help(self.help(what))
        } else if !self.roots.is_empty() && !lexical.as_deref().is_some_and(|l| self.inside_roots(l)) {
            ctx.finding(
                &META,
                at,
                format!("`{what}` is `{dir}`, which is not inside the allowed roots {}", self.roots_list()),
            )
            .label("outside the allowed roots")
            .help(self.help(what))
        } else if has_parent_step(dir) {
            ctx.finding(
                &META,
                at,
                format!("`{what}` is `{dir}`, which contains `..` and can reach outside the directory it names"),
            )
            .severity(Severity::Warning)
            .label("contains `..`")
            .help(format!("write `{what}` as an absolute path without `..`"))
        } else if is_relative(dir) {
            ctx.finding(
                &META,
                at,
                format!(
                    "`{what}` is the relative path `{dir}`, which depends on the directory the agent is launched from"
                ),
            )
            .severity(Severity::Warning)
            .label("relative path")
            .help(format!("write `{what}` as an absolute path"))
        } else {
            return;
        };
        out.push(finding);
    }

    fn help(&self, what: &dyn std::fmt::Display) -> String {
        let what = what.to_string();
        if self.roots.is_empty() {
            let example = if what == "cwd" { "/srv/checkout" } else { "/srv/cache" };
            format!(
                "point `{what}` at the one directory the agent needs, e.g. `{example}`, not a whole tree of the machine"
            )
        } else {
            format!("point `{what}` at a directory inside {}", self.roots_list())
        }
    }
}

/// What a home directory holds, for messages.
const HOME_CONTENTS: &str = "with its SSH keys, cloud credentials and shell profiles";

/// The user whose home directory a normalised path is, written out: `/home/alice`,
/// `/Users/alice` (macOS; its file system ignores letter case), `/root`, `/var/root`
/// (macOS), or `~alice`.
fn home_of(path: &str) -> Option<&str> {
    if path == "/root" || path == "/var/root" {
        return Some("root");
    }
    if let Some(user) = path.strip_prefix('~') {
        return (!user.is_empty() && !user.contains('/')).then_some(user);
    }
    let (parent, user) = path.strip_prefix('/')?.split_once('/')?;
    (!user.is_empty() && !user.contains('/') && (parent == "home" || parent.eq_ignore_ascii_case("users")))
        .then_some(user)
}

/// What a normalised path opens up, if it is too broad to work in or grant.
fn broad_reason(path: &str) -> Option<String> {
    if path == "/" {
        Some("the whole filesystem".to_owned())
    } else if HOME.contains(&path) {
        Some(format!("the whole home directory, {HOME_CONTENTS}"))
    } else if let Some(user) = home_of(path) {
        Some(format!("the whole home directory of `{user}`, {HOME_CONTENTS}"))
    } else if path.eq_ignore_ascii_case("/users") {
        Some(format!("the folder of every user's home directory, `{path}`"))
    } else if SYSTEM_DIRS.contains(&path) {
        Some(format!("the system directory `{path}`"))
    } else {
        None
    }
}

/// Trims, drops trailing `/` and resolves `.` and `..` lexically, keeping a leading `/` or
/// home spelling (`~`, `$HOME`, `${HOME}`). `/..` stays `/`; `None` when `..` climbs above the
/// start of a relative or home-based path, whose target is then unknown.
fn normalize(path: &str) -> Option<String> {
    let path = path.trim();
    let (prefix, rest) = match path.strip_prefix('/') {
        Some(rest) => ("/", rest),
        None => match path.split_once('/').map_or((path, ""), |(head, rest)| (head, rest)) {
            (head, rest) if HOME.contains(&head) => (head, rest),
            _ => ("", path),
        },
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() && prefix != "/" {
                    return None;
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Some(match prefix {
        "/" => format!("/{joined}"),
        "" if joined.is_empty() => ".".to_owned(),
        "" => joined,
        home if joined.is_empty() => home.to_owned(),
        home => format!("{home}/{joined}"),
    })
}

fn has_parent_step(path: &str) -> bool {
    path.split(['/', '\\']).any(|part| part.trim() == "..")
}

/// Not absolute (`/…`, `C:\…`, `\\server\…`), not home-based (`~…`) and not an environment reference (`$…`).
fn is_relative(path: &str) -> bool {
    let path = path.trim();
    let bytes = path.as_bytes();
    let windows_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'\\' | b'/');
    !(path.starts_with(['/', '~', '$']) || path.starts_with("\\\\") || windows_drive)
}

impl Rule for UnscopedDirectoryAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let cwd_path = [Seg::Key("cwd")];
        let cwd = ctx.key("cwd");
        let help = || {
            format!(
                "set `{cwd}` to the absolute path of the checkout the agent works on, e.g. `{}`",
                ctx.set(&cwd_path, serde_json::json!("/srv/checkout"))
            )
        };
        match ctx.node(&cwd_path) {
            Some(node) if matches!(node.value, Value::Null) => out.push(
                ctx.finding(
                    &META,
                    ctx.locate(node.span),
                    format!("`{cwd}` is null, so the agent works in whatever directory it is launched from"),
                )
                .severity(Severity::Warning)
                .label("no working directory")
                .help(help()),
            ),
            Some(node) => self.check_dir(ctx, &cwd, node, out),
            None if ctx.missing("cwd") => out.push(
                ctx.finding(
                    &META,
                    ctx.invalid_at(&["cwd"]).unwrap_or_else(|| ctx.at_missing("cwd")),
                    format!("`{cwd}` is not set, so the agent works in whatever directory it is launched from"),
                )
                .severity(Severity::Warning)
                .help(help()),
            ),
            None => {}
        }
        let dirs = ctx.node(&[Seg::Key("add_dir")]).and_then(|n| n.as_seq()).unwrap_or_default();
        for (i, node) in dirs.iter().enumerate() {
            self.check_dir(ctx, &ctx.named(&[Seg::Key("add_dir"), Seg::Index(i)]), node, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_lexically() {
        assert_eq!(normalize("/etc/").as_deref(), Some("/etc"));
        assert_eq!(normalize("//etc//").as_deref(), Some("/etc"));
        assert_eq!(normalize("/srv/../etc").as_deref(), Some("/etc"));
        assert_eq!(normalize("/..").as_deref(), Some("/"));
        assert_eq!(normalize("~/").as_deref(), Some("~"));
        assert_eq!(normalize("~/work/..").as_deref(), Some("~"));
        assert_eq!(normalize("${HOME}/").as_deref(), Some("${HOME}"));
        assert_eq!(normalize("~/.."), None);
        assert_eq!(normalize("a/b/..").as_deref(), Some("a"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(normalize("./").as_deref(), Some("."));
    }

    #[test]
    fn broad_directories() {
        for p in ["/", "~", "$HOME", "${HOME}", "/etc", "/home", "/proc", "/Users", "/var/root"] {
            assert!(broad_reason(p).is_some(), "{p}");
        }
        for p in ["/srv/checkout", "~/work", "/etc/app", "/var/lib/agent", "/homes", "/home/alice/project"] {
            assert!(broad_reason(p).is_none(), "{p}");
        }
        for (p, user) in [("/home/alice", "alice"), ("/Users/alice", "alice"), ("/users/bob", "bob"), ("/root", "root")]
        {
            assert_eq!(home_of(p), Some(user), "{p}");
        }
        assert_eq!(home_of("~alice"), Some("alice"));
        for p in ["/home", "/home/alice/src", "/srv/alice", "~", "~/x", "/Users/alice/code"] {
            assert_eq!(home_of(p), None, "{p}");
        }
    }

    #[test]
    fn relative_paths() {
        for p in ["src", "./src", ".", "../x"] {
            assert!(is_relative(p), "{p}");
        }
        for p in ["/srv", "~/x", "$WORK/x", "C:\\work", "\\\\server\\share"] {
            assert!(!is_relative(p), "{p}");
        }
    }

    #[test]
    fn roots_must_be_absolute() {
        let err = (ENTRY.build)(&serde_json::json!({"allowed_roots": ["/srv", "work"]})).err().expect("rejected");
        assert_eq!(err.pointer, "/allowed_roots/1");
        let rule = UnscopedDirectoryAccess::new(Params { allowed_roots: vec!["/srv/".into()] }).unwrap();
        assert!(rule.inside_roots("/srv"));
        assert!(rule.inside_roots("/srv/checkout"));
        assert!(!rule.inside_roots("/srvx"));
    }

    #[test]
    fn allowed_roots_report_directories_outside_them() {
        let rule = (ENTRY.build)(&serde_json::json!({"allowed_roots": ["/srv", "/data/cache/"]})).expect("valid");
        let linter = crate::Linter::new(vec![rule], Default::default());
        let report = linter.check_bytes(
            "agent.yaml",
            b"cwd: /srv/checkout\nadd_dir: [/data/cache/x, /opt/tools, ~/work, /srv/../opt, /etc]\n".to_vec(),
        );
        let found: Vec<(Severity, &str)> = report.findings.iter().map(|f| (f.severity, f.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    Severity::Error,
                    "`add_dir[1]` is `/opt/tools`, which is not inside the allowed roots `/srv`, `/data/cache`"
                ),
                (
                    Severity::Error,
                    "`add_dir[2]` is `~/work`, which is not inside the allowed roots `/srv`, `/data/cache`"
                ),
                (
                    Severity::Error,
                    "`add_dir[3]` is `/srv/../opt`, which is not inside the allowed roots `/srv`, `/data/cache`"
                ),
                (Severity::Error, "`add_dir[4]` is `/etc`, which is the system directory `/etc`"),
            ]
        );
    }
}
