//! The `shell` kind: `claude` command lines in shell scripts (`*.sh`, `*.bash`), Makefile recipes,
//! Dockerfile `RUN`/`CMD`/`ENTRYPOINT` instructions and `package.json` scripts.
//!
//! Shell text is parsed with tree-sitter-bash; each `command` whose program is `claude` (or a
//! path ending in `/claude`, or `npx @anthropic-ai/claude-code`, also behind `env`, `sudo`,
//! `exec`, `nohup`, `time`, `command` or `timeout`) is one site, read by
//! [`super::command_line::read`]. Text embedded in another format (a Makefile recipe, a JSON
//! string, a YAML scalar) is parsed as decoded, with every byte mapped back to the file.

use super::command_line::{self, Mapped, Word};
use super::source::{self, Extraction, Unreadable};
use crate::document::{self, Span, Value};

/// Reads the `claude` command lines of one file (its format chosen by its name).
pub fn extract(text: &str, path: &str) -> Result<Extraction, Unreadable> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let mut out = Extraction::default();
    if name == "package.json" {
        package_json(text, &mut out)?;
    } else if name.contains("Dockerfile") || name.contains("dockerfile") || name == "Containerfile" {
        dockerfile(text, &mut out)?;
    } else if matches!(name, "Makefile" | "makefile" | "GNUmakefile") || name.ends_with(".mk") {
        makefile(text, &mut out)?;
    } else {
        script(&Mapped::verbatim(text, 0), &[], &mut out)?;
    }
    Ok(out)
}

/// `${{ … }}` GitHub expressions in a text, as byte ranges.
pub fn gh_expressions(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("${{") {
        let start = from + i;
        let end = text[start..].find("}}").map_or(text.len(), |j| start + j + 2);
        out.push((start, end));
        from = end;
    }
    out
}

/// Reads every `claude` command of a shell text.
pub fn script(text: &Mapped, gh: &[(usize, usize)], out: &mut Extraction) -> Result<(), Unreadable> {
    // Bash cannot parse `${{ … }}`: it stands as an expansion of the same length.
    let mut parsed = text.text.clone();
    for &(a, b) in gh {
        if b > a + 1 && b <= parsed.len() {
            parsed.replace_range(a..b, &format!("${}", "_".repeat(b - a - 1)));
        }
    }
    let tree = source::parse(tree_sitter_bash::LANGUAGE.into(), &parsed)?;
    let mut commands = Vec::new();
    source::each_node(tree.root_node(), |node| match node.kind() {
        "comment" => out.comments.push(text.span(node.start_byte(), node.end_byte())),
        "command" => commands.push(node),
        _ => {}
    });
    for command in commands {
        let mut words = Vec::new();
        let mut cursor = command.walk();
        for child in command.named_children(&mut cursor) {
            if matches!(child.kind(), "variable_assignment" | "comment" | "file_redirect" | "herestring_redirect") {
                continue;
            }
            let range = child.byte_range();
            let raw = Mapped {
                text: text.text[range.clone()].to_owned(),
                offsets: text.offsets[range.start..=range.end].to_vec(),
            };
            let local: Vec<(usize, usize)> = gh
                .iter()
                .filter(|(a, b)| *a >= range.start && *b <= range.end)
                .map(|(a, b)| (a - range.start, b - range.start))
                .collect();
            words.push(command_line::decode_word(&raw, &local));
        }
        if let Some(at) = claude_at(&words)
            && let Some(site) = command_line::read(words[at].span, &words[at + 1..])
        {
            out.sites.push(site);
        }
    }
    Ok(())
}

/// The index of the `claude` program among a command's words, looking through wrappers.
pub fn claude_at(words: &[Word]) -> Option<usize> {
    let mut i = 0;
    while i < words.len() {
        let word = words[i].text.text.as_str();
        let program = word.rsplit('/').next().unwrap_or(word);
        match program {
            "claude" | "claude.exe" => return Some(i),
            "env" => {
                i += 1;
                while words.get(i).is_some_and(|w| w.text.text.contains('=') || w.text.text.starts_with('-')) {
                    i += 1;
                }
            }
            "sudo" | "exec" | "nohup" | "time" | "command" | "nice" | "stdbuf" => {
                i += 1;
                while let Some(w) = words.get(i).filter(|w| w.text.text.starts_with('-')) {
                    // `sudo -u user`, `nice -n 10`: options with a value.
                    let takes = matches!(w.text.text.as_str(), "-u" | "-g" | "-n" | "-o" | "-e");
                    i += if takes { 2 } else { 1 };
                }
            }
            "timeout" => {
                i += 1;
                while words.get(i).is_some_and(|w| w.text.text.starts_with('-')) {
                    i += 1;
                }
                i += 1;
            }
            "npx" | "bunx" | "pnpx" => {
                i += 1;
                while words.get(i).is_some_and(|w| w.text.text.starts_with('-')) {
                    i += 1;
                }
                let package = words.get(i)?.text.text.as_str();
                let bare = package.strip_prefix("@anthropic-ai/claude-code")?;
                return (bare.is_empty() || bare.starts_with('@')).then_some(i);
            }
            _ => return None,
        }
    }
    None
}

/// Makefile recipes: lines that start with a tab (and the lines they continue), each parsed as
/// shell; `#` lines outside recipes are comments.
fn makefile(text: &str, out: &mut Extraction) -> Result<(), Unreadable> {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let start = offset;
        offset += line.len();
        if let Some(body) = line.strip_prefix('\t') {
            // The recipe's prefixes (`@`, `-`, `+`) are make's, not the shell's.
            let lead = 1 + body.len() - body.trim_start_matches(['@', '-', '+', ' ']).len();
            let mut end = offset;
            let mut last = line;
            while last.trim_end_matches(['\n', '\r']).ends_with('\\') {
                let Some(next) = lines.next() else { break };
                end += next.len();
                offset += next.len();
                last = next;
            }
            let slice = &text[start + lead..end];
            script(&Mapped::verbatim(slice, start + lead), &[], out)?;
        } else if line.trim_start().starts_with('#') {
            out.comments.push(Span::new(start + line.len() - line.trim_start().len(), start + line.trim_end().len()));
        }
    }
    Ok(())
}

/// Dockerfile `RUN`, `CMD` and `ENTRYPOINT`: the exec form (a JSON array) as words, the shell form
/// parsed as shell; `#` lines are comments.
fn dockerfile(text: &str, out: &mut Extraction) -> Result<(), Unreadable> {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('#') {
            out.comments.push(Span::new(start + indent, start + line.trim_end().len()));
            continue;
        }
        let keyword: String = trimmed.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let mut end = offset;
        let mut last = line;
        while last.trim_end_matches(['\n', '\r']).ends_with('\\') {
            let Some(next) = lines.next() else { break };
            end += next.len();
            offset += next.len();
            last = next;
        }
        if !matches!(keyword.to_ascii_uppercase().as_str(), "RUN" | "CMD" | "ENTRYPOINT") {
            continue;
        }
        let body_start = start + indent + keyword.len();
        let body = &text[body_start..end];
        let lead = body.len() - body.trim_start().len();
        let body_start = body_start + lead;
        let body = body.trim_start();
        if body.starts_with('[') {
            exec_form(text, body_start, body.trim_end(), out);
        } else {
            script(&Mapped::verbatim(body, body_start), &[], out)?;
        }
    }
    Ok(())
}

/// `["claude", "-p", …]`: a JSON array of words.
fn exec_form(text: &str, start: usize, body: &str, out: &mut Extraction) {
    let Ok(mut node) = document::parse_json(body) else { return };
    node.shift(start);
    let Some(items) = node.as_seq() else { return };
    let words: Vec<Word> = items.iter().filter_map(|item| json_word(text, item)).collect();
    if words.len() != items.len() {
        return;
    }
    if let Some(at) = claude_at(&words)
        && let Some(site) = command_line::read(words[at].span, &words[at + 1..])
    {
        out.sites.push(site);
    }
}

/// A JSON string node as a word (no shell quoting applies).
fn json_word(text: &str, node: &document::Node) -> Option<Word> {
    let Value::String(decoded) = &node.value else { return None };
    let mapped = string_mapped(text, node.span, decoded);
    Some(Word { text: mapped, span: node.span, expansions: Vec::new(), quoted: true })
}

/// A decoded string scalar (JSON or YAML) with each byte mapped onto the file: exact when the
/// scalar is written verbatim, else by walking the decoded text along the written one.
pub fn string_mapped(text: &str, span: Span, decoded: &str) -> Mapped {
    if let Some(start) = document::verbatim_offset(text, span, decoded) {
        return Mapped::verbatim(decoded, start);
    }
    let raw = text.get(span.start..span.end).unwrap_or_default();
    let raw_bytes = raw.as_bytes();
    let mut out = Mapped::default();
    let mut j = 0;
    for c in decoded.chars() {
        let mut found = None;
        while j < raw.len() {
            let rc = raw[j..].chars().next().unwrap_or('\0');
            if rc == c {
                found = Some(j);
                j += rc.len_utf8();
                break;
            }
            if rc == '\\' && c != '\\' {
                // An escape sequence standing for `c`.
                found = Some(j);
                let len = match raw_bytes.get(j + 1) {
                    Some(b'u') => 6,
                    Some(b'x') => 4,
                    Some(b'U') => 10,
                    _ => 2,
                };
                j = (j + len).min(raw.len());
                break;
            }
            j += rc.len_utf8();
        }
        let at = span.start + found.unwrap_or(raw.len().saturating_sub(1));
        for k in 0..c.len_utf8() {
            out.offsets.push(at + k);
        }
        out.text.push(c);
    }
    out.offsets.push(span.end);
    out
}

/// `package.json`: every value of `scripts` is a shell command line.
fn package_json(text: &str, out: &mut Extraction) -> Result<(), Unreadable> {
    let root = document::parse_json(text).map_err(|e| Unreadable { message: e.message, span: e.span })?;
    for script_entry in root.get("scripts").and_then(|s| s.as_map()).unwrap_or_default() {
        let Some(decoded) = script_entry.value.as_str() else { continue };
        let mapped = string_mapped(text, script_entry.value.span, decoded);
        script(&mapped, &[], out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(path: &str, text: &str) -> Vec<String> {
        let ex = extract(text, path).unwrap();
        ex.sites
            .iter()
            .map(|s| {
                let opts: Vec<String> =
                    s.written.iter().map(|e| format!("{}={}", e.key.text, e.value.to_json())).collect();
                format!("{}: {}", &text[s.anchor.start..s.anchor.end], opts.join(" "))
            })
            .collect()
    }

    #[test]
    fn scripts() {
        let text = "#!/bin/sh\n# agentlint: ignore[AL101] reason\nFOO=1 claude -p --permission-mode plan 'hi' > out\necho claude -p\nsudo -u bot /usr/bin/claude --model=opus\nclaude mcp list\nnpx -y @anthropic-ai/claude-code@2 -p --max-turns 3\n";
        assert_eq!(
            sites("run.sh", text),
            [
                "claude: permission_mode=\"plan\"",
                "/usr/bin/claude: model=\"opus\"",
                "@anthropic-ai/claude-code@2: max_turns=3"
            ]
        );
        let ex = extract(text, "run.sh").unwrap();
        assert_eq!(ex.comments.len(), 2);
    }

    #[test]
    fn embedded_scripts() {
        let make = "review:\n\t@claude -p \\\n\t  --max-turns 5 $(FLAGS)\n";
        assert_eq!(sites("Makefile", make), ["claude: max_turns=5"]);
        let docker = "FROM node\nRUN npm i -g @anthropic-ai/claude-code && \\\n    claude -p --model opus x\nCMD [\"claude\", \"-p\", \"--max-turns\", \"2\"]\n";
        assert_eq!(sites("Dockerfile", docker), ["claude: model=\"opus\"", "\"claude\": max_turns=2"]);
        let pkg = "{\"scripts\": {\"review\": \"claude -p --allowedTools \\\"Read,Grep\\\" go\"}}";
        let ex = extract(pkg, "package.json").unwrap();
        let tools = &ex.sites[0].written[0];
        let spans: Vec<&str> = tools.value.as_seq().unwrap().iter().map(|n| &pkg[n.span.start..n.span.end]).collect();
        // `--allowedTools` is variadic: the CLI takes the prompt `go` as one more rule, and so
        // does the reader (AL105 then reports `go` as an unknown tool).
        assert_eq!(spans, ["Read", "Grep", "go"]);
    }
}
