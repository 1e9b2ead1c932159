//! AL403 unrestricted-network.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL403",
    name: "unrestricted-network",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "The sandbox network allows every domain, a whole top-level domain, or every Unix socket",
    docs: r#"## What it checks
`sandbox.network` for settings that remove network isolation, one finding each:
- an `allowed_domains` entry that is `*`, or a wildcard over a whole top-level domain such as `*.com` or `*.io` (`*.` followed by a single label), compared as DNS compares names: `*.IO` and `*.io.` (a trailing dot is the same domain) count too;
- `allow_all_unix_sockets: true`.

The settings are checked whether or not the sandbox is enabled; a disabled sandbox is AL401's finding.

In a Claude Code settings file the list is `sandbox.network.allowedDomains`.

## Why it matters
The network allowlist is what keeps a sandboxed command from sending the repository, environment variables or credentials to an arbitrary host. `*` allows every host, and `*.com` allows any host an attacker can register. The sandbox does not inspect TLS, so even a narrow but broad-purpose domain can carry data out; an unbounded list gives up the control entirely. `allow_all_unix_sockets` lifts Unix-socket blocking on every platform, which exposes local daemons such as Docker (`/var/run/docker.sock`, roughly host root).

## Failing example
```yaml
sandbox:
  enabled: true
  network:
    allowed_domains: ["*.com"]
```

## Passing example
```yaml
sandbox:
  enabled: true
  network:
    allowed_domains: [api.github.com, "*.npmjs.org"]
```

## How to fix
List the hosts the agent's commands need (`registry.npmjs.org`, `api.github.com`), using wildcards only below a domain you trust (`*.npmjs.org`). List the specific sockets a command needs under `allow_unix_sockets` instead of allowing all.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(UnrestrictedNetwork))
    },
};

/// Why an `allowed_domains` entry allows more than a set of known hosts, if it does. Domain
/// names are compared as DNS does: letter case does not matter, and a trailing dot (the
/// root, `evil.io.`) names the same domain, so `*.IO.` is as broad as `*.io`.
fn unrestricted(domain: &str) -> Option<String> {
    let written = domain.trim();
    let domain = written.to_ascii_lowercase();
    if domain == "*" {
        return Some("`*` allows every domain".to_owned());
    }
    let label = domain.strip_prefix("*.")?;
    let label = label.strip_suffix('.').unwrap_or(label);
    (!label.is_empty() && !label.contains('.'))
        .then(|| format!("`{written}` allows every domain under the top-level domain `.{label}`"))
}

struct UnrestrictedNetwork;

impl Rule for UnrestrictedNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let domains_path = [Seg::Key("sandbox"), Seg::Key("network"), Seg::Key("allowed_domains")];
        let domains = ctx.node(&domains_path).and_then(|n| n.as_seq()).unwrap_or_default();
        for (i, node) in domains.iter().enumerate() {
            let Some(why) = node.as_str().and_then(unrestricted) else { continue };
            let path = [Seg::Key("sandbox"), Seg::Key("network"), Seg::Key("allowed_domains"), Seg::Index(i)];
            out.push(
                ctx.finding(&META, ctx.at_value(&path), format!("`{}`: {why}", ctx.path(&domains_path)))
                    .label("unrestricted")
                    .help("list the hosts the agent's commands need, e.g. `api.github.com`, or a wildcard below a domain you trust, e.g. `*.npmjs.org`"),
            );
        }
        let sockets_path = [Seg::Key("sandbox"), Seg::Key("network"), Seg::Key("allow_all_unix_sockets")];
        if matches!(ctx.node(&sockets_path).map(|n| &n.value), Some(Value::Bool(true))) {
            out.push(
                ctx.finding(
                    &META,
                    ctx.at_value(&sockets_path),
                    format!(
                        "`{}` is `true`: commands can reach every local socket, including the Docker daemon's",
                        ctx.path(&sockets_path)
                    ),
                )
                .label("every Unix socket")
                .help(format!(
                    "remove `{}`; list the sockets a command needs under `{}`",
                    ctx.dialect().key("allow_all_unix_sockets"),
                    ctx.path(&[Seg::Key("sandbox"), Seg::Key("network"), Seg::Key("allow_unix_sockets")])
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unrestricted;

    #[test]
    fn whole_top_level_domains_are_unrestricted() {
        for d in ["*", " * ", "*.com", "*.io", "*.*", "*.io.", "*.IO", "*.Io.", "*.COM"] {
            assert!(unrestricted(d).is_some(), "{d}");
        }
        for d in ["api.github.com", "*.github.com", "*.", "*.co.uk", "*.co.uk.", "*.GitHub.com.", "github.com", "*.."] {
            assert!(unrestricted(d).is_none(), "{d}");
        }
        assert_eq!(
            unrestricted("*.IO.").as_deref(),
            Some("`*.IO.` allows every domain under the top-level domain `.io`")
        );
    }
}
