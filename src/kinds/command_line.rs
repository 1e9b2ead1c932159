//! `claude` command lines: shell words with their places in the file, read against the CLI's
//! flag table ([`crate::launch::flags::parse`], the inverse of `agentlint args`) into the options
//! of one session.
//!
//! Words come from a shell parse (tree-sitter-bash gives the arguments of a command; each is
//! decoded here with its quotes and escapes) or from [`split_words`] (`claude_args` of the GitHub
//! action). Both `--flag value` and `--flag=value` are read, variadic flags take every following
//! word up to the next option (as the CLI does, prompt included), and a word with a shell
//! expansion (`$MODE`, `$(cat f)`, `${{ inputs.mode }}`) is unknown: as a flag's value, the
//! option is unknown; in the place of flags, unquoted, it may expand to any flags, so every
//! option of the command is "cannot tell".

use serde_json::Value as Json;

use super::Host;
use super::source::{RawUnknown, Site, SiteProblem, entry};
use crate::config::UnknownOrigin;
use crate::document::{self, Entry, Key, Node, Seg, Span, Value};
use crate::launch::flags::{self, Arity, FlagUse, ParseProblem};
use crate::rules::{INVALID_VALUE, UNKNOWN_KEY};

/// Stands for the expanded part of a word in the text given to the flag parser.
const DYNAMIC: char = '\u{1}';

/// Text with, for each byte, the offset in the file it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapped {
    pub text: String,
    /// `offsets[i]` is the file offset of byte `i`; `offsets[text.len()]` is where it ends.
    pub offsets: Vec<usize>,
}

impl Mapped {
    /// A slice of the file, byte for byte.
    pub fn verbatim(text: &str, start: usize) -> Self {
        Mapped { text: text.to_owned(), offsets: (start..=start + text.len()).collect() }
    }

    /// The file span of bytes `range` of the text.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let at = |i: usize| self.offsets.get(i).copied().unwrap_or_else(|| self.offsets.last().copied().unwrap_or(0));
        if end <= start {
            return Span::new(at(start), at(start));
        }
        let last = self.text[..end].chars().next_back().map_or(0, char::len_utf8);
        Span::new(at(start), at(end - last) + last)
    }

    fn push(&mut self, c: char, at: usize) {
        for i in 0..c.len_utf8() {
            self.offsets.push(at + i);
        }
        self.text.push(c);
    }
}

/// One shell word after quote removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The decoded text; each expansion stands as one [`DYNAMIC`] character.
    pub text: Mapped,
    /// The word as written in the file.
    pub span: Span,
    /// The expansions in it, as written (`$FLAGS`, `${{ inputs.mode }}`).
    pub expansions: Vec<String>,
    /// True when some part of it is quoted (a quoted expansion is one word, never several).
    pub quoted: bool,
}

impl Word {
    pub fn is_dynamic(&self) -> bool {
        !self.expansions.is_empty()
    }
}

/// Decodes one shell word written at `raw` (file offsets from `raw.offsets`): quotes and
/// backslashes removed, `$'…'` escapes decoded, expansions (`$x`, `${x}`, `$(…)`, `` `…` ``)
/// marked. `gh_expressions` are byte ranges of `raw` holding `${{ … }}`, which are expansions too.
pub fn decode_word(raw: &Mapped, gh_expressions: &[(usize, usize)]) -> Word {
    let s = raw.text.as_str();
    let bytes = s.as_bytes();
    let mut out = Mapped::default();
    let mut expansions = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    let mut double = false;
    let at = |i: usize| raw.offsets.get(i).copied().unwrap_or(0);
    while i < bytes.len() {
        if let Some(&(_, end)) = gh_expressions.iter().find(|(start, _)| *start == i) {
            expansions.push(s[i..end].to_owned());
            out.push(DYNAMIC, at(i));
            i = end;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\0');
        match c {
            '\'' if !double => {
                quoted = true;
                let close = s[i + 1..].find('\'').map_or(s.len(), |j| i + 1 + j);
                let mut j = i + 1;
                while j < close {
                    if let Some(&(_, end)) = gh_expressions.iter().find(|(start, _)| *start == j) {
                        expansions.push(s[j..end].to_owned());
                        out.push(DYNAMIC, at(j));
                        j = end;
                        continue;
                    }
                    let ch = s[j..].chars().next().unwrap_or('\0');
                    out.push(ch, at(j));
                    j += ch.len_utf8();
                }
                i = (close + 1).min(s.len()).max(j);
            }
            '"' => {
                quoted = true;
                double = !double;
                i += 1;
            }
            '\\' => {
                let next = s[i + 1..].chars().next();
                match next {
                    Some('\n') => i += 2,
                    Some(n) if !double || matches!(n, '"' | '\\' | '$' | '`') => {
                        out.push(n, at(i + 1));
                        i += 1 + n.len_utf8();
                    }
                    _ => {
                        out.push('\\', at(i));
                        i += 1;
                    }
                }
            }
            '$' if !double && bytes.get(i + 1) == Some(&b'\'') => {
                quoted = true;
                let (decoded, end) = ansi_c(s, i + 2);
                for ch in decoded.chars() {
                    out.push(ch, at(i));
                }
                i = end;
            }
            '$' if printf_octal(s, i).is_some() => {
                // `agentlint args` writes a character a terminal would act on this way.
                let (decoded, end) = printf_octal(s, i).unwrap_or_default();
                for ch in decoded.chars() {
                    out.push(ch, at(i));
                }
                i = end;
            }
            '$' | '`' => {
                let end = expansion_end(s, i);
                if end == i + 1 && c == '$' {
                    out.push('$', at(i));
                    i += 1;
                    continue;
                }
                expansions.push(s[i..end].to_owned());
                out.push(DYNAMIC, at(i));
                i = end;
            }
            _ => {
                out.push(c, at(i));
                i += c.len_utf8();
            }
        }
    }
    out.offsets.push(raw.offsets.last().copied().unwrap_or(0));
    let span = Span::new(at(0), raw.offsets.last().copied().unwrap_or(0));
    Word { text: out, span, expansions, quoted }
}

/// A word taken as it is (a YAML input's value, a JSON array item): no quotes or escapes, only
/// `gh_expressions` marked as expansions.
pub fn literal_word(raw: &Mapped, gh_expressions: &[(usize, usize)]) -> Word {
    let s = raw.text.as_str();
    let mut out = Mapped::default();
    let mut expansions = Vec::new();
    let at = |i: usize| raw.offsets.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while i < s.len() {
        if let Some(&(_, end)) = gh_expressions.iter().find(|(start, _)| *start == i) {
            expansions.push(s[i..end].to_owned());
            out.push(DYNAMIC, at(i));
            i = end;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\0');
        out.push(c, at(i));
        i += c.len_utf8();
    }
    out.offsets.push(raw.offsets.last().copied().unwrap_or(0));
    Word { span: Span::new(at(0), raw.offsets.last().copied().unwrap_or(0)), text: out, expansions, quoted: true }
}

/// `$(printf '\033\342\200\256')` at `i`: the text of the octal escapes and where the command
/// substitution ends. This is how `agentlint args` quotes control and bidirectional characters
/// ([`crate::launch::shell::quote`]), so the reader gives them back instead of an unknown value.
/// Only that exact form counts (octal escapes, nothing else, valid UTF-8): it runs nothing but
/// `printf`, whose output it fully determines.
fn printf_octal(s: &str, i: usize) -> Option<(String, usize)> {
    let body = s.get(i..)?.strip_prefix("$(printf '")?;
    let close = body.find("')")?;
    let escapes = &body[..close];
    let mut bytes = Vec::new();
    let mut rest = escapes.as_bytes();
    while let [b'\\', tail @ ..] = rest {
        let digits = tail.iter().take(3).take_while(|b| (b'0'..=b'7').contains(*b)).count();
        if digits == 0 {
            return None;
        }
        let value = tail[..digits].iter().fold(0u32, |v, b| v * 8 + u32::from(b - b'0'));
        bytes.push(u8::try_from(value).ok()?);
        rest = &tail[digits..];
    }
    if !rest.is_empty() || bytes.is_empty() {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    Some((text, i + "$(printf '".len() + close + "')".len()))
}

/// Where the expansion starting at `i` (`$x`, `${…}`, `$(…)`, `` `…` ``) ends.
fn expansion_end(s: &str, i: usize) -> usize {
    let bytes = s.as_bytes();
    let close = |open: u8, close: u8, from: usize| {
        let mut depth = 0usize;
        for (j, &b) in bytes.iter().enumerate().skip(from) {
            if b == open {
                depth += 1;
            } else if b == close {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j + 1;
                }
            }
        }
        bytes.len()
    };
    match (bytes[i], bytes.get(i + 1)) {
        (b'`', _) => s[i + 1..].find('`').map_or(s.len(), |j| i + j + 2),
        (b'$', Some(b'{')) => close(b'{', b'}', i + 1),
        (b'$', Some(b'(')) => close(b'(', b')', i + 1),
        (b'$', Some(c)) if c.is_ascii_alphanumeric() || *c == b'_' => {
            let mut j = i + 1;
            if bytes[j].is_ascii_digit() {
                return j + 1;
            }
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            j
        }
        (b'$', Some(b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!')) => i + 2,
        _ => i + 1,
    }
}

/// Decodes `$'…'` from `from` (just after the opening quote): the text and where it ends.
fn ansi_c(s: &str, from: usize) -> (String, usize) {
    let mut out = String::new();
    let mut chars = s[from..].char_indices();
    while let Some((j, c)) = chars.next() {
        match c {
            '\'' => return (out, from + j + 1),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'e' | 'E')) => out.push('\u{1b}'),
                Some((_, 'a')) => out.push('\u{7}'),
                Some((_, other)) => out.push(other),
                None => {}
            },
            c => out.push(c),
        }
    }
    (out, s.len())
}

/// Splits text into shell words the way `claude_args` is read by the GitHub action: at unquoted
/// whitespace, with quotes and escapes, skipping lines that are comments; `(`, `)`, `|`, `&`,
/// `;`, `<` and `>` are plain characters.
pub fn split_words(text: &Mapped, gh_expressions: &[(usize, usize)]) -> (Vec<Word>, Vec<Span>) {
    let s = text.text.as_str();
    let mut words = Vec::new();
    let mut comments = Vec::new();
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            let end = s[i..].find('\n').map_or(s.len(), |j| i + j);
            comments.push(text.span(i, end));
            i = end;
            continue;
        }
        let start = i;
        let mut quote: Option<u8> = None;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(b'"') if b == b'\\' => i += 1,
                Some(_) => {}
                None if b == b'\'' || b == b'"' => quote = Some(b),
                None if b == b'\\' => i += 1,
                None if b.is_ascii_whitespace() => break,
                None => {}
            }
            i += 1;
        }
        let end = i.min(bytes.len());
        let raw = Mapped { text: s[start..end].to_owned(), offsets: text.offsets[start..=end].to_vec() };
        let local: Vec<(usize, usize)> = gh_expressions
            .iter()
            .filter(|(a, b)| *a >= start && *b <= end)
            .map(|(a, b)| (a - start, b - start))
            .collect();
        words.push(decode_word(&raw, &local));
    }
    (words, comments)
}

/// Reads the arguments of a `claude` command (the words after the program) into a site, or
/// `None` when the command runs a subcommand (`claude mcp add …`) or only prints (`--version`,
/// `--help`).
pub fn read(anchor: Span, words: &[Word]) -> Option<Site> {
    let texts: Vec<&str> = words.iter().map(|w| w.text.text.as_str()).collect();
    let line = flags::parse(&texts, flags::BASELINE);
    if line.subcommand.is_some() || line.has("version") || line.has("help") {
        return None;
    }
    let mut site = Site::new(anchor, Host::CommandLine);
    site.unknown.push(RawUnknown {
        path: vec!["cwd".into()],
        span: anchor,
        what: "the shell's working directory".into(),
        origin: UnknownOrigin::Elsewhere,
    });
    // A bare expansion where flags go may expand to any flags.
    for &i in &line.operands {
        let word = &words[i];
        if word.is_dynamic() && !word.quoted && line.end_of_options.is_none_or(|e| i < e) {
            site.unknown.push(RawUnknown {
                path: Vec::new(),
                span: word.span,
                what: format!("`{}`", word.expansions.join("")),
                origin: UnknownOrigin::NotLiteral,
            });
        }
    }
    for problem in &line.problems {
        let token = problem.token();
        let span = words.get(token).map_or(anchor, |w| w.span);
        let (rule, message, help) = match problem {
            ParseProblem::UnknownOption { text, .. } => {
                let suggestion = closest_flag(text).map(|f| format!("did you mean `{f}`?"));
                (
                    &UNKNOWN_KEY,
                    format!(
                        "`{}` is not an option of the `claude` CLI, which stops with `unknown option`",
                        shown(text)
                    ),
                    suggestion.or(Some("`claude --help` lists the options".into())),
                )
            }
            ParseProblem::MissingValue { flag, .. } => {
                (&INVALID_VALUE, format!("`--{}` needs a value, and the command line ends before one", flag.name), None)
            }
            ParseProblem::SwitchWithValue { flag, .. } => (
                &INVALID_VALUE,
                format!("`--{}` takes no value; the CLI reads `--{}=…` as an unknown option", flag.name, flag.name),
                Some(format!("write `--{}` alone", flag.name)),
            ),
            // Values and releases are the rules' business (AL004 on the option, AL606/AL608).
            ParseProblem::NotInVersion { .. } | ParseProblem::InvalidChoice { .. } => continue,
        };
        site.problems.push(SiteProblem { rule, span, message, label: None, help });
    }
    let mut builder = Builder { words, entries: Vec::new(), unknown: Vec::new(), problems: Vec::new() };
    for flag_use in &line.flags {
        builder.flag(flag_use);
    }
    builder.implied_by_partial_messages();
    site.problems.extend(builder.problems);
    site.written = builder.entries;
    site.unknown.extend(builder.unknown);
    Some(site)
}

fn shown(text: &str) -> String {
    crate::launch::shell::escape_for_display(&crate::secrets::redact_all(text)).into_owned()
}

fn closest_flag(text: &str) -> Option<String> {
    let name = text.trim_start_matches('-');
    let names: Vec<&str> =
        flags::all().iter().flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied())).collect();
    crate::suggest::closest(name, &names).map(|n| format!("--{n}"))
}

struct Builder<'w> {
    words: &'w [Word],
    entries: Vec<Entry>,
    unknown: Vec<RawUnknown>,
    problems: Vec<SiteProblem>,
}

/// A flag's value: the word, and where in it the value starts.
struct Val<'w> {
    word: &'w Word,
    from: usize,
}

impl Val<'_> {
    fn text(&self) -> &str {
        &self.word.text.text[self.from..]
    }

    fn span(&self) -> Span {
        self.word.text.span(self.from, self.word.text.text.len())
    }

    fn dynamic(&self) -> bool {
        self.text().contains(DYNAMIC)
    }

    fn string(&self) -> Node {
        Node::new(Value::String(self.text().to_owned()), self.span())
    }
}

impl<'w> Builder<'w> {
    fn values(&self, flag_use: &FlagUse) -> Vec<Val<'w>> {
        flag_use.values.iter().map(|v| Val { word: &self.words[v.token], from: v.offset }).collect()
    }

    /// A variadic rule list in the separate form takes every word up to the next option, so
    /// `--allowedTools Read "Fix the build"` at the end of a command makes the prompt a list of
    /// rules (`Fix`, `the`, `build`) and the CLI runs without one. A last word that ends the
    /// command and holds a space outside parentheses is taken for that prompt: reported once
    /// (AL105, with the fix) instead of as one unknown tool per word, and left out of the list.
    fn without_swallowed_prompt<'v>(&mut self, flag_use: &FlagUse, option: &str, values: Vec<Val<'v>>) -> Vec<Val<'v>> {
        let rules = matches!(option, "allowed_tools" | "disallowed_tools");
        let ends_command = flag_use.tokens.end == self.words.len();
        let Some(last) = values.last().filter(|_| rules && ends_command && values.len() > 1) else { return values };
        if flag_use.form != flags::Form::Separate || last.dynamic() || !spaced_outside_parentheses(last.text()) {
            return values;
        }
        let spelled = &flag_use.spelled;
        let prompt = shown(last.text());
        let kept: Vec<String> = values[..values.len() - 1]
            .iter()
            .map(|v| crate::launch::shell::quote(v.text()).map_or_else(|_| shown(v.text()), |q| shown(&q)))
            .collect();
        let first = kept.join(" ");
        self.problems.push(SiteProblem {
            rule: &crate::rules::INVALID_PERMISSION_RULE,
            span: last.span(),
            message: format!(
                "`{spelled}` takes `{prompt}` as permission rules: the flag takes every word up to the next option, so this prompt never reaches the CLI"
            ),
            label: Some("read as rules, not as the prompt".into()),
            help: Some(format!("end the list with `--` before the prompt: `{spelled} {first} -- \"{prompt}\"`")),
        });
        let mut values = values;
        values.pop();
        values
    }

    fn key_span(&self, flag_use: &FlagUse) -> Span {
        let word = &self.words[flag_use.tokens.start];
        let end = word.text.text.find('=').filter(|_| flag_use.form == flags::Form::Equals);
        word.text.span(0, end.unwrap_or(word.text.text.len()))
    }

    fn unknown(&mut self, path: &[&str], val: &Val<'_>) {
        self.unknown.push(RawUnknown {
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            span: val.span(),
            what: format!("`{}`", val.word.expansions.join("")),
            origin: UnknownOrigin::NotLiteral,
        });
    }

    /// Sets `key` (replacing nothing: a repeated flag is a duplicate key, as the CLI keeps the last).
    /// `--include-partial-messages` needs `--output-format stream-json --verbose` (the CLI
    /// refuses it otherwise), and the encoder emits both with it: with the option set, they are
    /// part of it, not `extra_args` of their own.
    fn implied_by_partial_messages(&mut self) {
        let partial = self.entries.iter().any(|e| e.key.text == "include_partial_messages");
        let Some(extra) = self.entries.iter_mut().find(|e| e.key.text == "extra_args") else { return };
        let Value::Map(flags) = &mut extra.value.value else { return };
        if !partial {
            return;
        }
        flags.retain(|f| match f.key.text.as_str() {
            "verbose" => f.value.value != Value::Null,
            "output-format" => f.value.value != Value::String("stream-json".into()),
            _ => true,
        });
        if flags.is_empty() {
            self.entries.retain(|e| e.key.text != "extra_args");
        }
    }

    fn set(&mut self, key: &str, key_span: Span, value: Node) {
        self.entries.push(entry(key, key_span, value));
    }

    /// Appends to the list option `key` (variadic and repeatable flags add up).
    fn extend(&mut self, key: &str, key_span: Span, items: Vec<Node>, span: Span) {
        if let Some(existing) = self.entries.iter_mut().find(|e| e.key.text == key)
            && let Value::Seq(list) = &mut existing.value.value
        {
            list.extend(items);
            existing.value.span.end = existing.value.span.end.max(span.end);
            return;
        }
        self.entries.push(entry(key, key_span, Node::new(Value::Seq(items), span)));
    }

    fn flag(&mut self, flag_use: &FlagUse) {
        let flag = flag_use.flag;
        let key_span = self.key_span(flag_use);
        let values = self.values(flag_use);
        let all =
            values.first().map_or(key_span, |v| Span::new(v.span().start, values.last().map_or(0, |l| l.span().end)));
        let option = match flag.name {
            "allowedTools" => "allowed_tools",
            "disallowedTools" => "disallowed_tools",
            "tools" => "tools",
            "add-dir" => "add_dir",
            "betas" => "betas",
            "plugin-dir" => "plugins",
            "setting-sources" => "setting_sources",
            "permission-mode" => "permission_mode",
            "model" => "model",
            "fallback-model" => "fallback_model",
            "agent" => "agent",
            "session-id" => "session_id",
            "resume" => "resume",
            "permission-prompt-tool" => "permission_prompt_tool",
            "system-prompt" => "system_prompt",
            "append-system-prompt" => "append_system_prompt",
            "effort" => "effort",
            "max-turns" => "max_turns",
            "max-budget-usd" => "max_budget_usd",
            "max-thinking-tokens" => "max_thinking_tokens",
            "thinking" => "thinking",
            "settings" => "settings",
            "mcp-config" => "mcp_config",
            "json-schema" => "output_format",
            "agents" => "agents",
            "strict-mcp-config" => "strict_mcp_config",
            "fork-session" => "fork_session",
            "continue" => "continue",
            "no-session-persistence" => "no_session_persistence",
            "include-partial-messages" => "include_partial_messages",
            "disable-slash-commands" => "disable_slash_commands",
            "dangerously-skip-permissions" => "dangerously_skip_permissions",
            "allow-dangerously-skip-permissions" => "allow_dangerously_skip_permissions",
            // Print mode: every launch has it (`agentlint args` always emits `--print`). The
            // output's shape (`--output-format`, `--verbose`) is kept as `extra_args`, as a
            // config would write it, so the line reads back to the options that print it.
            "print" => return,
            _ => "",
        };
        if option.is_empty() {
            let name = flag.name;
            let value = match values.first() {
                Some(v) if v.dynamic() => {
                    self.unknown(&["extra_args", name], v);
                    return;
                }
                Some(v) => v.string(),
                None => Node::new(Value::Null, key_span),
            };
            self.extra_arg(name, key_span, value);
            return;
        }
        if flag.arity == Arity::Switch {
            self.set(option, key_span, Node::new(Value::Bool(true), key_span));
            return;
        }
        let Some(first) = values.first() else { return };
        if let Some(dynamic) = values.iter().find(|v| v.dynamic()) {
            self.unknown(&[option], dynamic);
            let known: Vec<&Val<'_>> = values.iter().filter(|v| !v.dynamic()).collect();
            if matches!(option, "allowed_tools" | "disallowed_tools" | "add_dir" | "betas" | "plugins")
                && !known.is_empty()
            {
                let items = known.iter().flat_map(|v| items_of(option, v)).collect();
                self.extend(option, key_span, items, all);
            }
            return;
        }
        match option {
            "allowed_tools" | "disallowed_tools" | "add_dir" | "betas" | "plugins" => {
                let values = self.without_swallowed_prompt(flag_use, option, values);
                let items = values.iter().flat_map(|v| items_of(option, v)).collect();
                self.extend(option, key_span, items, all);
            }
            "tools" => {
                let joined: Vec<&str> = values.iter().map(|v| v.text()).collect();
                if joined == ["default"] {
                    let preset = preset(first.span());
                    self.set(option, key_span, preset);
                } else {
                    let items = values.iter().flat_map(|v| items_of(option, v)).collect();
                    self.extend(option, key_span, items, all);
                }
            }
            "setting_sources" => {
                let items = csv(first);
                self.set(option, key_span, Node::new(Value::Seq(items), first.span()));
            }
            "max_turns" | "max_thinking_tokens" | "max_budget_usd" => {
                let node = super::source::number(first.text(), first.span(), false).unwrap_or_else(|| first.string());
                self.set(option, key_span, node);
            }
            "thinking" => {
                let span = first.span();
                let node = Node::new(
                    Value::Map(vec![entry("type", span, Node::new(Value::String(first.text().to_owned()), span))]),
                    span,
                );
                self.set(option, key_span, node);
            }
            "settings" => self.settings(key_span, first),
            "mcp_config" => {
                for v in &values {
                    self.mcp_config(key_span, v);
                }
            }
            "output_format" => {
                let span = first.span();
                let schema = json_in(first).unwrap_or_else(|| first.string());
                let node = Node::new(
                    Value::Map(vec![
                        entry("type", span, Node::new(Value::String("json_schema".into()), span)),
                        entry("schema", span, schema),
                    ]),
                    span,
                );
                self.set(option, key_span, node);
            }
            "agents" => {
                let node = json_in(first).unwrap_or_else(|| first.string());
                self.set(option, key_span, node);
            }
            _ => self.set(option, key_span, first.string()),
        }
    }

    fn extra_arg(&mut self, name: &str, key_span: Span, value: Node) {
        let item = Entry { key: Key { text: name.to_owned(), span: key_span }, value, merged: false };
        if let Some(existing) = self.entries.iter_mut().find(|e| e.key.text == "extra_args")
            && let Value::Map(map) = &mut existing.value.value
        {
            existing.value.span.end = existing.value.span.end.max(item.value.span.end);
            map.push(item);
            return;
        }
        let span = Span::new(key_span.start, item.value.span.end.max(key_span.end));
        self.entries.push(entry("extra_args", key_span, Node::new(Value::Map(vec![item]), span)));
    }

    /// `--settings`: a JSON object gives `sandbox` and `hooks` as options of their own (the
    /// inverse of how `agentlint args` and the SDKs merge them in) and the rest as `settings`;
    /// anything else is a settings file's path.
    fn settings(&mut self, key_span: Span, v: &Val<'_>) {
        let Some(node) = json_in(v) else {
            self.set("settings", key_span, v.string());
            return;
        };
        let Value::Map(entries) = node.value else {
            self.set("settings", key_span, Node::new(node.value, node.span));
            return;
        };
        let mut rest = Vec::new();
        for e in entries {
            match e.key.text.as_str() {
                "sandbox" | "hooks" => self.set(&e.key.text.clone(), e.key.span, e.value),
                _ => rest.push(e),
            }
        }
        if !rest.is_empty() {
            self.set("settings", key_span, Node::new(Value::Map(rest), node.span));
        }
    }

    /// `--mcp-config`: `{"mcpServers": …}` adds servers; anything else is a file's path.
    fn mcp_config(&mut self, key_span: Span, v: &Val<'_>) {
        let servers = json_in(v).and_then(|n| n.entry("mcpServers").map(|e| e.value.clone()));
        match servers {
            Some(Node { value: Value::Map(servers), span }) => {
                if let Some(existing) = self.entries.iter_mut().find(|e| e.key.text == "mcp_servers")
                    && let Value::Map(map) = &mut existing.value.value
                {
                    map.extend(servers);
                    return;
                }
                self.set("mcp_servers", key_span, Node::new(Value::Map(servers), span));
            }
            _ => self.set("mcp_config", key_span, v.string()),
        }
    }
}

/// `{"type": "preset", "preset": "claude_code"}`, for `--tools default`.
fn preset(span: Span) -> Node {
    Node::new(
        Value::Map(vec![
            entry("type", span, Node::new(Value::String("preset".into()), span)),
            entry("preset", span, Node::new(Value::String("claude_code".into()), span)),
        ]),
        span,
    )
}

/// The items one value of a list flag gives: rule lists split as the CLI splits them (commas
/// and spaces outside parentheses), other lists one item per value.
fn items_of(option: &str, v: &Val<'_>) -> Vec<Node> {
    if !matches!(option, "allowed_tools" | "disallowed_tools" | "tools") {
        return vec![v.string()];
    }
    let text = v.text();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut push = |from: usize, to: usize| {
        let raw = &text[from..to];
        let trimmed = raw.trim();
        if !trimmed.is_empty() {
            let lead = raw.len() - raw.trim_start().len();
            let a = v.from + from + lead;
            out.push(Node::new(Value::String(trimmed.to_owned()), v.word.text.span(a, a + trimmed.len())));
        }
    };
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ' ' if depth == 0 => {
                push(start, i);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(start, text.len());
    out
}

/// True when `text` holds a space outside parentheses (`Fix the build`, not `Bash(git diff:*)`).
fn spaced_outside_parentheses(text: &str) -> bool {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// A comma-separated value (`--setting-sources user,project`), one item per entry.
fn csv(v: &Val<'_>) -> Vec<Node> {
    let text = v.text();
    let mut out = Vec::new();
    let mut start = 0;
    for part in text.split(',') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let lead = part.len() - part.trim_start().len();
            let a = v.from + start + lead;
            out.push(Node::new(Value::String(trimmed.to_owned()), v.word.text.span(a, a + trimmed.len())));
        }
        start += part.len() + 1;
    }
    out
}

/// The JSON value of a flag's value, its spans in the file, or `None` when it is not JSON.
fn json_in(v: &Val<'_>) -> Option<Node> {
    let text = v.text();
    if !text.trim_start().starts_with(['{', '[']) {
        return None;
    }
    let mut node = document::parse_json(text).ok()?;
    remap(&mut node, &|i: usize| v.word.text.offsets.get(v.from + i).copied().unwrap_or(v.span().end));
    Some(node)
}

/// Maps every span of a tree parsed from a word's text onto the file.
pub(crate) fn remap(node: &mut Node, at: &dyn Fn(usize) -> usize) {
    let span = |s: Span| {
        if s.is_empty() {
            return Span::new(at(s.start), at(s.start));
        }
        Span::new(at(s.start), at(s.end - 1) + 1)
    };
    node.span = span(node.span);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| remap(i, at)),
        Value::Map(entries) => {
            for e in entries {
                e.key.span = span(e.key.span);
                remap(&mut e.value, at);
            }
        }
        _ => {}
    }
}

// --- naming and fixes on command lines -------------------------------------------------------

/// The flag that sets an option (`permission_mode` → `--permission-mode`).
pub(crate) fn option_name(canonical: &str) -> String {
    match canonical {
        "sandbox" | "hooks" | "settings" => "--settings".into(),
        "cwd" => "the working directory".into(),
        "api_key" => "ANTHROPIC_API_KEY".into(),
        "env" => "the environment".into(),
        "extra_args" => "other flags".into(),
        "mcp_servers" | "mcp_config" => "--mcp-config".into(),
        "tool_callback" | "permission_prompt_tool" => "--permission-prompt-tool".into(),
        "persist_session" | "no_session_persistence" => "--no-session-persistence".into(),
        "system_prompt" => "--system-prompt".into(),
        "plugins" => "--plugin-dir".into(),
        "output_format" => "--json-schema".into(),
        "thinking" => "--thinking".into(),
        other => match flags::for_option(other).next() {
            Some(flag) => flag.long(),
            None => format!("`{other}`"),
        },
    }
}

/// A canonical path as a command line names it: `--permission-mode`, `--allowedTools[2]`,
/// `--settings sandbox.enabled`, `--mcp-config mcpServers.github.env.TOKEN`, `--debug-file`.
pub(crate) fn path_name(path: &[Seg<'_>]) -> String {
    let Some((Seg::Key(first), rest)) = path.split_first() else { return String::new() };
    if *first == "extra_args"
        && let Some(Seg::Key(flag)) = rest.first()
    {
        return format!("--{}", flag.trim_start_matches('-'));
    }
    let mut out = option_name(first);
    let inside = match *first {
        "sandbox" | "hooks" => Some(vec![(*first).to_owned()]),
        "mcp_servers" => Some(vec!["mcpServers".to_owned()]),
        "settings" => Some(Vec::new()),
        _ => None,
    };
    match inside {
        Some(mut keys) => {
            for (i, seg) in rest.iter().enumerate() {
                match seg {
                    Seg::Key(k) if free_form(first, i) => keys.push((*k).to_owned()),
                    Seg::Key(k) => keys.push(crate::config::aliases::snake_to_camel(k)),
                    Seg::Index(n) => {
                        if let Some(last) = keys.last_mut() {
                            last.push_str(&format!("[{n}]"));
                        }
                    }
                }
            }
            if !keys.is_empty() {
                out.push(' ');
                out.push_str(&keys.join("."));
            }
        }
        None => {
            for seg in rest {
                match seg {
                    Seg::Index(n) => out.push_str(&format!("[{n}]")),
                    Seg::Key(k) => {
                        out.push('.');
                        out.push_str(k);
                    }
                }
            }
        }
    }
    out
}

/// Server, variable and event names inside `--settings` and `--mcp-config` JSON.
fn free_form(first: &str, i: usize) -> bool {
    match first {
        "mcp_servers" => i == 0,
        "hooks" => i == 0,
        _ => false,
    }
}

/// A JSON value as one shell word.
pub(crate) fn word_for(value: &Json) -> String {
    let text = match value {
        Json::String(s) => s.clone(),
        Json::Array(items) => {
            items.iter().map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned)).collect::<Vec<_>>().join(",")
        }
        other => other.to_string(),
    };
    crate::launch::shell::quote(&text).map_or(text.clone(), |q| q.into_owned())
}

/// The fix "set `path` to `value`" on a command line.
pub(crate) fn set(path: &[Seg<'_>], value: &Json) -> String {
    let Some(Seg::Key(first)) = path.first() else { return String::new() };
    match (*first, value) {
        ("sandbox" | "hooks" | "settings" | "env", _) => {
            let mut nested = value.clone();
            for seg in path.iter().rev() {
                if let Seg::Key(k) = seg {
                    if *k == "settings" {
                        continue;
                    }
                    let key = if path.first() == Some(seg) || free_form(first, 0) {
                        (*k).to_owned()
                    } else {
                        crate::config::aliases::snake_to_camel(k)
                    };
                    let mut map = serde_json::Map::new();
                    map.insert(key, nested);
                    nested = Json::Object(map);
                }
            }
            format!("--settings {}", word_for(&Json::String(nested.to_string())))
        }
        ("cwd", Json::String(dir)) => format!("cd {} && claude …", word_for(&Json::String(dir.clone()))),
        ("api_key", _) => "ANTHROPIC_API_KEY in the environment, not on the command line".into(),
        (_, Json::Bool(true)) => option_name(first),
        (_, Json::Bool(false)) => format!("no {}", option_name(first)),
        ("add_dir" | "betas" | "plugins", Json::Array(items)) => {
            items.iter().map(|i| format!("{} {}", option_name(first), word_for(i))).collect::<Vec<_>>().join(" ")
        }
        (_, value) => format!("{} {}", option_name(first), word_for(value)),
    }
}

/// [`set`] with the value already written.
pub(crate) fn set_raw(path: &[Seg<'_>], raw: &str) -> String {
    match path.first() {
        Some(Seg::Key(first)) => format!("{} {raw}", option_name(first)),
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Word> {
        split_words(&Mapped::verbatim(line, 0), &[]).0
    }

    fn site(line: &str) -> Site {
        read(Span::new(0, 6), &words(line)).expect("a session")
    }

    fn value(site: &Site, key: &str) -> serde_json::Value {
        site.written.iter().rev().find(|e| e.key.text == key).map(|e| e.value.to_json()).unwrap_or_default()
    }

    #[test]
    fn words_keep_their_places() {
        let line = r#"-p --allowedTools "Read,Bash(git diff:*)" --model='opus' x\ y"#;
        let w = words(line);
        let texts: Vec<&str> = w.iter().map(|w| w.text.text.as_str()).collect();
        assert_eq!(texts, ["-p", "--allowedTools", "Read,Bash(git diff:*)", "--model=opus", "x y"]);
        let s = site(line);
        let tools = s.written.iter().find(|e| e.key.text == "allowed_tools").unwrap();
        let spans: Vec<&str> = tools.value.as_seq().unwrap().iter().map(|n| &line[n.span.start..n.span.end]).collect();
        assert_eq!(spans, ["Read", "Bash(git diff:*)"]);
        let model = s.written.iter().find(|e| e.key.text == "model").unwrap();
        assert_eq!(&line[model.value.span.start..model.value.span.end], "opus");
        assert_eq!(&line[model.key.span.start..model.key.span.end], "--model");
    }

    #[test]
    fn flags_become_options() {
        let s = site(
            "-p --permission-mode dontAsk --max-turns=5 --add-dir /a /b --dangerously-skip-permissions --debug-file /tmp/d 'hi'",
        );
        assert_eq!(value(&s, "permission_mode"), "dontAsk");
        assert_eq!(value(&s, "max_turns"), 5);
        assert_eq!(value(&s, "add_dir"), serde_json::json!(["/a", "/b"]));
        assert_eq!(value(&s, "dangerously_skip_permissions"), true);
        assert_eq!(value(&s, "extra_args"), serde_json::json!({"debug-file": "/tmp/d"}));
        let s = site(r#"--settings '{"sandbox": {"enabled": true}, "model": "opus"}' --tools default"#);
        assert_eq!(value(&s, "sandbox"), serde_json::json!({"enabled": true}));
        assert_eq!(value(&s, "settings"), serde_json::json!({"model": "opus"}));
        assert_eq!(value(&s, "tools"), serde_json::json!({"type": "preset", "preset": "claude_code"}));
    }

    #[test]
    fn expansions_are_unknown() {
        let s = site("-p --permission-mode \"$MODE\" $FLAGS --allowedTools Read ${EXTRA}");
        let paths: Vec<(Vec<String>, String)> = s.unknown.iter().map(|u| (u.path.clone(), u.what.clone())).collect();
        assert!(paths.contains(&(vec!["permission_mode".into()], "`$MODE`".into())), "{paths:?}");
        assert!(paths.contains(&(Vec::new(), "`$FLAGS`".into())), "{paths:?}");
        assert!(paths.contains(&(vec!["allowed_tools".into()], "`${EXTRA}`".into())), "{paths:?}");
        assert_eq!(value(&s, "allowed_tools"), serde_json::json!(["Read"]));
    }

    #[test]
    fn subcommands_and_problems() {
        assert!(read(Span::default(), &words("mcp add x")).is_none());
        assert!(read(Span::default(), &words("--version")).is_none());
        let s = site("-p --permision-mode plan");
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0].message.contains("`--permision-mode`"), "{}", s.problems[0].message);
        assert_eq!(s.problems[0].help.as_deref(), Some("did you mean `--permission-mode`?"));
    }

    #[test]
    fn a_prompt_after_a_rule_list_is_reported_once() {
        let s = site(r#"-p --allowedTools "Read" "Bash(git diff:*)" "Fix the build""#);
        assert_eq!(value(&s, "allowed_tools"), serde_json::json!(["Read", "Bash(git diff:*)"]));
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].rule.id, "AL105");
        assert_eq!(
            s.problems[0].help.as_deref(),
            Some(
                r#"end the list with `--` before the prompt: `--allowedTools Read 'Bash(git diff:*)' -- "Fix the build"`"#
            )
        );
        // With `--`, or with a flag after it, the list ends where it should.
        assert!(site(r#"-p --allowedTools Read Grep -- "Fix the build""#).problems.is_empty());
        assert!(site(r#"-p --allowedTools Read "Fix the build" --max-turns 3"#).problems.is_empty());
        // A single space-separated list is a list.
        assert!(site(r#"-p --allowedTools "Read Grep""#).problems.is_empty());
    }

    #[test]
    fn printf_escapes_of_agentlint_args_read_back() {
        let w = words(r#"--name=a"$(printf '\033\342\200\256')"b "$(printf '%s' x)" "$(printf '\400')""#);
        assert_eq!(w[0].text.text, "--name=a\u{1b}\u{202e}b");
        assert!(!w[0].is_dynamic());
        // Anything but octal escapes runs a command whose output agentlint does not compute.
        assert!(w[1].is_dynamic());
        assert!(w[2].is_dynamic());
    }

    #[test]
    fn names_and_fixes() {
        assert_eq!(path_name(&[Seg::Key("permission_mode")]), "--permission-mode");
        assert_eq!(path_name(&[Seg::Key("allowed_tools"), Seg::Index(1)]), "--allowedTools[1]");
        assert_eq!(
            path_name(&[Seg::Key("sandbox"), Seg::Key("allow_unsandboxed_commands")]),
            "--settings sandbox.allowUnsandboxedCommands"
        );
        assert_eq!(set(&[Seg::Key("permission_mode")], &serde_json::json!("dontAsk")), "--permission-mode dontAsk");
        assert_eq!(
            set(&[Seg::Key("allowed_tools")], &serde_json::json!(["Read", "Grep"])),
            "--allowedTools 'Read,Grep'"
        );
        assert_eq!(
            set(&[Seg::Key("sandbox"), Seg::Key("enabled")], &serde_json::json!(true)),
            r#"--settings '{"sandbox":{"enabled":true}}'"#
        );
        assert_eq!(set_raw(&[Seg::Key("max_budget_usd")], "5.00"), "--max-budget-usd 5.00");
    }
}
