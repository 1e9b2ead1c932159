//! The output step: every string agentlint prints goes through [`clean`] on its way out.
//!
//! Config files, policy packs and the names of files are written by whoever opened the pull
//! request, and agentlint's output lands in CI logs that anyone can read and in terminals
//! that interpret escape sequences. So before anything leaves the process:
//!
//! * credentials are redacted: every known format (see [`crate::secrets`]) and the password
//!   of a `scheme://user:password@host` URL show at most their public prefix and last
//!   characters, as [`crate::secrets::redact`] does;
//! * terminal control characters and bidirectional-text overrides are escaped: ESC becomes
//!   the six visible characters `\u{1b}`, RIGHT-TO-LEFT OVERRIDE becomes `\u{202e}`, and so
//!   on (see [`is_unsafe`]). Line feeds and tabs stay.
//!
//! Renderers build their output from findings that [`clean_reports`] has already cleaned, and
//! the text they produce is written with [`write_stdout`] / [`write_stderr`], which clean it
//! once more ([`finish`]): JSON output is re-read and every string in it cleaned, so a field a
//! renderer forgets cannot bypass the step. Only human output in colour keeps escape
//! sequences, and only the colour (SGR) sequences the renderer itself writes.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;

use crate::document::pointer_token;
use crate::report::FileReport;

/// True for characters that must not reach a terminal or a log as they are: C0 controls
/// other than tab and line feed (ESC, BEL, backspace, carriage return, ...), DEL, C1
/// controls (U+0080–U+009F; U+009B is a one-byte CSI for some terminals), the bidirectional
/// embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
/// U+061C), and the Unicode line and paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// True when `text` holds an [`is_unsafe`] character. Printable ASCII, tabs and line feeds
/// (nearly all output) are passed over a byte at a time before any character is decoded.
fn has_unsafe(text: &str) -> bool {
    let plain = |b: u8| (0x20..0x7f).contains(&b) | (b == b'\n') | (b == b'\t');
    // 32 bytes at a time with no branch per byte, which the compiler turns into vector code.
    let all_plain = text.as_bytes().chunks(32).all(|chunk| chunk.iter().fold(true, |ok, &b| ok & plain(b)));
    !all_plain && text.chars().any(is_unsafe)
}

/// The step every printed string goes through: credentials redacted, unsafe characters
/// ([`is_unsafe`]) escaped as `\u{..}`. Borrowed when there is nothing to change.
///
/// Public so that every module printing something (`src/launch/` included) uses the same step.
pub fn clean(text: &str) -> Cow<'_, str> {
    let redacted = crate::secrets::redact_all(text);
    if !has_unsafe(&redacted) {
        return redacted;
    }
    Cow::Owned(escape_unsafe(&redacted))
}

/// [`clean`] into an owned string.
pub fn clean_owned(text: &str) -> String {
    clean(text).into_owned()
}

/// `text` with each unsafe character written as `\u{..}` (lower-case hex, as Rust's `{:?}`).
pub fn escape_unsafe(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with each unsafe character escaped, and the offset in the result of every byte
/// offset of `text` (for moving spans into the escaped text). Used for source snippets,
/// which are masked with [`crate::secrets::mask_text`] first.
pub fn escape_unsafe_mapped(text: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    for (at, c) in text.char_indices() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
            // Offsets after this character move by the growth so far.
            shifts.push((at + c.len_utf8(), out.len() - (at + c.len_utf8())));
        } else {
            out.push(c);
        }
    }
    (out, OffsetMap { shifts })
}

/// Moves byte offsets of a text into the text [`escape_unsafe_mapped`] made of it.
#[derive(Debug, Default)]
pub struct OffsetMap {
    /// (first original offset after an escaped character, total growth from there on), sorted.
    shifts: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The offset in the escaped text of `offset` in the original. An offset inside an escaped
    /// character moves to the start of its escape.
    pub fn map(&self, offset: usize) -> usize {
        let after = self.shifts.partition_point(|&(from, _)| from <= offset);
        match after.checked_sub(1) {
            Some(i) => offset + self.shifts[i].1,
            None => offset,
        }
    }
}

/// [`clean`] for a JSON pointer: each token is redacted as written in the file (a `/` inside
/// a key is spelled `~1` in the pointer, which would hide a URL-shaped secret from the scan).
pub fn clean_pointer(pointer: &str) -> Cow<'_, str> {
    // Usually nothing is redacted: then no token is copied.
    if pointer.split('/').all(|t| matches!(crate::secrets::redact_all(&pointer_token(t)), Cow::Borrowed(_))) {
        return clean(pointer);
    }
    let tokens: Vec<Cow<'_, str>> = pointer.split('/').map(pointer_token).collect();
    let redacted: Vec<Cow<'_, str>> = tokens.iter().map(|t| crate::secrets::redact_all(t)).collect();
    let joined = redacted.iter().map(|t| t.replace('~', "~0").replace('/', "~1")).collect::<Vec<_>>().join("/");
    Cow::Owned(clean(&joined).into_owned())
}

/// Cleans, in place, every string of the findings that an output format can show: messages,
/// labels, help, agent names, pointers, related messages, suppression reasons, and the file
/// path. Source text is left alone (renderers show it masked, see [`FileReport::display_text`],
/// and escaped with [`escape_unsafe_mapped`]); spans and line numbers do not change.
pub fn clean_reports(reports: &mut [FileReport]) {
    fn fix(s: &mut String) {
        if let Cow::Owned(cleaned) = clean(s) {
            *s = cleaned;
        }
    }
    fn fix_pointer(pointer: &mut Option<String>) {
        if let Some(p) = pointer
            && let Cow::Owned(cleaned) = clean_pointer(p)
        {
            *p = cleaned;
        }
    }
    for report in reports {
        fix(&mut report.source.path);
        for f in &mut report.findings {
            fix(&mut f.message);
            for text in [&mut f.label, &mut f.help, &mut f.agent].into_iter().flatten() {
                fix(text);
            }
            fix_pointer(&mut f.location.pointer);
            for r in &mut f.related {
                fix(&mut r.message);
                fix_pointer(&mut r.location.pointer);
            }
            if let Some(s) = &mut f.suppressed {
                fix(&mut s.reason);
            }
        }
    }
}

/// What a piece of output is, so [`finish`] knows how to clean it as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text: redacted and escaped.
    Text,
    /// Text coloured by agentlint: as `Text`, but the colour sequences (`ESC [ … m`) stay.
    Colored,
    /// A JSON document (JSON output, SARIF): every string in it, keys included, is cleaned
    /// and unsafe characters are written as JSON escapes (`\u001b`), so it stays valid JSON.
    Json,
}

/// The last cleaning of a whole piece of output before it is written.
pub fn finish(text: &str, kind: Kind) -> Cow<'_, str> {
    match kind {
        Kind::Text => clean(text),
        Kind::Colored => finish_colored(text),
        Kind::Json => finish_json(text),
    }
}

/// Keeps SGR sequences (`ESC [` digits and `;` `m`), cleans everything between them.
fn finish_colored(text: &str) -> Cow<'_, str> {
    if !text.contains('\u{1b}') {
        return clean(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&clean(&rest[..at]));
        let tail = &rest[at..];
        let body = tail[2.min(tail.len())..].bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
        let sgr = tail.starts_with("\u{1b}[") && tail.as_bytes().get(2 + body) == Some(&b'm');
        if sgr {
            out.push_str(&tail[..3 + body]);
            rest = &tail[3 + body..];
        } else {
            out.push_str("\\u{1b}");
            rest = &tail[1..];
        }
    }
    out.push_str(&clean(rest));
    Cow::Owned(out)
}

fn finish_json(text: &str) -> Cow<'_, str> {
    // Parsing is needed only to redact inside strings. serde_json writes `\u` escapes for
    // control characters only, so without one, and without any secret keyword in the text, no
    // string can hold a credential (findings are written one at a time: this is the hot path).
    if !text.contains("\\u") && !crate::secrets::may_hold_secret(text) {
        return if has_unsafe(text) { Cow::Owned(json_escape_unsafe(text)) } else { Cow::Borrowed(text) };
    }
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else {
        // Not a JSON document after all: clean it as text rather than print it unchecked.
        return clean(text);
    };
    if !clean_json(&mut value) {
        return if has_unsafe(text) { Cow::Owned(json_escape_unsafe(text)) } else { Cow::Borrowed(text) };
    }
    let mut out = json_escape_unsafe(&serde_json::to_string_pretty(&value).expect("a JSON value serializes"));
    if text.ends_with('\n') {
        out.push('\n');
    }
    Cow::Owned(out)
}

/// Redacts every string (and key) of a JSON value in place; true when something changed.
/// Unsafe characters are left for [`json_escape_unsafe`], so values keep their meaning.
fn clean_json(value: &mut serde_json::Value) -> bool {
    use serde_json::Value as J;
    match value {
        J::String(s) => match crate::secrets::redact_all(s) {
            Cow::Owned(redacted) => {
                *s = redacted;
                true
            }
            Cow::Borrowed(_) => false,
        },
        J::Array(items) => items.iter_mut().fold(false, |changed, item| clean_json(item) | changed),
        J::Object(map) => {
            let redact_keys = map.keys().any(|k| matches!(crate::secrets::redact_all(k), Cow::Owned(_)));
            let mut changed = redact_keys;
            if redact_keys {
                let old = std::mem::take(map);
                for (k, v) in old {
                    map.insert(crate::secrets::redact_all(&k).into_owned(), v);
                }
            }
            for v in map.values_mut() {
                changed |= clean_json(v);
            }
            changed
        }
        J::Null | J::Bool(_) | J::Number(_) => false,
    }
}

/// Serialized JSON with every unsafe character that serde leaves as it is (DEL, C1 controls,
/// bidirectional controls, line separators) written as a `\uXXXX` escape. They only occur
/// inside strings, where the escape means the same character.
fn json_escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes output to standard output after [`finish`]. A closed pipe (`agentlint … | head`) is
/// not an error.
pub fn write_stdout(text: &str, kind: Kind) -> std::io::Result<()> {
    stdout_as_is(&finish(text, kind))
}

/// Writes text that went through [`finish`] to standard output.
fn stdout_as_is(text: &str) -> std::io::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes output to standard error after [`finish`]; errors writing to it are ignored.
pub fn write_stderr(text: &str, kind: Kind) {
    let _ = std::io::stderr().lock().write_all(finish(text, kind).as_bytes());
}

/// One cleaned line on standard error (`agentlint: error: …`, notes, the summary).
pub fn eprintln(line: impl AsRef<str>) {
    let mut text = clean(line.as_ref()).into_owned();
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Output that went through [`finish`]. Only this module makes one, so [`Sink::write_finished`]
/// takes nothing that skipped the step.
#[derive(Debug, Default)]
pub struct Finished(String);

impl Finished {
    /// `text` after [`finish`].
    pub fn new(text: &str, kind: Kind) -> Self {
        Finished(finish(text, kind).into_owned())
    }

    /// Appends `piece` after `separator`, every line of it after `indent`. Both are
    /// agentlint's own constants (commas, spaces, line feeds), which need no cleaning.
    pub fn push_indented(&mut self, separator: &'static str, indent: &'static str, piece: &Finished) {
        self.0.reserve(separator.len() + piece.0.len() + piece.0.len() / 8);
        self.0.push_str(separator);
        for (i, line) in piece.0.lines().enumerate() {
            if i > 0 {
                self.0.push('\n');
            }
            self.0.push_str(indent);
            self.0.push_str(line);
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where output goes when it is written piece by piece (`check` on many files); every piece
/// goes through [`finish`], as [`write_stdout`] and [`write_file`] do.
pub enum Sink {
    Stdout,
    File(std::io::BufWriter<std::fs::File>),
}

impl Sink {
    pub fn stdout() -> Self {
        Sink::Stdout
    }

    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &std::path::Path) -> std::io::Result<Self> {
        Ok(Sink::File(std::io::BufWriter::new(std::fs::File::create(path)?)))
    }

    pub fn write(&mut self, text: &str, kind: Kind) -> std::io::Result<()> {
        self.write_raw(&finish(text, kind))
    }

    /// Writes output that went through [`finish`] already ([`Finished`]): cleaning it again
    /// as text would scan every byte a second time and change nothing.
    pub fn write_finished(&mut self, text: &Finished) -> std::io::Result<()> {
        self.write_raw(&text.0)
    }

    fn write_raw(&mut self, text: &str) -> std::io::Result<()> {
        match self {
            Sink::Stdout => stdout_as_is(text),
            Sink::File(file) => {
                file.write_all(text.as_bytes())?;
                file.flush()
            }
        }
    }
}

/// Writes `text` to the file at `path` after [`finish`].
pub fn write_file(path: &std::path::Path, text: &str, kind: Kind) -> std::io::Result<()> {
    std::fs::write(path, finish(text, kind).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_not_newlines_and_tabs() {
        assert_eq!(clean("a\tb\nc"), "a\tb\nc");
        assert!(matches!(clean("plain"), Cow::Borrowed("plain")));
        assert_eq!(clean("\u{1b}]0;title\u{7}x\u{1b}[2J"), "\\u{1b}]0;title\\u{7}x\\u{1b}[2J");
        assert_eq!(clean("abc\u{202e}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
        assert_eq!(clean("\r\u{7f}\u{9b}\u{200f}\u{61c}\u{2028}"), "\\u{d}\\u{7f}\\u{9b}\\u{200f}\\u{61c}\\u{2028}");
        assert_eq!(clean("é ü 🔑 \u{200d}"), "é ü 🔑 \u{200d}");
    }

    #[test]
    fn redacts_credentials_and_url_passwords() {
        let key = format!("ghp_{}", "a1B2".repeat(9));
        assert_eq!(clean(&format!("token {key}\u{1b}")), "token ghp_…a1B2\\u{1b}");
        let cleaned = clean("see https://deploy:hunter2-and-more@git.example.com/x");
        assert!(!cleaned.contains("hunter2"), "{cleaned}");
        assert!(cleaned.contains("https://deploy:"), "{cleaned}");
        assert!(cleaned.contains("@git.example.com/x"), "{cleaned}");
    }

    #[test]
    fn pointers_are_redacted_token_by_token() {
        let hook = format!("https://hooks.slack.com/services/T00000000/B00000000/{}", "Uv7Wx8Yz9A".repeat(3));
        let pointer = format!("/agents/{}/env/X", hook.replace('/', "~1"));
        let cleaned = clean_pointer(&pointer);
        assert!(!cleaned.contains("B00000000") && !cleaned.contains("Uv7Wx8Yz"), "{cleaned}");
        assert!(cleaned.starts_with("/agents/https:~1~1hooks.sl") && cleaned.ends_with("/env/X"), "{cleaned}");
        assert_eq!(clean_pointer("/agents/a~1b/\u{1b}"), "/agents/a~1b/\\u{1b}");
    }

    #[test]
    fn mapped_escaping_moves_offsets() {
        let text = "a\u{1b}b\u{202e}c";
        let (out, map) = escape_unsafe_mapped(text);
        assert_eq!(out, "a\\u{1b}b\\u{202e}c");
        assert_eq!(map.map(0), 0);
        assert_eq!(map.map(1), 1);
        assert_eq!(&out[map.map(2)..map.map(3)], "b");
        assert_eq!(&out[map.map(6)..map.map(7)], "c");
        assert_eq!(map.map(7), out.len());
    }

    #[test]
    fn colored_text_keeps_only_sgr_sequences() {
        let text = "\u{1b}[31merror\u{1b}[0m \u{1b}]0;pwned\u{7} \u{1b}[2J \u{1b}[1;4m";
        assert_eq!(
            finish(text, Kind::Colored),
            "\u{1b}[31merror\u{1b}[0m \\u{1b}]0;pwned\\u{7} \\u{1b}[2J \u{1b}[1;4m"
        );
        assert_eq!(finish(text, Kind::Text), clean(text));
    }

    #[test]
    fn json_stays_valid_and_keeps_values() {
        let key = format!("ghp_{}", "a1B2".repeat(9));
        let json =
            serde_json::json!({"message": format!("x {key} \u{1b}[2J \u{202e}"), "b": [1, "\u{9b}"], key.clone(): 1});
        let text = format!("{}\n", serde_json::to_string_pretty(&json).unwrap());
        let out = finish(&text, Kind::Json);
        assert!(out.ends_with('\n'));
        assert!(!out.contains(&key) && !out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{9b}'));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["message"], "x ghp_…a1B2 \u{1b}[2J \u{202e}");
        assert_eq!(back["b"][1], "\u{9b}");
        assert!(back.get("ghp_…a1B2").is_some());
        let clean_json = "{\n  \"a\": 1\n}\n";
        assert!(matches!(finish(clean_json, Kind::Json), Cow::Borrowed(_)));
    }
}
