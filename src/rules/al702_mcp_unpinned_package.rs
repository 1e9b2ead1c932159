//! AL702 mcp-unpinned-package.

use super::mcp_servers::servers;
use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Node;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL702",
    name: "mcp-unpinned-package",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Mcp, Kind::Subagent],
    summary: "An MCP server is run from a package registry (`npx`, `uvx`, `bunx`, …) without a pinned version",
    docs: r#"## What it checks
MCP servers started by a package runner that downloads the package on every start: `npx`, `bunx`, `pnpm dlx`, `yarn dlx`, `npm exec`, `uvx` and `pipx run`. The package must name an exact version: `@modelcontextprotocol/server-github@2025.4.8`, `mcp-server-git==0.6.2` or `mcp-server-git@0.6.2`. A missing version, `@latest`, or a range (`^1.2.0`, `~1`, `1.x`, `>=1`) is reported at the package argument. Local paths and URLs are not registry packages and are not checked.

## Why it matters
Without a pin, every session runs whatever version the registry serves at that moment. A compromised or typosquatted release reaches the agent, with the agent's credentials in its environment, the next time anyone starts a session, with no change in the repository for a reviewer to see.

## Failing example
```json
{"mcpServers": {"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"]}}}
```

## Passing example
```json
{"mcpServers": {"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"]}}}
```

## How to fix
Append the exact version you reviewed (`@1.2.3` for npm and bun packages, `==1.2.3` for Python packages) and update it on purpose.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(McpUnpinnedPackage))
    },
};

struct McpUnpinnedPackage;

/// The registry a runner installs from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Registry {
    Npm,
    PyPi,
}

/// The runner of a command line and how many arguments after the command belong to it
/// (`pnpm dlx` takes one word more than `npx`).
fn runner(command: &str, args: &[&str]) -> Option<(Registry, usize)> {
    let program = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let program = program.strip_suffix(".cmd").or_else(|| program.strip_suffix(".exe")).unwrap_or(program);
    match (program, args.first().copied()) {
        ("npx" | "bunx", _) => Some((Registry::Npm, 0)),
        ("pnpm" | "yarn", Some("dlx")) | ("npm", Some("exec")) | ("bun", Some("x")) => Some((Registry::Npm, 1)),
        ("uvx", _) => Some((Registry::PyPi, 0)),
        ("pipx", Some("run")) | ("uv", Some("tool")) => Some((Registry::PyPi, 1)),
        _ => None,
    }
}

/// Flags of the runners that take a value (`--package X`, `--from X`, `-p X`).
const VALUE_FLAGS: &[&str] = &["-p", "--package", "--from", "--with", "--python", "--index-url", "-c", "--call"];

/// The package argument: the `--package`/`--from` value if given, else the first argument
/// that is not a flag, with its index.
fn package(args: &[&str], skip: usize) -> Option<(usize, String)> {
    let mut i = skip;
    while i < args.len() {
        let arg = args[i];
        if let Some((flag, value)) = arg.split_once('=')
            && matches!(flag, "--package" | "--from")
        {
            return Some((i, value.to_owned()));
        }
        if matches!(arg, "--package" | "-p" | "--from") {
            return args.get(i + 1).map(|v| (i + 1, (*v).to_owned()));
        }
        if arg == "--" {
            return args.get(i + 1).map(|v| (i + 1, (*v).to_owned()));
        }
        if arg.starts_with('-') {
            i += if VALUE_FLAGS.contains(&arg) { 2 } else { 1 };
            continue;
        }
        if skip == 1 && i == 1 && args.first() == Some(&"tool") && arg == "run" {
            i += 1; // `uv tool run PKG`
            continue;
        }
        return Some((i, arg.to_owned()));
    }
    None
}

/// Why a package spec is not pinned, or `None` when it names an exact version (or is not a
/// registry package at all).
fn unpinned(spec: &str, registry: Registry) -> Option<&'static str> {
    let local = spec.starts_with(['.', '/', '~'])
        || spec.contains("://")
        || spec.starts_with("git+")
        || spec.starts_with("file:");
    if local || spec.contains('$') {
        return None;
    }
    let version = match registry {
        Registry::Npm => {
            // `@scope/name@1.2.3`: the version follows the last `@` that is not the first character.
            let at = spec[1..].rfind('@').map(|i| i + 1);
            at.map(|i| &spec[i + 1..])
        }
        Registry::PyPi => {
            if let Some((_, v)) = spec.split_once("==") {
                Some(v)
            } else if spec.contains(['>', '<', '~', '!']) {
                return Some("gives a version range, not a version");
            } else {
                spec.rsplit_once('@').map(|(_, v)| v)
            }
        }
    };
    let Some(version) = version.map(str::trim).filter(|v| !v.is_empty()) else {
        return Some("names no version, so every start runs whatever the registry serves");
    };
    if matches!(version, "latest" | "next" | "*" | "x" | "canary" | "beta") {
        return Some("asks for a moving tag, not a version");
    }
    let exact = version.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !version.contains(['^', '~', '*', '>', '<', '|', ' '])
        && !version.split('.').any(|part| part == "x" || part == "X");
    if exact { None } else { Some("gives a version range, not a version") }
}

impl Rule for McpUnpinnedPackage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let key = ctx.key("mcp_servers");
        for server in servers(&ctx.agent.tree) {
            let Some(command) = server.str("command").and_then(Node::as_str) else { continue };
            let arg_nodes = server.args();
            let args: Vec<&str> = arg_nodes.iter().filter_map(|n| n.as_str()).collect();
            let Some((registry, skip)) = runner(command.trim(), &args) else { continue };
            let Some((index, spec)) = package(&args, skip) else { continue };
            let Some(why) = unpinned(&spec, registry) else { continue };
            let example = match registry {
                Registry::Npm => format!("{}@1.2.3", strip_npm_version(&spec)),
                Registry::PyPi => {
                    format!("{}==1.2.3", spec.split(['=', '@', '>', '<', '~', '!']).next().unwrap_or(&spec))
                }
            };
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(arg_nodes[index].span),
                    format!("`{key}.{}` runs `{command} {}`, which {why}", server.name, shown(&spec)),
                )
                .label("unpinned package")
                .help(format!("pin the version you reviewed, e.g. `{}`", shown(&example))),
            );
        }
    }
}

/// `@scope/name` from `@scope/name@^1.0`.
fn strip_npm_version(spec: &str) -> &str {
    match spec[1..].rfind('@') {
        Some(i) => &spec[..i + 1],
        None => spec,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins() {
        use Registry::{Npm, PyPi};
        assert!(unpinned("@modelcontextprotocol/server-github", Npm).is_some());
        assert!(unpinned("@modelcontextprotocol/server-github@latest", Npm).is_some());
        assert!(unpinned("server-x@^1.2.0", Npm).is_some());
        assert!(unpinned("server-x@1.x", Npm).is_some());
        assert_eq!(unpinned("@modelcontextprotocol/server-github@2025.4.8", Npm), None);
        assert_eq!(unpinned("server-x@1.2.3-beta.1", Npm), None);
        assert_eq!(unpinned("./local/server.js", Npm), None);
        assert!(unpinned("mcp-server-git", PyPi).is_some());
        assert!(unpinned("mcp-server-git>=0.6", PyPi).is_some());
        assert_eq!(unpinned("mcp-server-git==0.6.2", PyPi), None);
        assert_eq!(unpinned("mcp-server-git@0.6.2", PyPi), None);
    }

    #[test]
    fn package_arguments() {
        assert_eq!(package(&["-y", "@x/server"], 0), Some((1, "@x/server".into())));
        assert_eq!(package(&["--from", "mcp-git==1.0", "mcp-server-git"], 0), Some((1, "mcp-git==1.0".into())));
        assert_eq!(package(&["dlx", "pkg@1.0.0", "--flag"], 1), Some((1, "pkg@1.0.0".into())));
        assert_eq!(package(&["-y"], 0), None);
        assert!(runner("/usr/local/bin/npx", &[]).is_some());
        assert!(runner("npx.cmd", &[]).is_some());
        assert!(runner("node", &["server.js"]).is_none());
    }
}
