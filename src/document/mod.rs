//! The document model: one span tree for YAML and JSON.
//!
//! Every key and value carries its byte span, mappings keep *all* pairs in source
//! order (so duplicate keys can be reported with both locations), and a JSON
//! pointer is resolved to a span by one lookup used by everything else.

pub mod de;
mod json;
mod lines;
mod yaml;

use std::fmt::Write as _;

pub use lines::LineIndex;

/// Files larger than this are reported instead of parsed.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Mappings and sequences nested deeper than this are reported instead of parsed.
pub const MAX_DEPTH: usize = 128;
/// Upper bound on nodes created by YAML alias expansion ("billion laughs" guard).
pub const MAX_ALIAS_NODES: usize = 100_000;

/// A byte range in a source file (start inclusive, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub const fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// The input format, chosen from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// `.json` is JSON; everything else is read as YAML (a superset of JSON).
    pub fn from_path(path: &str) -> Self {
        if path.to_ascii_lowercase().ends_with(".json") { Format::Json } else { Format::Yaml }
    }
}

/// A scalar or collection value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A mapping key as written, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub span: Span,
}

/// One key/value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Key,
    pub value: Node,
    /// True when the pair came from a YAML `<<` merge key rather than being written here.
    pub merged: bool,
}

/// One step of a path into the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(key: &'a str) -> Self {
        Seg::Key(key)
    }
}

impl From<usize> for Seg<'_> {
    fn from(index: usize) -> Self {
        Seg::Index(index)
    }
}

/// What a path resolves to: the value, and the key span when the last step was a key.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub node: &'a Node,
    pub key_span: Option<Span>,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Self { value, span }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The effective entry for `key` in a mapping: the last one, as the SDKs' YAML/JSON loaders keep it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key.text == key)
    }

    /// [`Node::entry`], to change.
    pub fn entry_mut(&mut self, key: &str) -> Option<&mut Entry> {
        match &mut self.value {
            Value::Map(entries) => entries.iter_mut().rev().find(|e| e.key.text == key),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of keys and indices.
    pub fn resolve<'s, 'p>(&'s self, path: impl IntoIterator<Item = Seg<'p>>) -> Option<Target<'s>> {
        let mut target = Target { node: self, key_span: None };
        for seg in path {
            target = match seg {
                Seg::Key(k) => {
                    let entry = target.node.entry(k)?;
                    Target { node: &entry.value, key_span: Some(entry.key.span) }
                }
                Seg::Index(i) => Target { node: target.node.as_seq()?.get(i)?, key_span: None },
            };
        }
        Some(target)
    }

    /// Resolves an RFC 6901 JSON pointer (`/agents/ci/allowed_tools/2`).
    pub fn pointer(&self, pointer: &str) -> Option<Target<'_>> {
        if pointer.is_empty() {
            return Some(Target { node: self, key_span: None });
        }
        let rest = pointer.strip_prefix('/')?;
        let mut target = Target { node: self, key_span: None };
        for raw in rest.split('/') {
            let token = pointer_token(raw);
            target = match &target.node.value {
                Value::Map(_) => {
                    let entry = target.node.entry(&token)?;
                    Target { node: &entry.value, key_span: Some(entry.key.span) }
                }
                Value::Seq(items) => Target { node: items.get(token.parse::<usize>().ok()?)?, key_span: None },
                _ => return None,
            };
        }
        Some(target)
    }

    /// The JSON pointer of the node (value or key) whose span is exactly `span`, if any.
    /// Used to name a finding's place in the document after the rule located it by span.
    ///
    /// Only collections whose span contains `span` are searched, so a lookup costs the depth
    /// of the tree, not its size. A value reached through a YAML alias or `<<` merge is found
    /// where it is written (its anchor), which is also where its line and column point.
    pub fn pointer_of_span(&self, span: Span) -> Option<String> {
        let mut path: Vec<Seg<'_>> = Vec::new();
        self.find_span(span, &mut path).then(|| pointer_from(path))
    }

    fn find_span<'a>(&'a self, span: Span, path: &mut Vec<Seg<'a>>) -> bool {
        if self.span == span {
            return true;
        }
        if !self.span.contains(span) {
            return false;
        }
        // Entries are in source order, so a binary search finds the one that can hold the span:
        // a linear scan made resolving every finding of a 20,000-agent file quadratic. Entries
        // out of order (keys merged in with `<<`) are found by the scan that follows a miss.
        match &self.value {
            Value::Map(entries) => {
                let at = entries.partition_point(|e| e.key.span.start <= span.start);
                let probe = at.checked_sub(1);
                let found = |i: usize, path: &mut Vec<Seg<'a>>| {
                    let entry = &entries[i];
                    path.push(Seg::Key(&entry.key.text));
                    if entry.key.span == span || entry.value.find_span(span, path) {
                        return true;
                    }
                    path.pop();
                    false
                };
                if probe.is_some_and(|i| found(i, path)) {
                    return true;
                }
                (0..entries.len()).rev().filter(|&i| Some(i) != probe).any(|i| found(i, path))
            }
            Value::Seq(items) => {
                let at = items.partition_point(|item| item.span.start <= span.start);
                let probe = at.checked_sub(1);
                let found = |i: usize, path: &mut Vec<Seg<'a>>| {
                    path.push(Seg::Index(i));
                    if items[i].find_span(span, path) {
                        return true;
                    }
                    path.pop();
                    false
                };
                if probe.is_some_and(|i| found(i, path)) {
                    return true;
                }
                (0..items.len()).filter(|&i| Some(i) != probe).any(|i| found(i, path))
            }
            _ => false,
        }
    }

    /// Moves every span by `offset` bytes: for a tree parsed from a slice of a larger file (the
    /// frontmatter of a Markdown file), so its spans are the file's.
    pub fn shift(&mut self, offset: usize) {
        self.span = Span::new(self.span.start + offset, self.span.end + offset);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|i| i.shift(offset)),
            Value::Map(entries) => {
                for e in entries {
                    e.key.span = Span::new(e.key.span.start + offset, e.key.span.end + offset);
                    e.value.shift(offset);
                }
            }
            _ => {}
        }
    }

    /// Converts to a JSON value (last duplicate key wins, as in the SDKs).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.text.clone(), e.value.to_json());
                }
                J::Object(map)
            }
        }
    }

    /// A short description of the value's type for messages ("a string", "a mapping").
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Where the decoded text of a scalar starts in the source, when the scalar is written
/// verbatim: plain, or in quotes with no escapes (as most JSON strings are). `None` for
/// escaped, folded or block scalars, whose decoded bytes do not line up with the source.
/// Lets a finding point at a few characters inside a value (a bad rule's `(`, a secret).
pub fn verbatim_offset(source: &str, value_span: Span, decoded: &str) -> Option<usize> {
    let raw = source.get(value_span.start..value_span.end)?;
    if raw == decoded {
        return Some(value_span.start);
    }
    let bytes = raw.as_bytes();
    let quoted = raw.len() == decoded.len() + 2
        && matches!(bytes[0], b'"' | b'\'')
        && bytes[raw.len() - 1] == bytes[0]
        && raw.get(1..raw.len() - 1) == Some(decoded);
    quoted.then_some(value_span.start + 1)
}

/// Appends one escaped JSON-pointer token.
pub fn push_token(out: &mut String, token: &str) {
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Builds a JSON pointer from path segments.
pub fn pointer_from<'a>(path: impl IntoIterator<Item = Seg<'a>>) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => push_token(&mut out, k),
            Seg::Index(i) => {
                let _ = write!(out, "/{i}");
            }
        }
    }
    out
}

/// Why a file could not be turned into a tree: message and where the parser stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

/// A source file read into memory, with its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given on the command line (or `--stdin-filename`), used in every output.
    pub path: String,
    pub text: String,
    pub format: Format,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String, format: Format) -> Self {
        let lines = LineIndex::new(&text);
        Self { path: path.into(), text, format, lines }
    }

    /// Parses the text into a tree.
    pub fn parse(&self) -> Result<Node, ParseError> {
        match self.format {
            Format::Json => json::parse(&self.text),
            Format::Yaml => yaml::parse(&self.text),
        }
    }
}

/// Parses YAML text into a tree.
pub fn parse_yaml(text: &str) -> Result<Node, ParseError> {
    yaml::parse(text)
}

/// Parses strict JSON text into a tree.
pub fn parse_json(text: &str) -> Result<Node, ParseError> {
    json::parse(text)
}

/// One token of a JSON pointer as the key it names (RFC 6901: `~1` is `/`, `~0` is `~`),
/// copied only when it is escaped.
pub fn pointer_token(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains('~') { raw.replace("~1", "/").replace("~0", "~").into() } else { raw.into() }
}

/// Reads at most [`MAX_FILE_BYTES`] + 1 bytes of `reader`: enough for [`decode`] to report a
/// file that is too large, without reading all of it (`/dev/zero` never ends).
pub fn read_limited(reader: impl std::io::Read) -> std::io::Result<Vec<u8>> {
    read_limited_sized(reader, 0)
}

/// [`read_limited`] for an open file. Its size, as the file system gives it, sizes the buffer,
/// so a file is read in one call (and one more that finds its end) instead of in chunks that
/// double from 32 bytes.
pub fn read_file_limited(file: std::fs::File) -> std::io::Result<Vec<u8>> {
    let size = file.metadata().map_or(0, |m| m.len());
    read_limited_sized(file, size)
}

fn read_limited_sized(reader: impl std::io::Read, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let limit = MAX_FILE_BYTES as u64 + 1;
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads a file named by a repository's file (a policy pack, a project configuration): only a
/// regular file (after following links), checked before it is opened so that a FIFO cannot
/// block the run; at most [`MAX_FILE_BYTES`] + 1 bytes of it.
pub fn read_regular_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let not_regular = || std::io::Error::other("not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    read_limited_sized(file, metadata.len())
}

/// Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE).
const FOREIGN_BOMS: &[(&[u8], &str)] = &[
    (&[0xFF, 0xFE, 0x00, 0x00], "UTF-32 (little-endian)"),
    (&[0x00, 0x00, 0xFE, 0xFF], "UTF-32 (big-endian)"),
    (&[0xFF, 0xFE], "UTF-16 (little-endian)"),
    (&[0xFE, 0xFF], "UTF-16 (big-endian)"),
];

/// The encoding of a UTF-16 or UTF-32 file: by its byte-order mark, or, without one, by the
/// NUL bytes that ASCII text has between its characters in those encodings.
fn foreign_encoding(bytes: &[u8]) -> Option<String> {
    if let Some((_, name)) = FOREIGN_BOMS.iter().find(|(bom, _)| bytes.starts_with(bom)) {
        return Some(format!("{name} with a byte-order mark"));
    }
    let nul = |i: usize| bytes.get(i) == Some(&0);
    let text = |i: usize| bytes.get(i).is_some_and(|b| *b != 0);
    let name = if bytes.len() >= 8 && text(0) && nul(1) && nul(2) && nul(3) && text(4) && nul(5) {
        "UTF-32 (little-endian)"
    } else if bytes.len() >= 8 && nul(0) && nul(1) && nul(2) && text(3) && nul(6) && text(7) {
        "UTF-32 (big-endian)"
    } else if bytes.len() >= 4 && text(0) && nul(1) && text(2) && nul(3) {
        "UTF-16 (little-endian)"
    } else if bytes.len() >= 4 && nul(0) && text(1) && nul(2) && text(3) {
        "UTF-16 (big-endian)"
    } else {
        return None;
    };
    Some(format!("{name} without a byte-order mark"))
}

/// Decodes raw bytes into text, rejecting what no YAML/JSON parser should see.
pub fn decode(bytes: Vec<u8>) -> Result<String, (String, usize)> {
    decode_or_return(bytes).map_err(|(message, offset, _)| (message, offset))
}

/// [`decode`], giving the bytes back with the error, so the text before the bad byte can be
/// shown without a copy of every file kept in case one fails.
pub fn decode_or_return(bytes: Vec<u8>) -> Result<String, (String, usize, Vec<u8>)> {
    if bytes.len() > MAX_FILE_BYTES {
        let message = format!(
            "file is larger than {} bytes ({} MiB), the most agentlint reads",
            MAX_FILE_BYTES,
            MAX_FILE_BYTES / (1024 * 1024)
        );
        return Err((message, 0, bytes));
    }
    if let Some(encoding) = foreign_encoding(&bytes) {
        let message = format!(
            "file is encoded as {encoding}; agentlint reads UTF-8: convert it, e.g. `iconv -f {} -t UTF-8`",
            if encoding.starts_with("UTF-32") { "UTF-32" } else { "UTF-16" }
        );
        return Err((message, 0, bytes));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(("file contains a NUL byte (binary file?)".into(), pos, bytes));
    }
    String::from_utf8(bytes).map_err(|e| {
        let pos = e.utf8_error().valid_up_to();
        (format!("file is not valid UTF-8 (invalid byte at offset {pos})"), pos, e.into_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Node {
        yaml::parse(text).unwrap()
    }

    #[test]
    fn pointer_resolves_keys_and_indices() {
        let text = "agents:\n  ci:\n    allowed_tools: [Read, \"Bash(git:*)\"]\n";
        let root = yaml(text);
        let t = root.pointer("/agents/ci/allowed_tools/1").unwrap();
        assert_eq!(&text[t.node.span.start..t.node.span.end], "\"Bash(git:*)\"");
        let k = root.pointer("/agents/ci").unwrap();
        assert_eq!(&text[k.key_span.unwrap().start..k.key_span.unwrap().end], "ci");
        assert!(root.pointer("/agents/nope").is_none());
        assert_eq!(root.pointer_of_span(t.node.span).as_deref(), Some("/agents/ci/allowed_tools/1"));
    }

    #[test]
    fn pointer_escapes_tokens() {
        let root = yaml("\"a/b\": {\"~c\": 1}\n");
        assert!(root.pointer("/a~1b/~0c").is_some());
        assert_eq!(pointer_from([Seg::Key("a/b"), Seg::Key("~c"), Seg::Index(0)]), "/a~1b/~0c/0");
    }

    #[test]
    fn json_and_yaml_agree() {
        let y = yaml("a: [1, 2.5, true, null, x]\n");
        let j = json::parse("{\"a\": [1, 2.5, true, null, \"x\"]}").unwrap();
        assert_eq!(y.to_json(), j.to_json());
    }

    #[test]
    fn verbatim_offsets() {
        let src = "a: x1\nb: 'x2'\nc: \"x\\u0033\"\n";
        assert_eq!(verbatim_offset(src, Span::new(3, 5), "x1"), Some(3));
        assert_eq!(verbatim_offset(src, Span::new(9, 13), "x2"), Some(10));
        assert_eq!(verbatim_offset(src, Span::new(17, 26), "x3"), None);
    }

    #[test]
    fn decode_names_utf16_and_utf32() {
        let utf16le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("a: 1\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain("a: 1\n".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let utf32le: Vec<u8> =
            [0xFF, 0xFE, 0, 0].into_iter().chain("a: 1".chars().flat_map(|c| (c as u32).to_le_bytes())).collect();
        let utf32be: Vec<u8> =
            [0, 0, 0xFE, 0xFF].into_iter().chain("a: 1".chars().flat_map(|c| (c as u32).to_be_bytes())).collect();
        let bare16: Vec<u8> = "a: 1\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let bare32: Vec<u8> = "a: 1".chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        for (bytes, expected) in [
            (
                utf16le,
                "UTF-16 (little-endian) with a byte-order mark; agentlint reads UTF-8: convert it, e.g. `iconv -f UTF-16 -t UTF-8`",
            ),
            (utf16be, "UTF-16 (big-endian) with a byte-order mark;"),
            (
                utf32le,
                "UTF-32 (little-endian) with a byte-order mark; agentlint reads UTF-8: convert it, e.g. `iconv -f UTF-32 -t UTF-8`",
            ),
            (utf32be, "UTF-32 (big-endian) with a byte-order mark;"),
            (bare16, "UTF-16 (little-endian) without a byte-order mark;"),
            (bare32, "UTF-32 (big-endian) without a byte-order mark;"),
        ] {
            let (message, offset) = decode(bytes).unwrap_err();
            assert!(message.starts_with(&format!("file is encoded as {expected}")), "{message}");
            assert_eq!(offset, 0);
        }
        // A UTF-8 byte-order mark is UTF-8.
        assert!(decode(b"\xEF\xBB\xBFa: 1\n".to_vec()).is_ok());
    }

    #[test]
    fn decode_rejects_nul_and_bad_utf8() {
        assert_eq!(decode(b"a: 1\0".to_vec()).unwrap_err().1, 4);
        assert_eq!(decode(vec![b'a', 0xff]).unwrap_err().1, 1);
        assert!(decode(b"a: 1".to_vec()).is_ok());
    }
}
