//! What the MCP rules (AL701–AL704) share: the servers of a session, and how their command
//! lines, URLs and credentials are read. A server is a server whether it comes from `.mcp.json`,
//! a deployment config's `mcp_servers` option or a subagent's inline `mcpServers`.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Node, Span};

/// One MCP server definition of a session: its name, its node, and its path in the shared tree.
pub(crate) struct Server<'a> {
    pub name: &'a str,
    pub node: &'a Node,
}

impl<'a> Server<'a> {
    pub fn str(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key).filter(|n| n.as_str().is_some())
    }

    /// The string arguments with their nodes.
    pub fn args(&self) -> Vec<&'a Node> {
        self.node
            .get("args")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter(|n| n.as_str().is_some())
            .collect()
    }
}

/// The servers of a session's shared tree (`mcp_servers`).
pub(crate) fn servers(tree: &Node) -> Vec<Server<'_>> {
    tree.get("mcp_servers")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter(|e| e.value.as_map().is_some())
        .map(|e| Server { name: &e.key.text, node: &e.value })
        .collect()
}

/// `${VAR}`, `${VAR:-default}` or `$VAR` anywhere: the value takes its secret from the environment.
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*").expect("valid regex")
});

/// Variable, header, flag and query-parameter names that carry credentials (the word list
/// Claude Code itself redacts from MCP environments).
static CREDENTIAL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|[_\-.])(api[_\-]?key|access[_\-]?key|secret|token|password|passwd|passphrase|pat|dsn|credentials?|cookie|auth(orization)?|private[_\-]?key|client[_\-]?secret|key)($|[_\-.])")
        .expect("valid regex")
});

/// True when `name` names a credential (`GITHUB_TOKEN`, `X-Api-Key`, `--access-token`, `apikey`).
pub(crate) fn is_credential_name(name: &str) -> bool {
    let trimmed = name.trim_start_matches('-');
    CREDENTIAL_NAME.is_match(trimmed) || trimmed.eq_ignore_ascii_case("apikey")
}

/// True when a value is written out rather than taken from the environment, and is not an
/// obvious placeholder (`your_token_here`, `<token>`, `xxxx`).
pub(crate) fn is_literal_secret(value: &str) -> bool {
    let value = value.trim();
    let bare = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("Basic "))
        .or_else(|| value.strip_prefix("token "))
        .unwrap_or(value);
    if bare.len() < 8 || REFERENCE.is_match(bare) {
        return false;
    }
    let lower = bare.to_ascii_lowercase();
    let placeholder = [
        "your",
        "here",
        "replace",
        "example",
        "xxxx",
        "placeholder",
        "changeme",
        "change_me",
        "dummy",
        "redacted",
        "<",
        ">",
        "...",
    ]
    .iter()
    .any(|p| lower.contains(p));
    let one_char = bare.chars().all(|c| c == bare.chars().next().unwrap_or(' '));
    !placeholder && !one_char
}

/// A credential written into a server definition: where, what it is, its span.
pub(crate) struct McpCredential<'a> {
    pub server: &'a str,
    /// `env.GITHUB_TOKEN`, `headers.Authorization`, `url`, `args[3]`.
    pub place: String,
    /// The variable to take it from instead (the env or header name, or one derived from the flag).
    pub variable: String,
    pub value: &'a str,
    pub span: Span,
}

/// Every literal credential in the servers of a session: credential-named `env` and `headers`
/// values, a URL's password or credential query parameter, and the value after a credential
/// flag in `args` (`--api-key X`, `--token=X`). A value holding a credential of a known format is
/// left to AL302, which names the format.
pub(crate) fn literal_credentials(tree: &Node) -> Vec<McpCredential<'_>> {
    let mut out = found(tree);
    out.retain(|c| crate::secrets::scan(c.value).is_empty());
    out
}

fn found(tree: &Node) -> Vec<McpCredential<'_>> {
    let mut out = Vec::new();
    for server in servers(tree) {
        for key in ["env", "headers"] {
            for entry in server.node.get(key).and_then(Node::as_map).unwrap_or_default() {
                let Some(value) = entry.value.as_str() else { continue };
                let name = &entry.key.text;
                // Anthropic's own credential variables are AL301's.
                if key == "env" && super::is_credential_env(name) {
                    continue;
                }
                // A credential-named value, or a URL with a password in it (`DATABASE_URL`).
                if (is_credential_name(name) && is_literal_secret(value))
                    || (key == "env" && url_credential(value).is_some())
                {
                    // A header's credential has no variable name of its own: name it after the server.
                    let variable =
                        if key == "env" { env_name(name) } else { format!("{}_TOKEN", env_name(server.name)) };
                    out.push(McpCredential {
                        server: server.name,
                        place: format!("{key}.{name}"),
                        variable,
                        value,
                        span: entry.value.span,
                    });
                }
            }
        }
        if let Some(url) = server.str("url")
            && let Some(text) = url.as_str()
            && url_credential(text).is_some()
        {
            let variable = format!("{}_TOKEN", env_name(server.name));
            out.push(McpCredential { server: server.name, place: "url".into(), variable, value: text, span: url.span });
        }
        let args = server.args();
        let mut i = 0;
        while i < args.len() {
            let text = args[i].as_str().unwrap_or_default();
            if let Some((flag, value)) = text.split_once('=') {
                // `--api-key=X`, `API_KEY=X`
                if !flag.contains(' ') && is_credential_name(flag) && is_literal_secret(value) {
                    let place = format!("args[{i}]");
                    let variable = format!("{}_{}", env_name(server.name), env_name(flag));
                    out.push(McpCredential { server: server.name, place, variable, value: text, span: args[i].span });
                }
            } else if text.starts_with('-') && is_credential_name(text) {
                // `--api-key X`
                if let Some(next) = args.get(i + 1)
                    && let Some(value) = next.as_str()
                    && !value.starts_with('-')
                    && is_literal_secret(value)
                {
                    let place = format!("args[{}]", i + 1);
                    let variable = format!("{}_{}", env_name(server.name), env_name(text));
                    out.push(McpCredential { server: server.name, place, variable, value, span: next.span });
                    i += 1;
                }
            }
            i += 1;
        }
    }
    out
}

/// `GITHUB_TOKEN` from `--github-token`, `X-Api-Key` → `X_API_KEY`.
fn env_name(name: &str) -> String {
    name.trim_start_matches('-')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
        .collect()
}

/// The credential in a URL: a password in its user info, or a credential-named query parameter
/// with a literal value.
pub(crate) fn url_credential(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((userinfo, _)) = authority.rsplit_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
        && !password.is_empty()
        && !REFERENCE.is_match(password)
    {
        return Some(password);
    }
    let query = url.split_once('?')?.1.split('#').next().unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (is_credential_name(name) && is_literal_secret(value)).then_some(value)
    })
}

/// The host of a URL, lower-cased, without port or brackets.
pub(crate) fn host(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    Some(host.trim_end_matches('.').to_ascii_lowercase())
}

/// Loopback and this machine: traffic that never leaves the host.
pub(crate) fn is_local_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host == "0.0.0.0"
        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host.starts_with("host.docker.internal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for name in [
            "GITHUB_TOKEN",
            "X-Api-Key",
            "Authorization",
            "--api-key",
            "--access-token",
            "DB_PASSWORD",
            "apikey",
            "SENTRY_DSN",
            "GITHUB_PAT",
        ] {
            assert!(is_credential_name(name), "{name}");
        }
        for name in ["PATH", "HOME", "--port", "NODE_ENV", "LOG_LEVEL", "--keyboard", "MONKEY"] {
            assert!(!is_credential_name(name), "{name}");
        }
    }

    #[test]
    fn literal_values_and_placeholders() {
        assert!(is_literal_secret("ghp_abcdefghijklmnop"));
        assert!(is_literal_secret("Bearer abcdefghijklmnop"));
        assert!(!is_literal_secret("${GITHUB_TOKEN}"));
        assert!(!is_literal_secret("Bearer ${TOKEN}"));
        assert!(!is_literal_secret("${TOKEN:-}"));
        assert!(!is_literal_secret("your_token_here"));
        assert!(!is_literal_secret("<YOUR_API_KEY>"));
        assert!(!is_literal_secret("xxxxxxxxxxxx"));
        assert!(!is_literal_secret("short"));
    }

    #[test]
    fn urls() {
        assert_eq!(url_credential("postgres://user:hunter2secret@db.internal/x"), Some("hunter2secret"));
        assert_eq!(url_credential("https://mcp.example.com/sse?api_key=abcdef123456"), Some("abcdef123456"));
        assert_eq!(url_credential("https://mcp.example.com/sse?api_key=${KEY}"), None);
        assert_eq!(url_credential("https://mcp.example.com/mcp"), None);
        assert_eq!(host("http://LOCALHOST:3000/mcp").as_deref(), Some("localhost"));
        assert_eq!(host("http://[::1]:8080/").as_deref(), Some("::1"));
        assert_eq!(host("http://user:pw@api.example.com./x").as_deref(), Some("api.example.com"));
        assert!(is_local_host("127.0.0.2") && is_local_host("localhost") && !is_local_host("10.0.0.5"));
    }
}
