//! A bounded YAML reader: the events of `saphyr-parser` (a YAML 1.2 parser, so JSON text reads as
//! well) built into a small tree whose every node knows its line and column.
//!
//! The tree is built here, not by a loader, so that every input does bounded work, whoever wrote
//! it (a test file can come from a stranger's share link):
//! - the text is at most [`MAX_TEXT_BYTES`];
//! - nesting is at most [`MAX_DEPTH`] levels (the parser's event stream is iterative; our own
//!   builder uses an explicit stack, never recursion);
//! - the tree has at most [`MAX_NODES`] nodes *after* aliases are expanded, so "billion laughs"
//!   (`&a [*b, *b]` nested ten times) stops at the budget instead of filling memory;
//! - a mapping's keys are scalars and unique.
//!
//! Scalars resolve with YAML 1.2's core schema (`null`/`~`/empty, `true`/`false`, integers,
//! floats); a quoted or block scalar is always text, and so is anything tagged `!!str`. Every
//! scalar keeps the text it was written as, so a field that wants text can take `3.50` as "3.50".

use std::collections::BTreeSet;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// The largest test file read, in bytes.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// The deepest nesting of lists and mappings.
pub const MAX_DEPTH: usize = 64;
/// The most nodes a file may expand to (aliases included).
pub const MAX_NODES: usize = 200_000;

/// A place in the text: line and column from 1 (columns count characters), and the character
/// offset from 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub index: usize,
}

impl Pos {
    fn of(marker: &saphyr_parser::Marker) -> Pos {
        Pos {
            line: marker.line(),
            column: marker.col() + 1,
            index: marker.index(),
        }
    }
}

/// What a scalar resolved to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

/// A node's value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// `text` is the scalar as written (without quotes); `kind` what it resolved to.
    Scalar {
        text: String,
        kind: Scalar,
    },
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key (always a scalar) and where it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Key {
    pub text: String,
    pub at: Pos,
}

/// A node of the tree: its value, where it starts and where it ends.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub at: Pos,
    pub end: Pos,
}

impl Node {
    /// The node's kind in words, for errors (`a list`, `a mapping`, `text`…).
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Scalar { kind, .. } => match kind {
                Scalar::Null => "nothing (null)",
                Scalar::Bool(_) => "true or false",
                Scalar::Int(_) | Scalar::Float(_) => "a number",
                Scalar::Str => "text",
            },
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(
            self.value,
            Value::Scalar {
                kind: Scalar::Null,
                ..
            }
        )
    }

    /// The value of `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The node as JSON (numbers as numbers where JSON can hold them).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        // Recursion is bounded: a tree is at most MAX_DEPTH deep, aliases included.
        match &self.value {
            Value::Scalar { text, kind } => match kind {
                Scalar::Null => J::Null,
                Scalar::Bool(b) => J::Bool(*b),
                Scalar::Int(i) => J::from(*i),
                Scalar::Float(f) => serde_json::Number::from_f64(*f)
                    .map(J::Number)
                    .unwrap_or_else(|| J::String(text.clone())),
                Scalar::Str => J::String(text.clone()),
            },
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.text.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// How many levels the node spans (a scalar: 1).
    fn height(&self) -> usize {
        1 + match &self.value {
            Value::Scalar { .. } => 0,
            Value::Seq(items) => items.iter().map(Node::height).max().unwrap_or(0),
            Value::Map(entries) => entries.iter().map(|(_, v)| v.height()).max().unwrap_or(0),
        }
    }

    fn count(&self) -> usize {
        match &self.value {
            Value::Scalar { .. } => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + v.count()).sum::<usize>(),
        }
    }
}

/// Why a text is not a YAML document this reader takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The parser's own message.
    Syntax(String),
    TooLarge {
        bytes: usize,
    },
    TooDeep,
    TooManyNodes,
    KeyNotScalar,
    DuplicateKey(String),
    UnknownTag(String),
    SeveralDocuments,
}

impl fmt::Display for YamlErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YamlErrorKind::Syntax(m) => write!(f, "not YAML: {m}"),
            YamlErrorKind::TooLarge { bytes } => write!(
                f,
                "the file has {bytes} bytes; a test file has at most {MAX_TEXT_BYTES}"
            ),
            YamlErrorKind::TooDeep => {
                write!(
                    f,
                    "lists and mappings are nested more than {MAX_DEPTH} levels deep"
                )
            }
            YamlErrorKind::TooManyNodes => write!(
                f,
                "the file expands to more than {MAX_NODES} values (aliases included)"
            ),
            YamlErrorKind::KeyNotScalar => {
                f.write_str("a mapping key must be a plain value, not a list or a mapping")
            }
            YamlErrorKind::DuplicateKey(k) => write!(f, "the key \"{k}\" appears twice"),
            YamlErrorKind::UnknownTag(t) => {
                let t = t.replace("tag:yaml.org,2002:", "!!");
                write!(
                    f,
                    "the tag {t} is not supported (only !!str, to make a value text)"
                )
            }
            YamlErrorKind::SeveralDocuments => {
                f.write_str("a test file holds one YAML document (found a second `---`)")
            }
        }
    }
}

/// A YAML error at a place in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub at: Pos,
    pub kind: YamlErrorKind,
}

enum Frame {
    Seq {
        at: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        at: Pos,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        keys: BTreeSet<String>,
        key: Option<Key>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    /// Anchored nodes with their node count and height, by anchor id: saphyr numbers anchors 1,
    /// 2, … as it meets them, so the list is as long as the anchors met (each costs input bytes).
    anchors: Vec<Option<(Node, usize, usize)>>,
    nodes: usize,
    root: Option<Node>,
}

/// The node anchored under `id`, if an anchor with that id was met.
fn anchored(anchors: &[Option<(Node, usize, usize)>], id: usize) -> Option<&(Node, usize, usize)> {
    anchors.get(id).and_then(Option::as_ref)
}

impl Builder {
    fn spend(&mut self, n: usize, at: Pos) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                at,
                kind: YamlErrorKind::TooManyNodes,
            });
        }
        Ok(())
    }

    /// A finished node goes into the collection being built (or becomes the root).
    fn attach(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor > 0 {
            let (count, height) = (node.count(), node.height());
            if self.anchors.len() <= anchor {
                self.anchors.resize_with(anchor + 1, || None);
            }
            self.anchors[anchor] = Some((node.clone(), count, height));
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries, keys, key, ..
            }) => match key.take() {
                Some(k) => {
                    entries.push((k, node));
                    Ok(())
                }
                None => {
                    let Value::Scalar { text, .. } = node.value else {
                        return Err(YamlError {
                            at: node.at,
                            kind: YamlErrorKind::KeyNotScalar,
                        });
                    };
                    if !keys.insert(text.clone()) {
                        return Err(YamlError {
                            at: node.at,
                            kind: YamlErrorKind::DuplicateKey(text),
                        });
                    }
                    *key = Some(Key { text, at: node.at });
                    Ok(())
                }
            },
        }
    }

    fn open(&mut self, frame: Frame, at: Pos) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                at,
                kind: YamlErrorKind::TooDeep,
            });
        }
        self.spend(1, at)?;
        self.stack.push(frame);
        Ok(())
    }
}

/// Resolves a plain scalar with YAML 1.2's core schema.
pub(crate) fn resolve_plain(text: &str) -> Scalar {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return i64::from_str_radix(hex, 16).map_or(Scalar::Str, Scalar::Int);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return i64::from_str_radix(oct, 8).map_or(Scalar::Str, Scalar::Int);
        }
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i64>() {
            Ok(i) => Scalar::Int(i),
            Err(_) => text.parse::<f64>().map_or(Scalar::Str, Scalar::Float),
        };
    }
    if is_float(digits) {
        if let Ok(f) = text.parse::<f64>() {
            return Scalar::Float(f);
        }
    }
    Scalar::Str
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign already taken off).
fn is_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac;
    }
    if int == 0 && frac == 0 {
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

/// Reads a YAML (or JSON) text into a tree. An empty document is a null node.
pub(crate) fn parse(text: &str) -> Result<Node, YamlError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(YamlError {
            at: Pos {
                line: 1,
                column: 1,
                index: 0,
            },
            kind: YamlErrorKind::TooLarge { bytes: text.len() },
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        stack: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        root: None,
    };
    let mut documents = 0;
    let mut last = Pos {
        line: 1,
        column: 1,
        index: 0,
    };
    while let Some(event) = parser.next_event() {
        let (event, span): (Event<'_>, Span) = event.map_err(|e| YamlError {
            at: Pos::of(e.marker()),
            kind: YamlErrorKind::Syntax(e.info().to_owned()),
        })?;
        let at = Pos::of(&span.start);
        let end = Pos::of(&span.end);
        // A block collection's end is an empty span at the next token (maybe the next key):
        // only what has text moves the end of what was read.
        if end.index > at.index || matches!(event, Event::Scalar(..) | Event::Alias(_)) {
            last = end.max(last);
        }
        match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        at,
                        kind: YamlErrorKind::SeveralDocuments,
                    });
                }
            }
            Event::Alias(id) => {
                let Some((count, height)) = anchored(&b.anchors, id).map(|(_, c, h)| (*c, *h))
                else {
                    return Err(YamlError {
                        at,
                        kind: YamlErrorKind::Syntax("an alias names no anchor".into()),
                    });
                };
                // An alias of an alias of … must not build a tree deeper than the limit.
                if b.stack.len() + height > MAX_DEPTH + 1 {
                    return Err(YamlError {
                        at,
                        kind: YamlErrorKind::TooDeep,
                    });
                }
                // Spend before copying: the budget bounds the copy too.
                b.spend(count, at)?;
                let Some((node, _, _)) = anchored(&b.anchors, id).cloned() else {
                    continue;
                };
                let node = Node { at, end, ..node };
                b.attach(node, 0)?;
            }
            Event::Scalar(value, style, anchor, tag) => {
                b.spend(1, at)?;
                let text = value.into_owned();
                let kind = match tag.as_deref() {
                    Some(t) if t.handle == "tag:yaml.org,2002:" && t.suffix == "str" => Scalar::Str,
                    Some(t) if t.handle == "!!" && t.suffix == "str" => Scalar::Str,
                    Some(t) => {
                        return Err(YamlError {
                            at,
                            kind: YamlErrorKind::UnknownTag(format!("{}{}", t.handle, t.suffix)),
                        })
                    }
                    None if style == ScalarStyle::Plain => resolve_plain(&text),
                    None => Scalar::Str,
                };
                b.attach(
                    Node {
                        value: Value::Scalar { text, kind },
                        at,
                        end,
                    },
                    anchor,
                )?;
            }
            Event::SequenceStart(anchor, tag) => {
                if let Some(t) = tag {
                    return Err(YamlError {
                        at,
                        kind: YamlErrorKind::UnknownTag(format!("{}{}", t.handle, t.suffix)),
                    });
                }
                b.open(
                    Frame::Seq {
                        at,
                        anchor,
                        items: Vec::new(),
                    },
                    at,
                )?;
            }
            Event::MappingStart(anchor, tag) => {
                if let Some(t) = tag {
                    return Err(YamlError {
                        at,
                        kind: YamlErrorKind::UnknownTag(format!("{}{}", t.handle, t.suffix)),
                    });
                }
                b.open(
                    Frame::Map {
                        at,
                        anchor,
                        entries: Vec::new(),
                        keys: BTreeSet::new(),
                        key: None,
                    },
                    at,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else {
                    continue;
                };
                let (node, anchor) = match frame {
                    Frame::Seq { at, anchor, items } => (
                        Node {
                            value: Value::Seq(items),
                            at,
                            end: last,
                        },
                        anchor,
                    ),
                    Frame::Map {
                        at,
                        anchor,
                        entries,
                        ..
                    } => (
                        Node {
                            value: Value::Map(entries),
                            at,
                            end: last,
                        },
                        anchor,
                    ),
                };
                b.attach(node, anchor)?;
            }
        }
    }
    Ok(b.root.unwrap_or(Node {
        value: Value::Scalar {
            text: String::new(),
            kind: Scalar::Null,
        },
        at: Pos {
            line: 1,
            column: 1,
            index: 0,
        },
        end: last,
    }))
}

#[cfg(test)]
mod tests {
    use super::{parse, Scalar, Value, YamlErrorKind, MAX_DEPTH};

    fn scalar(text: &str) -> Scalar {
        let node = parse(&format!("k: {text}")).expect("yaml");
        match &node.get("k").expect("k").value {
            Value::Scalar { kind, .. } => kind.clone(),
            other => panic!("not a scalar: {other:?}"),
        }
    }

    #[test]
    fn scalars_resolve_with_the_core_schema() {
        assert_eq!(scalar(""), Scalar::Null);
        assert_eq!(scalar("~"), Scalar::Null);
        assert_eq!(scalar("true"), Scalar::Bool(true));
        assert_eq!(scalar("False"), Scalar::Bool(false));
        assert_eq!(scalar("yes"), Scalar::Str, "YAML 1.2: yes is text");
        assert_eq!(scalar("42"), Scalar::Int(42));
        assert_eq!(scalar("-7"), Scalar::Int(-7));
        assert_eq!(scalar("0x1F"), Scalar::Int(31));
        assert_eq!(scalar("0o17"), Scalar::Int(15));
        assert_eq!(scalar("3.50"), Scalar::Float(3.5));
        assert_eq!(scalar("1e3"), Scalar::Float(1000.0));
        assert_eq!(scalar("\"42\""), Scalar::Str);
        assert_eq!(scalar("'true'"), Scalar::Str);
        assert_eq!(scalar("!!str 42"), Scalar::Str);
        assert_eq!(scalar("+15551230000"), Scalar::Int(15551230000));
        assert_eq!(scalar("1.2.3"), Scalar::Str);
        assert_eq!(scalar("99999999999999999999"), Scalar::Float(1e20));
        let node = parse("k: 3.50").expect("yaml");
        let Value::Scalar { text, .. } = &node.get("k").expect("k").value else {
            panic!("scalar")
        };
        assert_eq!(text, "3.50", "the text is kept as written");
    }

    #[test]
    fn json_reads_as_yaml() {
        let node = parse(r#"{"flow": "a.json", "tests": [{"name": "x", "n": 1.5}]}"#)
            .expect("json is yaml");
        assert_eq!(
            node.to_json(),
            serde_json::json!({"flow": "a.json", "tests": [{"name": "x", "n": 1.5}]})
        );
    }

    #[test]
    fn positions_are_lines_and_columns_from_one() {
        let node = parse("a: 1\nb:\n  - x\n  - y: 2\n").expect("yaml");
        let b = node.get("b").expect("b");
        let Value::Seq(items) = &b.value else {
            panic!("list")
        };
        assert_eq!((items[0].at.line, items[0].at.column), (3, 5));
        let y = items[1].get("y").expect("y");
        assert_eq!((y.at.line, y.at.column), (4, 8));
    }

    #[test]
    fn billion_laughs_stop_at_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(&text).expect_err("too many nodes");
        assert_eq!(err.kind, YamlErrorKind::TooManyNodes);
        assert!(err.at.line <= 6, "stops early, at line {}", err.at.line);
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        // The parser's scanner stops at 256 open brackets itself; either limit is an error.
        parse(&"[".repeat(100_000)).expect_err("too deep");
        let over = MAX_DEPTH + 1;
        let err =
            parse(&format!("{}{}", "[".repeat(over), "]".repeat(over))).expect_err("too deep");
        assert_eq!(err.kind, YamlErrorKind::TooDeep);
        let mut block = String::new();
        for level in 0..100 {
            block.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
        }
        let err = parse(&block).expect_err("too deep");
        assert_eq!(err.kind, YamlErrorKind::TooDeep);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        parse(&ok).expect("exactly the limit");
    }

    #[test]
    fn chains_of_aliases_cannot_nest_past_the_limit() {
        let mut text = String::from("a0: &a0 [x]\n");
        for i in 1..200 {
            text.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
        }
        let err = parse(&text).expect_err("too deep");
        assert_eq!(err.kind, YamlErrorKind::TooDeep);
    }

    #[test]
    fn keys_are_unique_scalars() {
        let err = parse("a: 1\na: 2\n").expect_err("duplicate");
        assert_eq!(err.kind, YamlErrorKind::DuplicateKey("a".into()));
        assert_eq!((err.at.line, err.at.column), (2, 1));
        let err = parse("? [a]\n: 1\n").expect_err("complex key");
        assert_eq!(err.kind, YamlErrorKind::KeyNotScalar);
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let err = parse("a: [1, 2\nb: 3\n").expect_err("unclosed");
        assert!(matches!(err.kind, YamlErrorKind::Syntax(_)), "{err:?}");
        assert!(err.at.line >= 1);
        let err = parse("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert_eq!(err.kind, YamlErrorKind::SeveralDocuments);
    }

    #[test]
    fn aliases_copy_the_anchored_value() {
        let node = parse("base: &b {status: 200}\nother: *b\n").expect("yaml");
        assert_eq!(
            node.get("other").expect("other").to_json(),
            serde_json::json!({"status": 200})
        );
        // The inner anchor (met second) is finished first; both resolve, and an unknown one fails.
        let node = parse("a: &o [&i x, y]\nb: *o\nc: *i\n").expect("nested anchors");
        assert_eq!(
            node.get("b").expect("b").to_json(),
            serde_json::json!(["x", "y"])
        );
        assert_eq!(node.get("c").expect("c").to_json(), serde_json::json!("x"));
        let err = parse("a: *nowhere\n").expect_err("unknown alias");
        assert!(matches!(err.kind, YamlErrorKind::Syntax(_)), "{err:?}");
    }
}
