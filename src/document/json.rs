//! JSON front end: `jsonc-parser` in strict mode (no comments, no trailing commas),
//! converted into the span tree.

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{Entry, Key, MAX_DEPTH, Node, ParseError, Span, Value};

pub fn parse(text: &str) -> Result<Node, ParseError> {
    // The AST builder recurses, so reject pathological nesting before handing it the text.
    check_depth(text)?;
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
        let range = e.range();
        ParseError { message: format!("invalid JSON: {}", e.kind()), span: Span::new(range.start, range.end) }
    })?;
    Ok(match parsed.value {
        Some(value) => convert(value),
        None => Node::new(Value::Null, Span::new(0, 0)),
    })
}

fn span_of(r: &impl Ranged) -> Span {
    Span::new(r.start(), r.end())
}

fn convert(value: ast::Value<'_>) -> Node {
    let span = span_of(&value);
    let value = match value {
        ast::Value::StringLit(s) => Value::String(s.value.into_owned()),
        ast::Value::NumberLit(n) => number(n.value),
        ast::Value::BooleanLit(b) => Value::Bool(b.value),
        ast::Value::NullKeyword(_) => Value::Null,
        ast::Value::Array(a) => Value::Seq(a.elements.into_iter().map(convert).collect()),
        ast::Value::Object(o) => Value::Map(
            o.properties
                .into_iter()
                .map(|p| {
                    let key_span = span_of(&p.name);
                    let text = p.name.into_string();
                    Entry { key: Key { text, span: key_span }, value: convert(p.value), merged: false }
                })
                .collect(),
        ),
    };
    Node::new(value, span)
}

fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::Int(i);
    }
    text.parse::<f64>().map_or_else(|_| Value::String(text.to_owned()), Value::Float)
}

/// Scans bracket depth outside strings; errors at the bracket that goes past [`MAX_DEPTH`].
fn check_depth(text: &str) -> Result<(), ParseError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ParseError {
                        message: format!("nesting is deeper than {MAX_DEPTH} levels"),
                        span: Span::new(i, i + 1),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicate_keys_with_spans() {
        let text = r#"{"a": 1, "a": 2}"#;
        let node = parse(text).unwrap();
        let entries = node.as_map().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(&text[entries[1].key.span.start..entries[1].key.span.end], "\"a\"");
        assert_eq!(node.get("a").unwrap().value, Value::Int(2));
    }

    #[test]
    fn strict_mode_rejects_comments_and_trailing_commas() {
        assert!(parse("{\"a\": 1 // c\n}").is_err());
        assert!(parse("{\"a\": [1,]}").is_err());
        let err = parse("{\"a\": }").unwrap_err();
        assert_eq!(err.span.start, 6);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let err = parse(&text).unwrap_err();
        assert_eq!(err.span.start, MAX_DEPTH);
    }
}
