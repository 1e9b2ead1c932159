//! JSON format: the launcher contract.
//!
//! ```json
//! {"argv": ["claude", "--print", …], "cwd": "/srv/checkout" | null,
//!  "env": {"pass": ["ANTHROPIC_API_KEY"], "set": {"NAME": "value"}, "from": {"NAME": "OTHER"}}}
//! ```
//! `pass`: copy these variables from the launcher's environment; `set`: literal values;
//! `from`: set the key from the launcher's variable named by the value. All three are always present.

use indexmap::IndexMap;
use serde::Serialize;

use super::LaunchSpec;

#[derive(Serialize)]
struct Document<'a> {
    argv: &'a [String],
    cwd: Option<&'a str>,
    env: Env<'a>,
}

#[derive(Serialize)]
struct Env<'a> {
    pass: &'a [String],
    set: &'a IndexMap<String, String>,
    from: &'a IndexMap<String, String>,
}

/// Pretty-printed (stable, diffable) and newline-terminated.
pub fn render(spec: &LaunchSpec) -> String {
    let doc = Document {
        argv: &spec.argv,
        cwd: spec.cwd.as_deref(),
        env: Env { pass: &spec.env.pass, set: &spec.env.set, from: &spec.env.from },
    };
    let mut text = serde_json::to_string_pretty(&doc).expect("strings and maps of strings serialize");
    text.push('\n');
    text
}
