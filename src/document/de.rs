//! Typed values straight from the span tree: `T::deserialize(&node)`, with no detour through
//! `serde_json::Value` (one allocation per node saved on every file, and the last duplicate key
//! of a mapping wins, as everywhere else).

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use super::{Entry, Node, Value};

/// Why a node does not fit the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl<'de> Deserializer<'de> for &'de Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => visitor.visit_seq(Items { items: items.iter() }),
            Value::Map(entries) => visitor.visit_map(Entries::new(entries)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.value {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Map(entries) => match entries.as_slice() {
                [entry] => visitor.visit_enum(Variant { entry }),
                _ => Err(de::Error::custom("expected a mapping with a single key for an enum")),
            },
            _ => Err(de::Error::invalid_type(unexpected(self), &"a string or a single-key mapping")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

fn unexpected(node: &Node) -> de::Unexpected<'_> {
    match &node.value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Int(i) => de::Unexpected::Signed(*i),
        Value::Float(f) => de::Unexpected::Float(*f),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Seq(_) => de::Unexpected::Seq,
        Value::Map(_) => de::Unexpected::Map,
    }
}

struct Items<'de> {
    items: std::slice::Iter<'de, Node>,
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.items.next().map(|item| seed.deserialize(item)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a mapping, the last of each key only (as the SDKs' loaders keep it).
struct Entries<'de> {
    entries: &'de [Entry],
    next: usize,
    value: Option<&'de Node>,
    /// For each entry, whether a later one has the same key (the last one written wins, as in
    /// the SDKs' loaders). Found once per map: looking ahead from every key made a map of
    /// 40,000 merged keys take seconds.
    shadowed: Vec<bool>,
}

impl<'de> Entries<'de> {
    fn new(entries: &'de [Entry]) -> Self {
        let shadowed = if entries.len() <= 16 {
            // A few keys: comparing them costs less than hashing them.
            (0..entries.len()).map(|i| entries[i + 1..].iter().any(|e| e.key.text == entries[i].key.text)).collect()
        } else {
            let mut shadowed = vec![false; entries.len()];
            let mut seen = std::collections::HashSet::with_capacity(entries.len());
            for (i, entry) in entries.iter().enumerate().rev() {
                shadowed[i] = !seen.insert(entry.key.text.as_str());
            }
            shadowed
        };
        Self { entries, next: 0, value: None, shadowed }
    }
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        while let Some(entry) = self.entries.get(self.next) {
            let shadowed = self.shadowed[self.next];
            self.next += 1;
            if shadowed {
                continue;
            }
            self.value = Some(&entry.value);
            return seed.deserialize(entry.key.text.as_str().into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        seed.deserialize(value)
    }
}

/// `{Variant: value}` as an externally tagged enum.
struct Variant<'de> {
    entry: &'de Entry,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = &'de Node;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, &'de Node), Error> {
        let key: de::value::StrDeserializer<'_, Error> = self.entry.key.text.as_str().into_deserializer();
        Ok((seed.deserialize(key)?, &self.entry.value))
    }
}

impl<'de> VariantAccess<'de> for &'de Node {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::config::{AgentOptions, HookCommand, PermissionMode};

    fn options(yaml: &str) -> AgentOptions {
        let node = crate::document::parse_yaml(yaml).unwrap();
        AgentOptions::deserialize(&node).unwrap()
    }

    #[test]
    fn typed_options_come_straight_from_the_tree() {
        let o = options(
            "permission_mode: dontAsk\nmax_turns: 3\nmax_budget_usd: 2\nallowed_tools: [Read]\nenv: {A: x, B: {env: C}}\n\
             hooks:\n  PostToolUse:\n    - matcher: '*'\n      hooks: [{type: command, command: log, async: true}]\n",
        );
        assert_eq!(o.permission_mode, Some(PermissionMode::DontAsk));
        assert_eq!((o.max_turns, o.max_budget_usd), (Some(3), Some(2.0)));
        assert_eq!(o.allowed_tools.as_deref(), Some(&["Read".to_owned()][..]));
        assert_eq!(o.env.as_ref().unwrap()["B"].reference(), Some("C"));
        let hooks = o.hooks.unwrap().post_tool_use.unwrap();
        assert!(
            matches!(&hooks[0].hooks[0], HookCommand::Command { command, run_async: Some(true), .. } if command == "log")
        );
    }

    #[test]
    fn the_last_duplicate_wins_and_errors_name_the_field() {
        assert_eq!(options("max_turns: 3\nmax_turns: 4\n").max_turns, Some(4));
        let node = crate::document::parse_yaml("max_turns: x\n").unwrap();
        let err = serde_path_to_error::deserialize::<_, AgentOptions>(&node).unwrap_err();
        assert_eq!(err.path().to_string(), "max_turns");
    }
}
