//! Writing test files: a case (or a whole file) as YAML that [`super::read::parse`] reads back to
//! the same case, adding a case to an existing file without touching the rest of its text (its
//! comments stay), and pointing a file at a flow.
//!
//! Scalars are written plain when YAML would read them back as the same text, single-quoted when
//! that is enough, and double-quoted (JSON escapes) otherwise; JSON values (`parameters`, event
//! variables) are written as JSON, which YAML reads as it is.

use serde_json::Value;

use super::error::{ReadError, ReadErrorKind};
use super::matcher::TextMatch;
use super::model::{
    Action, Case, Expected, RecordEnd, Start, StubResponse, Stubs, TestFile, ValueMatch,
};
use super::read::parse;
use super::time::{format_duration, format_time};
use super::yaml::{self, Scalar, Value as Y};

/// Whether `s` can be written as a plain scalar and read back as the same text.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    !(s.trim() != s
        || "-?:,[]{}#&*!|>'\"%@`~".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars()
            .any(|c| c.is_control() || ",[]{}".contains(c) || c == '\u{feff}')
        || yaml::resolve_plain(s) != Scalar::Str)
}

/// A scalar as YAML text.
pub(crate) fn scalar(s: &str) -> String {
    if plain_ok(s) {
        s.to_owned()
    } else if !s.is_empty()
        && !s.chars().any(|c| c.is_control() || c == '\u{feff}')
        && s.trim() == s
    {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

/// A key, quoted when it holds a `:` (URLs) so it reads at a glance.
fn key(s: &str) -> String {
    if s.contains(':') {
        Value::String(s.to_owned()).to_string()
    } else {
        scalar(s)
    }
}

fn text_match(m: &TextMatch) -> String {
    match m {
        TextMatch::Glob(g) => scalar(g.source()),
        TextMatch::Regex { source, .. } => format!("{{regex: {}}}", scalar(source)),
    }
}

fn json(v: &Value) -> String {
    v.to_string()
}

fn flow_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| scalar(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn response(r: &StubResponse) -> String {
    let mut parts = Vec::new();
    if let Some(e) = &r.error {
        parts.push(format!("error: {}", scalar(e)));
    } else {
        if r.status != 200 || (r.headers.is_empty() && r.body.is_empty() && r.delay_ms == 0) {
            parts.push(format!("status: {}", r.status));
        }
        if !r.headers.is_empty() {
            let mut names: Vec<&str> = Vec::new();
            for (k, _) in &r.headers {
                if !names.contains(&k.as_str()) {
                    names.push(k);
                }
            }
            let headers = names
                .iter()
                .map(|n| {
                    let values: Vec<String> = r
                        .headers
                        .iter()
                        .filter(|(k, _)| k == n)
                        .map(|(_, v)| v.clone())
                        .collect();
                    let value = if values.len() == 1 {
                        scalar(&values[0])
                    } else {
                        flow_list(&values)
                    };
                    format!("{}: {value}", key(n))
                })
                .collect::<Vec<_>>()
                .join(", ");
            parts.push(format!("headers: {{{headers}}}"));
        }
        if !r.body.is_empty() {
            parts.push(format!("body: {}", scalar(&r.body)));
        }
    }
    if r.delay_ms > 0 {
        parts.push(format!("delay_ms: {}", r.delay_ms));
    }
    format!("{{{}}}", parts.join(", "))
}

fn stubs(out: &mut String, stubs: &Stubs, pad: &str) {
    for s in &stubs.entries {
        match s.responses.as_slice() {
            [one] => out.push_str(&format!("{pad}{}: {}\n", key(&s.url), response(one))),
            many => {
                out.push_str(&format!("{pad}{}:\n", key(&s.url)));
                for r in many {
                    out.push_str(&format!("{pad}  - {}\n", response(r)));
                }
            }
        }
    }
}

fn value_match(v: &ValueMatch) -> String {
    match v {
        ValueMatch::Null => "~".into(),
        ValueMatch::Scalar(s) => scalar(s),
        ValueMatch::Text(TextMatch::Glob(g)) => format!("{{glob: {}}}", scalar(g.source())),
        ValueMatch::Text(m) => text_match(m),
        ValueMatch::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", key(k), value_match(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ValueMatch::List(items) => format!(
            "[{}]",
            items.iter().map(value_match).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// One case as a list item of `tests:`, its `-` at `indent` spaces.
pub fn write_case(case: &Case, indent: usize) -> String {
    let lead = " ".repeat(indent);
    let pad = " ".repeat(indent + 2);
    let mut out = format!("{lead}- name: {}\n", scalar(&case.name));
    if case.start != Start::Message {
        out.push_str(&format!("{pad}start: {}\n", case.start.name()));
    }
    if let Some(f) = &case.from {
        out.push_str(&format!("{pad}from: {}\n", scalar(f)));
    }
    if let Some(t) = &case.to {
        out.push_str(&format!("{pad}to: {}\n", scalar(t)));
    }
    if let Some(p) = &case.parameters {
        out.push_str(&format!("{pad}parameters: {}\n", json(p)));
    }
    if let Some(t) = case.time_ms {
        out.push_str(&format!("{pad}time: {}\n", format_time(t)));
    }
    if !case.stubs.entries.is_empty() {
        out.push_str(&format!("{pad}stubs:\n"));
        stubs(&mut out, &case.stubs, &format!("{pad}  "));
    }
    if !case.conversation.is_empty() {
        out.push_str(&format!("{pad}conversation:\n"));
        let item = format!("{pad}  - ");
        let more = format!("{pad}    ");
        for step in &case.conversation {
            match &step.action {
                Action::Flow(e) => {
                    let what = match &e.what {
                        Expected::Message(m) => text_match(m),
                        Expected::Say(m) => format!("{{say: {}}}", text_match(m)),
                        Expected::Play(m) => format!("{{play: {}}}", text_match(m)),
                        Expected::Digits(m) => format!("{{digits: {}}}", text_match(m)),
                    };
                    out.push_str(&format!("{item}flow: {what}\n"));
                    if let Some(m) = &e.media {
                        out.push_str(&format!("{more}media: {}\n", text_match(m)));
                    }
                    if let Some(w) = &e.widget {
                        out.push_str(&format!("{more}widget: {}\n", scalar(w)));
                    }
                    if e.fail {
                        out.push_str(&format!("{more}fail: true\n"));
                    }
                }
                Action::Contact { text, media } => {
                    out.push_str(&format!("{item}contact: {}\n", scalar(text)));
                    if !media.is_empty() {
                        out.push_str(&format!("{more}media: {}\n", flow_list(media)));
                    }
                }
                Action::Timeout => out.push_str(&format!("{item}timeout\n")),
                Action::Hangup => out.push_str(&format!("{item}hangup\n")),
                Action::Wait { ms } => {
                    out.push_str(&format!("{item}wait: {}\n", format_duration(*ms)))
                }
                Action::Press { keys } => out.push_str(&format!("{item}press: {}\n", scalar(keys))),
                Action::Speech { text, confidence } => {
                    out.push_str(&format!("{item}speech: {}\n", scalar(text)));
                    if *confidence != 0.9 {
                        out.push_str(&format!("{more}confidence: {confidence}\n"));
                    }
                }
                Action::Record {
                    text,
                    duration_s,
                    end,
                } => {
                    out.push_str(&format!("{item}record: {}\n", scalar(text)));
                    if let Some(d) = duration_s {
                        out.push_str(&format!("{more}duration: {d}\n"));
                    }
                    let end = match end {
                        RecordEnd::Silence => None,
                        RecordEnd::Hangup => Some("hangup".to_owned()),
                        RecordEnd::MaxLength => Some("max-length".to_owned()),
                        RecordEnd::Key(k) => Some(Value::String(k.to_string()).to_string()),
                    };
                    if let Some(e) = end {
                        out.push_str(&format!("{more}end: {e}\n"));
                    }
                }
                Action::Event { name, variables } => {
                    out.push_str(&format!("{item}event: {}\n", scalar(name)));
                    if !variables.is_empty() {
                        let map: serde_json::Map<String, Value> =
                            variables.iter().cloned().collect();
                        out.push_str(&format!("{more}variables: {}\n", json(&Value::Object(map))));
                    }
                }
            }
        }
    }
    let x = &case.expect;
    out.push_str(&format!(
        "{pad}expect:\n{pad}  status: {}\n",
        x.status.name()
    ));
    if let Some(r) = &x.reason {
        out.push_str(&format!("{pad}  reason: {}\n", text_match(r)));
    }
    if let Some((_, path)) = &x.path {
        out.push_str(&format!("{pad}  path: {}\n", flow_list(path)));
    }
    if !x.flow_data.is_empty() {
        out.push_str(&format!("{pad}  flow_data:\n"));
        for d in &x.flow_data {
            out.push_str(&format!(
                "{pad}    {}: {}\n",
                key(&d.path),
                value_match(&d.value)
            ));
        }
    }
    out
}

/// A whole test file.
pub fn write_file(file: &TestFile) -> String {
    let mut out = String::new();
    if let Some(f) = &file.flow {
        out.push_str(&format!("flow: {}\n", scalar(f)));
    }
    for (name, pairs) in [
        ("functions", &file.functions),
        ("env", &file.env),
        ("subflows", &file.subflows),
    ] {
        if !pairs.is_empty() {
            out.push_str(&format!("{name}:\n"));
            for (k, v) in pairs {
                out.push_str(&format!("  {}: {}\n", key(k), scalar(v)));
            }
        }
    }
    if !file.stubs.entries.is_empty() {
        out.push_str("stubs:\n");
        stubs(&mut out, &file.stubs, "  ");
    }
    out.push_str("tests:\n");
    for c in &file.cases {
        out.push_str(&write_case(c, 2));
    }
    out
}

/// The byte offset where line `line` (from 1) starts; the end of the text past the last line.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// The byte offset of character `index`.
fn byte_of(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(b, _)| b)
}

/// `text` with `case` added as the last of its `tests`. A file whose `tests` is a block list
/// keeps every other character (comments included); an empty text becomes a new file for `flow`;
/// other layouts are written anew (comments are lost). Fails when the text is not a test file.
pub fn add_case(text: &str, case: &Case, flow: &str) -> Result<String, ReadError> {
    if text.trim().is_empty() {
        return Ok(write_file(&TestFile {
            flow: Some(flow.to_owned()),
            cases: vec![case.clone()],
            ..TestFile::default()
        }));
    }
    let mut file = parse(text)?;
    let root = yaml::parse(text).map_err(|e| ReadError {
        line: e.at.line,
        column: e.at.column,
        kind: ReadErrorKind::Yaml(e.kind),
    })?;
    if let Some(tests) = root.get("tests") {
        if let Y::Seq(items) = &tests.value {
            // A flow list (`[…]`) is rewritten; a block list gets the case after its last item.
            let block = !text[byte_of(text, tests.at.index)..].starts_with('[');
            if let (true, Some(first), Some(last)) = (block, items.first(), items.last()) {
                let dash_line = &text[line_start(text, first.at.line)..];
                let indent = dash_line.find('-').unwrap_or(0);
                let line = if last.end.column == 1 {
                    last.end.line
                } else {
                    last.end.line + 1
                };
                let at = line_start(text, line);
                let mut out = String::with_capacity(text.len() + 256);
                out.push_str(&text[..at]);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&write_case(case, indent));
                out.push_str(&text[at..]);
                return Ok(out);
            }
        }
    }
    file.cases.push(case.clone());
    Ok(write_file(&file))
}

/// `text` with its `flow:` set to `flow` (added at the top when missing).
pub fn set_flow(text: &str, flow: &str) -> String {
    if text.trim().is_empty() {
        return format!("flow: {}\ntests:\n", scalar(flow));
    }
    if let Ok(root) = yaml::parse(text) {
        if let Some(node) = root.get("flow") {
            if matches!(node.value, Y::Scalar { .. })
                && node.at.line == node.end.line
                && !node.is_null()
            {
                let (a, b) = (byte_of(text, node.at.index), byte_of(text, node.end.index));
                return format!("{}{}{}", &text[..a], scalar(flow), &text[b..]);
            }
        }
    }
    format!("flow: {}\n{text}", scalar(flow))
}

#[cfg(test)]
mod tests {
    use super::{plain_ok, scalar};
    use crate::flowtest::yaml;

    #[test]
    fn scalars_read_back_as_the_same_text() {
        for s in [
            "hi",
            "Hi! I pick random numbers*",
            "3",
            "true",
            "",
            " padded ",
            "a: b",
            "# not a comment",
            "it's",
            "line\nbreak",
            "tab\there",
            "- dash",
            "~",
            "null",
            "1#",
            "+15551230000",
            "é ü",
            "{\"ok\":true}",
            "2026-01-05T17:00:00Z",
            "a,b",
            "key:",
            "\u{feff}bom",
        ] {
            let text = format!("k: {}\n", scalar(s));
            let node = yaml::parse(&text).unwrap_or_else(|e| panic!("{s:?} → {text:?}: {e:?}"));
            let Some(yaml::Node {
                value: yaml::Value::Scalar { text: got, kind },
                ..
            }) = node.get("k")
            else {
                panic!("{text}")
            };
            assert_eq!(got, s, "{text}");
            assert_eq!(*kind, yaml::Scalar::Str, "{text}");
        }
        assert!(plain_ok("hello world"));
        assert!(!plain_ok("3"));
    }
}
