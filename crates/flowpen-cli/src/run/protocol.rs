//! `flowpen run`'s line protocol: what a line of standard input means while the flow waits, and
//! how the flow's effects print.
//!
//! ```text
//! 1234#            keys pressed on a call (0-9, *, #)
//! speech: TEXT     what the caller says (recognised with confidence 0.9)
//! record: TEXT     a recording (the text stands in for the audio)
//! hangup           the caller hangs up
//! event: NAME k=v  the outside world answers a waiting widget with NAME, changing variables
//! anything else    a reply to Send & Wait For Reply
//! ```

use std::fmt::Write as _;

use flowpen_engine::{Audio, ExternalRequest, GatherRequest, RecordRequest};
use serde_json::Value;

/// The confidence of speech typed as `speech: TEXT`.
pub(crate) const SPEECH_CONFIDENCE: f64 = 0.9;

/// One line of input, read for a call or an outside wait.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Line {
    Hangup,
    Digits(String),
    Speech(String),
    Record(String),
    Event {
        name: String,
        variables: Vec<(String, Value)>,
    },
    /// Anything else (a reply to Send & Wait For Reply; an error elsewhere).
    Text(String),
}

/// Reads a line of the protocol.
pub(crate) fn parse(line: &str) -> Line {
    let t = line.trim();
    let after = |prefix: &str| {
        t.get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .map(|_| t[prefix.len()..].trim().to_owned())
    };
    if t.eq_ignore_ascii_case("hangup") {
        Line::Hangup
    } else if let Some(text) = after("speech:") {
        Line::Speech(text)
    } else if let Some(text) = after("record:") {
        Line::Record(text)
    } else if let Some(rest) = after("event:") {
        let mut words = split_words(&rest).into_iter();
        let name = words.next().unwrap_or_default();
        let variables = words
            .filter_map(|w| {
                w.split_once('=')
                    .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            })
            .collect();
        Line::Event { name, variables }
    } else if !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
    {
        Line::Digits(t.to_owned())
    } else {
        Line::Text(line.to_owned())
    }
}

/// Splits at spaces, keeping `"quoted text"` (JSON string syntax) together: `k="a b"` → `k=a b`.
fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let mut de = serde_json::Deserializer::from_str(&s[i..]).into_iter::<String>();
                match de.next() {
                    Some(Ok(text)) => {
                        cur.push_str(&text);
                        let end = i + de.byte_offset();
                        while chars.peek().is_some_and(|(j, _)| *j < end) {
                            chars.next();
                        }
                    }
                    _ => cur.push(c),
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `> say: …` for Say/Play.
pub(crate) fn audio(audio: &Audio) -> String {
    format!("> {audio}")
}

/// The prompt of a Gather and what it takes.
pub(crate) fn gather(g: &GatherRequest) -> String {
    let mut out = String::new();
    if let Some(p) = &g.prompt {
        let _ = writeln!(out, "> {p}");
    }
    let mut keys = vec!["keys".to_owned()];
    if let Some(k) = g.finish_on_key {
        keys.push(format!("{k} submits"));
    }
    if let Some(n) = g.number_of_digits {
        keys.push(format!("{n} digit{}", if n == 1 { "" } else { "s" }));
    }
    let speech = match &g.speech {
        Some(_) => "; or speech: TEXT",
        None => "",
    };
    let _ = write!(
        out,
        "> (gather: {}{speech}; {} s)",
        keys.join(", "),
        g.timeout_s
    );
    out
}

/// What a Record Voicemail takes.
pub(crate) fn record(r: &RecordRequest) -> String {
    let mut how = vec![format!("up to {} s", r.max_length_s)];
    if r.play_beep {
        how.push("after the beep".into());
    }
    if r.transcribe {
        how.push("transcribed".into());
    }
    format!("> (record: {}; answer with record: TEXT)", how.join(", "))
}

/// Keys of the call's own parameters, left out when an outside wait lists its variables.
const CALL_KEYS: &[&str] = &[
    "AccountSid",
    "ApiVersion",
    "CallSid",
    "Called",
    "Caller",
    "Direction",
    "From",
    "To",
];

/// What an outside-world widget does, and the events it can be answered with.
pub(crate) fn external(x: &ExternalRequest) -> String {
    let mut out = format!("> {} {}: {}", x.widget_type, x.widget, x.summary);
    for e in &x.events {
        let _ = write!(out, "\n>   event: {} ({})", e.event, e.label);
        for (k, v) in &e.variables {
            if CALL_KEYS.contains(&k.as_str()) || k.ends_with("City") || k.ends_with("Zip") {
                continue;
            }
            let v = match v {
                Value::String(s) if !s.contains(char::is_whitespace) && !s.is_empty() => s.clone(),
                other => other.to_string(),
            };
            let _ = write!(out, " {k}={v}");
        }
    }
    if let (Some(_), Some(e)) = (x.deadline_ms, &x.timeout_event) {
        let _ = write!(out, "\n>   (when input ends: {e})");
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{parse, Line};

    #[test]
    fn lines_mean_what_the_protocol_says() {
        assert_eq!(parse("1234#"), Line::Digits("1234#".into()));
        assert_eq!(parse(" *9 "), Line::Digits("*9".into()));
        assert_eq!(parse("HangUp"), Line::Hangup);
        assert_eq!(
            parse("speech: sales please"),
            Line::Speech("sales please".into())
        );
        assert_eq!(parse("record:  hi there "), Line::Record("hi there".into()));
        assert_eq!(
            parse(r#"event: callCompleted DialCallStatus=no-answer Note="two words""#),
            Line::Event {
                name: "callCompleted".into(),
                variables: vec![
                    ("DialCallStatus".into(), json!("no-answer")),
                    ("Note".into(), json!("two words")),
                ],
            }
        );
        assert_eq!(parse("1 2"), Line::Text("1 2".into()));
        assert_eq!(parse("yes"), Line::Text("yes".into()));
        assert_eq!(parse(""), Line::Text("".into()));
    }
}
