//! YAML front end: `saphyr-parser` events folded into the span tree.
//!
//! Anchors, aliases and `<<` merge keys are resolved here. Alias expansion is
//! bounded by [`MAX_ALIAS_NODES`] and nesting by [`MAX_DEPTH`], so hostile input
//! ends in a [`ParseError`] rather than exhausting memory or the stack.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::{Entry, Key, MAX_ALIAS_NODES, MAX_DEPTH, Node, ParseError, Span, Value};

/// saphyr reports positions in characters; spans in the tree are bytes.
struct Offsets {
    /// Byte offset of every char index, or `None` when the text is ASCII (identity).
    table: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b).collect());
        Self { table, len: text.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).copied().unwrap_or(self.len),
        }
    }

    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

enum Frame {
    Seq { start: usize, anchor: usize, items: Vec<Node> },
    Map { start: usize, anchor: usize, entries: Vec<Entry>, key: Option<(Key, bool)> },
}

pub fn parse(text: &str) -> Result<Node, ParseError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut alias_budget = MAX_ALIAS_NODES;
    let mut root: Option<Node> = None;
    let mut documents = 0usize;

    while let Some(event) = parser.next_event() {
        let (event, raw_span) = event.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            ParseError { message: format!("invalid YAML: {}", e.info()), span: Span::new(at, at) }
        })?;
        let span = offsets.span(raw_span);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(ParseError {
                        message: "the file holds several YAML documents; agentlint expects one config per file".into(),
                        span,
                    });
                }
                continue;
            }
            Event::SequenceStart(anchor, _) => {
                check_depth(&stack, span)?;
                stack.push(Frame::Seq { start: span.start, anchor, items: Vec::new() });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                check_depth(&stack, span)?;
                stack.push(Frame::Map { start: span.start, anchor, entries: Vec::new(), key: None });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq { start, anchor, items }) => {
                    let end = collection_end(text, span, items.last().map(|n| n.span.end));
                    let node = Node::new(Value::Seq(items), Span::new(start, end.max(start)));
                    remember(&mut anchors, anchor, &node);
                    node
                }
                _ => return Err(internal(span)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map { start, anchor, entries, .. }) => {
                    let end = collection_end(text, span, entries.iter().map(|e| e.value.span.end).max());
                    let node = Node::new(Value::Map(apply_merges(entries)), Span::new(start, end.max(start)));
                    remember(&mut anchors, anchor, &node);
                    node
                }
                _ => return Err(internal(span)),
            },
            Event::Scalar(value, style, anchor, tag) => {
                let plain_merge = style == ScalarStyle::Plain && value == "<<";
                let span = scalar_span(text, span, style);
                let node = Node::new(resolve_scalar(value, style, tag.as_deref()), span);
                remember(&mut anchors, anchor, &node);
                if let Some(Frame::Map { key: key @ None, .. }) = stack.last_mut() {
                    let text = match &node.value {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        _ => text[span.start..span.end].to_owned(),
                    };
                    *key = Some((Key { text, span }, plain_merge));
                    continue;
                }
                node
            }
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(ParseError { message: "alias refers to an unknown anchor".into(), span });
                };
                if *size > alias_budget {
                    return Err(ParseError {
                        message: format!(
                            "alias expansion exceeds {MAX_ALIAS_NODES} nodes (a \"billion laughs\" document?)"
                        ),
                        span,
                    });
                }
                alias_budget -= size;
                node.clone()
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some((key, merged)) => entries.push(Entry { key, value: node, merged }),
                None => {
                    return Err(ParseError {
                        message: "complex mapping keys (a list or mapping used as a key) are not supported".into(),
                        span: node.span,
                    });
                }
            },
        }
    }
    Ok(root.unwrap_or_else(|| Node::new(Value::Null, Span::new(0, 0))))
}

/// saphyr's span of a quoted scalar can run past the closing quote (up to a trailing
/// comment); cut it at the closing quote so findings underline the value only.
fn scalar_span(text: &str, span: Span, style: ScalarStyle) -> Span {
    let bytes = text.as_bytes();
    let quote = match style {
        ScalarStyle::SingleQuoted => b'\'',
        ScalarStyle::DoubleQuoted => b'"',
        _ => return span,
    };
    if bytes.get(span.start) != Some(&quote) {
        return span;
    }
    let mut i = span.start + 1;
    while i < span.end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Span::new(span.start, i + 1),
            _ => i += 1,
        }
    }
    span
}

/// Where a collection ends: after its closing `]`/`}` for flow style; after its last
/// child for block style (the end event of a block collection sits at the next key).
fn collection_end(text: &str, end_event: Span, last_child_end: Option<usize>) -> usize {
    match text.as_bytes().get(end_event.start) {
        Some(b']' | b'}') => end_event.end.max(end_event.start + 1),
        _ => last_child_end.unwrap_or(end_event.start),
    }
}

fn check_depth(stack: &[Frame], span: Span) -> Result<(), ParseError> {
    if stack.len() >= MAX_DEPTH {
        return Err(ParseError { message: format!("nesting is deeper than {MAX_DEPTH} levels"), span });
    }
    Ok(())
}

fn internal(span: Span) -> ParseError {
    ParseError { message: "invalid YAML: unbalanced collection events".into(), span }
}

fn remember(anchors: &mut HashMap<usize, (Node, usize)>, anchor: usize, node: &Node) {
    if anchor != 0 {
        anchors.insert(anchor, (node.clone(), count_nodes(node)));
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries.iter().map(|e| 1 + count_nodes(&e.value)).sum(),
        _ => 0,
    }
}

/// Resolves `<<` merge keys: pairs written in the mapping win over merged ones,
/// and earlier merge sources win over later ones (YAML merge-key semantics).
fn apply_merges(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(|e| e.merged) {
        return entries;
    }
    let (sources, mut own): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| e.merged);
    // Keys present so far: one lookup per merged pair, not a scan of every pair (a merge of
    // 20,000 keys would otherwise compare 200 million pairs).
    let mut present: HashSet<String> = own.iter().map(|e| e.key.text.clone()).collect();
    for source in sources {
        let maps: Vec<Node> = match source.value.value {
            Value::Map(_) => vec![source.value],
            Value::Seq(items) => items,
            _ => {
                // Not mergeable: keep it as an ordinary pair so validation reports the `<<` key.
                present.insert(source.key.text.clone());
                own.push(Entry { merged: false, ..source });
                continue;
            }
        };
        for map in maps {
            if let Value::Map(inner) = map.value {
                for entry in inner {
                    if present.insert(entry.key.text.clone()) {
                        own.push(Entry { merged: true, ..entry });
                    }
                }
            }
        }
    }
    own
}

/// YAML 1.2 core-schema resolution of a scalar.
fn resolve_scalar(value: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag.filter(|t| t.handle == "tag:yaml.org,2002:" || t.handle == "!!") {
        match tag.suffix.as_str() {
            "str" => return Value::String(value.into_owned()),
            "null" => return Value::Null,
            _ => {}
        }
    } else if style != ScalarStyle::Plain {
        return Value::String(value.into_owned());
    }
    let s = value.as_ref();
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(v) = parse_int(s) {
        return v;
    }
    if looks_like_float(s)
        && let Ok(f) = s.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::String(value.into_owned())
}

fn parse_int(s: &str) -> Option<Value> {
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x") {
        (h, 16)
    } else if let Some(o) = s.strip_prefix("0o") {
        (o, 8)
    } else {
        let body = s.strip_prefix(['-', '+']).unwrap_or(s);
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(s.parse::<i64>().map_or_else(|_| Value::Float(s.parse().unwrap_or(f64::MAX)), Value::Int));
    };
    if digits.is_empty() {
        return None;
    }
    i64::from_str_radix(digits, radix).ok().map(Value::Int)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn looks_like_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn scalars_resolve_per_core_schema() {
        let n = parse("a: 1\nb: 2.50\nc: true\nd: ~\ne: \"1\"\nf: :plan\ng: 0x1f\nh: 1e3\ni: .5\n").unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Int(1));
        assert_eq!(n.get("b").unwrap().value, Value::Float(2.5));
        assert_eq!(n.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("d").unwrap().value, Value::Null);
        assert_eq!(n.get("e").unwrap().value, Value::String("1".into()));
        assert_eq!(n.get("f").unwrap().value, Value::String(":plan".into()));
        assert_eq!(n.get("g").unwrap().value, Value::Int(31));
        assert_eq!(n.get("h").unwrap().value, Value::Float(1000.0));
        assert_eq!(n.get("i").unwrap().value, Value::Float(0.5));
    }

    #[test]
    fn spans_are_bytes_even_after_multibyte_text() {
        let text = "# héllo wörld\nkey: välue\nnext: [a, 'b']\n";
        let n = parse(text).unwrap();
        let e = n.entry("key").unwrap();
        assert_eq!(slice(text, e.key.span), "key");
        assert_eq!(slice(text, e.value.span), "välue");
        let items = n.get("next").unwrap().as_seq().unwrap();
        assert_eq!(slice(text, items[1].span), "'b'");
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\nlist: &l [1, 2]\nagain: *l\n";
        let n = parse(text).unwrap();
        let u = n.get("use").unwrap();
        assert_eq!(u.get("x").unwrap().value, Value::Int(1));
        assert_eq!(u.get("y").unwrap().value, Value::Int(3));
        assert!(u.entry("x").unwrap().merged);
        assert!(!u.entry("y").unwrap().merged);
        assert!(u.entry("<<").is_none());
        assert_eq!(n.get("again").unwrap().as_seq().unwrap().len(), 2);
    }

    #[test]
    fn a_merge_of_twenty_thousand_keys_keeps_own_keys_first() {
        let keys: String = (0..20_000).map(|i| format!("  k{i}: {i}\n")).collect();
        let text = format!("base: &b\n{keys}use:\n  k5: own\n  <<: *b\n");
        let n = parse(&text).unwrap();
        let merged = n.get("use").unwrap().as_map().unwrap();
        assert_eq!(merged.len(), 20_000);
        assert_eq!(merged[0].key.text, "k5");
        assert_eq!(merged[0].value.value, Value::String("own".into()));
        assert!(merged[1..].iter().all(|e| e.merged && e.key.text != "k5"));
    }

    #[test]
    fn collection_spans_end_at_their_last_child_or_bracket() {
        let text = "a:\n  - x\n  - y\nb: [1, 2]\nc: {k: v}\nd:\n  k: v\ne: 1\n";
        let n = parse(text).unwrap();
        assert_eq!(slice(text, n.get("a").unwrap().span), "- x\n  - y");
        assert_eq!(slice(text, n.get("b").unwrap().span), "[1, 2]");
        assert_eq!(slice(text, n.get("c").unwrap().span), "{k: v}");
        assert_eq!(slice(text, n.get("d").unwrap().span), "k: v");
    }

    #[test]
    fn quoted_scalar_spans_stop_at_the_closing_quote() {
        let text = "a: 'it''s'   # c\nb: \"x\\\"y\"  # d\nc: plain   # e\n";
        let n = parse(text).unwrap();
        assert_eq!(slice(text, n.get("a").unwrap().span), "'it''s'");
        assert_eq!(slice(text, n.get("b").unwrap().span), "\"x\\\"y\"");
        assert_eq!(slice(text, n.get("c").unwrap().span), "plain");
    }

    #[test]
    fn several_documents_are_an_error() {
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(err.message.contains("several YAML documents"), "{err:?}");
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='j' {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias expansion"), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        // Flow collections hit saphyr's own recursion limit first; block ones hit ours.
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("recursion limit") || err.message.contains("nesting"), "{err:?}");
        let block: String = (0..300).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(parse(&block).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn syntax_error_points_where_the_parser_stopped() {
        let text = "a: [1, 2\nb: 3\n";
        let err = parse(text).unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{err:?}");
        assert!(err.span.start > 0);
    }
}
