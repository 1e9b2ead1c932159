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

/// Pretty-printed (stable, diffable) and newline-terminated. Besides the control characters JSON
/// always escapes, DEL, C1 controls and bidirectional or zero-width characters are written as
/// `\uXXXX` too (the same string to a JSON reader), so the text is safe to show on a terminal.
pub fn render(spec: &LaunchSpec) -> String {
    let doc = Document {
        argv: &spec.argv,
        cwd: spec.cwd.as_deref(),
        env: Env { pass: &spec.env.pass, set: &spec.env.set, from: &spec.env.from },
    };
    let text = serde_json::to_string_pretty(&doc).expect("strings and maps of strings serialize");
    // Outside strings the document is ASCII, so every such character is inside a string.
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if c > '\u{7e}' && super::shell::is_hidden(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}
