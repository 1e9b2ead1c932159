//! Checks on hook definitions that every kind shares: a matcher that is not a valid regular
//! expression makes Claude Code skip that hook group, with a line in its debug log only.

use crate::document::{Node, Value};
use crate::schema::{Problem, ProblemKind, Step};

/// Matchers Claude Code compares as names (`Bash`, `Edit|Write`, `*`), not as patterns. A
/// byte test, not a regex: most files have only such matchers, and compiling one costs more
/// than checking a whole file.
fn plain(matcher: &str) -> bool {
    matcher == "*" || matcher.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'|')
}

/// JavaScript regex syntax that Rust's `regex` does not have: such matchers are not judged.
fn javascript_only(pattern: &str) -> bool {
    ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|s| pattern.contains(s))
        || pattern.as_bytes().windows(2).any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0')
}

/// Why `matcher` can never match, if it cannot.
pub(crate) fn invalid_matcher(matcher: &str) -> Option<String> {
    if plain(matcher) || javascript_only(matcher) {
        return None;
    }
    let error = regex::RegexBuilder::new(matcher).size_limit(1 << 20).build().err()?;
    let first = error
        .to_string()
        .lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error: ").to_owned());
    Some(match first {
        Some(why) => format!("it is not a valid regular expression ({why}), so this hook group never runs; Claude Code says so only in its debug log"),
        None => "it is not a valid regular expression, so this hook group never runs; Claude Code says so only in its debug log".into(),
    })
}

/// AL008 for every matcher of every `hooks` mapping in `tree`.
pub(crate) fn matcher_problems(tree: &Node) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    walk(tree, &mut path, &mut out);
    out
}

fn walk(node: &Node, path: &mut Vec<Step>, out: &mut Vec<Problem>) {
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                path.push(Step::key(&entry.key.text, &entry.key.text));
                if entry.key.text == "hooks" && entry.value.as_map().is_some() {
                    events(&entry.value, path, out);
                } else {
                    walk(&entry.value, path, out);
                }
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn events(hooks: &Node, path: &[Step], out: &mut Vec<Problem>) {
    for event in hooks.as_map().unwrap_or_default() {
        for (i, group) in event.value.as_seq().unwrap_or_default().iter().enumerate() {
            let Some(matcher) = group.entry("matcher") else { continue };
            let Some(text) = matcher.value.as_str() else { continue };
            let Some(why) = invalid_matcher(text) else { continue };
            let mut at = path.to_vec();
            at.extend([Step::key(&event.key.text, &event.key.text), Step::Index(i), Step::key("matcher", "matcher")]);
            out.push(Problem {
                path: at,
                span: matcher.value.span,
                kind: ProblemKind::Ignored {
                    key: "matcher".into(),
                    why: format!("`{}`: {why}", crate::rules::shown_text(text)),
                },
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::invalid_matcher;

    #[test]
    fn matchers() {
        for ok in ["", "*", "Bash", "Edit|Write", "mcp__github__.*", "Notebook.*", "^Bash$", "(?=x)y", "(a)\\1"] {
            assert_eq!(invalid_matcher(ok), None, "{ok}");
        }
        for bad in ["[", "Bash(", "Edit|(Write", "*Bash"] {
            assert!(invalid_matcher(bad).is_some(), "{bad}");
        }
    }
}
