//! Shell format: the argv as POSIX-quoted words, for pasting into `sh`/`bash` or `eval`.
//!
//! Words are quoted only when the shell would otherwise change them (spaces, quotes, `$`,
//! backticks, globs, …). Characters a reader cannot see or that change how text is displayed
//! (control characters such as ESC or CR, DEL, C1 controls, bidirectional overrides such as
//! U+202E, zero-width characters) are never written raw: each run of them becomes
//! `"$(printf '\033')"`, octal escapes of their UTF-8 bytes, which every POSIX `sh` (dash
//! included) evaluates back to the same bytes. `$'…'` would be shorter, but dash, Debian's
//! `/bin/sh`, does not know it.
//!
//! A newline stays a literal newline inside single quotes, so a value with a newline makes the
//! output span lines: POSIX `sh` has no one-line form for it that works everywhere (`$(printf
//! '\n')` drops a trailing newline, and `$'\n'` is not in dash). `--format json` and `--format
//! nul` hold such values on one record.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::LaunchSpec;

/// The argv joined with spaces and a final newline. Fails only for a NUL character, which no
/// shell word can hold (specs from [`super::launch_spec`] never have one).
pub fn render(spec: &LaunchSpec) -> Result<String, shlex::QuoteError> {
    let mut words = Vec::with_capacity(spec.argv.len());
    for word in &spec.argv {
        words.push(quote(word)?);
    }
    let mut line = words.join(" ");
    line.push('\n');
    Ok(line)
}

/// One word, quoted for `sh`.
pub fn quote(word: &str) -> Result<Cow<'_, str>, shlex::QuoteError> {
    if word.contains('\0') || !word.chars().any(is_hidden) {
        return shlex::try_quote(word);
    }
    let mut out = String::new();
    let mut rest = word;
    while !rest.is_empty() {
        let split = rest.find(is_hidden).unwrap_or(rest.len());
        let (plain, tail) = rest.split_at(split);
        if !plain.is_empty() {
            out.push_str(&shlex::try_quote(plain)?);
        }
        let hidden_len = tail.find(|c: char| !is_hidden(c)).unwrap_or(tail.len());
        let (hidden, after) = tail.split_at(hidden_len);
        if !hidden.is_empty() {
            out.push_str("\"$(printf '");
            for byte in hidden.bytes() {
                let _ = write!(out, "\\{byte:03o}");
            }
            out.push_str("')\"");
        }
        rest = after;
    }
    Ok(Cow::Owned(out))
}

/// Characters that are invisible, move the cursor, or reorder text on a terminal: C0 controls
/// except the newline, DEL, C1 controls, and Unicode format characters that are bidirectional
/// controls or zero-width (U+061C, U+200B–U+200F, U+2028–U+202E, U+2060–U+2064, U+2066–U+2069,
/// U+FEFF, U+FFF9–U+FFFB).
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// `text` for a message on a terminal: every [`is_hidden`] character and the newline written
/// as `\u{…}` (`\u{1b}`, `\u{202e}`), so a value can neither move the cursor nor reorder what
/// the reader sees.
pub fn escape_for_display(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\n' || is_hidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\n' || is_hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_quote_as_before() {
        assert_eq!(quote("--print").unwrap(), "--print");
        assert_eq!(quote("--max-turns=20").unwrap(), "'--max-turns=20'");
        assert_eq!(quote("a b").unwrap(), "'a b'");
        assert_eq!(quote("line\nbreak").unwrap(), "'line\nbreak'");
    }

    #[test]
    fn hidden_characters_become_printf_escapes() {
        assert_eq!(quote("a\u{1b}[2Jb").unwrap(), "a\"$(printf '\\033')\"'[2Jb'");
        assert_eq!(quote("x\u{202e}y").unwrap(), "x\"$(printf '\\342\\200\\256')\"y");
        assert_eq!(quote("\u{1b}\u{7}").unwrap(), "\"$(printf '\\033\\007')\"");
        assert_eq!(quote("tab\there").unwrap(), "tab\"$(printf '\\011')\"here");
        assert!(!quote("a\u{202e}b c").unwrap().contains('\u{202e}'));
    }

    #[test]
    fn display_escapes() {
        assert_eq!(escape_for_display("plain text"), "plain text");
        assert_eq!(escape_for_display("a\u{1b}]0;x\u{7}b\u{202e}c\nd"), "a\\u{1b}]0;x\\u{7}b\\u{202e}c\\u{a}d");
    }
}
