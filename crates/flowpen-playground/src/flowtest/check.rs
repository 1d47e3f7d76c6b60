//! Comparisons: what the flow sent against a `flow:` step, how the execution stands against
//! `expect` (status, reason, path, Flow Data).
//!
//! Flow Data values compare loosely, as Liquid prints them: a scalar matches a scalar with the
//! same text (`4` matches `4` and `"4"`, `true` matches `"true"`), or the same number (`4.0`
//! matches `4`); null matches a missing value; a mapping matches when each key it lists matches
//! (others may exist); a list matches item by item and has the same length; `{glob: …}` and
//! `{regex: …}` match a scalar's text.

use flowpen_engine::{AudioKind, EndReason};
use serde_json::Value;

use super::model::{EndKind, ExpectStatus, Expected, FlowExpect, ValueMatch};
use super::read::scalar_text;
use super::result::Output;
use super::yaml::{resolve_plain, Scalar};

/// Whether `output` is what `expect` describes.
pub(crate) fn output_matches(expect: &FlowExpect, output: &Output) -> bool {
    if let Some(w) = &expect.widget {
        if w != output.widget() {
            return false;
        }
    }
    match (&expect.what, output) {
        (Expected::Message(m), Output::Message { text, media, .. }) => {
            m.matches(text)
                && match &expect.media {
                    None => true,
                    Some(want) => media.as_deref().is_some_and(|got| want.matches(got)),
                }
        }
        (Expected::Say(m), Output::Audio { audio, .. }) => {
            matches!(&audio.kind, AudioKind::Say { text, .. } if m.matches(text))
        }
        (Expected::Play(m), Output::Audio { audio, .. }) => {
            matches!(&audio.kind, AudioKind::Play { url } if m.matches(url))
        }
        (Expected::Digits(m), Output::Audio { audio, .. }) => {
            matches!(&audio.kind, AudioKind::Digits { digits } if m.matches(digits))
        }
        _ => false,
    }
}

/// A `flow:` step's expectation in words: `"Hello*"`, `say: "Welcome*"`, with the media and the
/// widget when the step names them.
pub(crate) fn describe_expect(expect: &FlowExpect) -> String {
    let mut s = match &expect.what {
        Expected::Message(m) => m.to_string(),
        Expected::Say(m) => format!("say: {m}"),
        Expected::Play(m) => format!("play: {m}"),
        Expected::Digits(m) => format!("digits: {m}"),
    };
    if let Some(m) = &expect.media {
        s.push_str(&format!(" + media {m}"));
    }
    if let Some(w) = &expect.widget {
        s.push_str(&format!(" (from {w})"));
    }
    s
}

/// Whether an end (or `None`: still waiting) is what `status` expects.
pub(crate) fn status_matches(status: ExpectStatus, end: Option<&EndReason>) -> bool {
    match (status, end) {
        (ExpectStatus::Waiting, None) => true,
        (ExpectStatus::Waiting, Some(_)) | (_, None) => false,
        (ExpectStatus::Ended, Some(r)) => r.is_normal(),
        (ExpectStatus::Kind(k), Some(r)) => match k {
            EndKind::NoNext => matches!(r, EndReason::NoNext { .. }),
            EndKind::CallEnded => matches!(r, EndReason::CallEnded { .. }),
            EndKind::MissingWidget => matches!(r, EndReason::MissingWidget { .. }),
            EndKind::RunLimit => matches!(r, EndReason::RunLimit { .. }),
            EndKind::StepLimit => matches!(r, EndReason::StepLimit { .. }),
            EndKind::Limit => {
                matches!(r, EndReason::RunLimit { .. } | EndReason::StepLimit { .. })
            }
            EndKind::Unsupported => matches!(r, EndReason::Unsupported { .. }),
            EndKind::Error => matches!(r, EndReason::Error { .. }),
            EndKind::NoCall => matches!(r, EndReason::NoCall { .. }),
        },
    }
}

/// The first position where two paths differ, if they do.
pub(crate) fn path_difference(expected: &[String], actual: &[String]) -> Option<usize> {
    let common = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    (expected.len() != actual.len() || common < expected.len()).then_some(common)
}

/// The value at a dotted path (`widgets.get_num.parsed.number`; a number indexes a list).
pub(crate) fn lookup<'a>(data: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = data;
    for seg in path.split('.') {
        cur = match cur {
            Value::Object(o) => o.get(seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn same_number(a: &str, b: &str) -> bool {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y && !a.trim().is_empty() && !b.trim().is_empty(),
        _ => false,
    }
}

/// Whether a Flow Data value (or its absence) matches.
pub(crate) fn value_matches(expected: &ValueMatch, actual: Option<&Value>) -> bool {
    match expected {
        ValueMatch::Null => matches!(actual, None | Some(Value::Null)),
        ValueMatch::Scalar(want) => actual
            .and_then(scalar_text)
            .is_some_and(|got| got == *want || same_number(&got, want)),
        ValueMatch::Text(m) => actual
            .and_then(scalar_text)
            .is_some_and(|got| m.matches(&got)),
        ValueMatch::Map(entries) => match actual {
            Some(Value::Object(o)) => entries
                .iter()
                .all(|(k, v)| value_matches(v, o.get(k.as_str()))),
            _ => false,
        },
        ValueMatch::List(items) => match actual {
            Some(Value::Array(a)) => {
                a.len() == items.len()
                    && items.iter().zip(a).all(|(v, x)| value_matches(v, Some(x)))
            }
            _ => false,
        },
    }
}

/// An expected value in words (JSON-like; matchers as `glob "…"` / `regex /…/`).
pub(crate) fn describe_value(v: &ValueMatch) -> String {
    match v {
        ValueMatch::Null => "null (or nothing)".into(),
        // As written: a number or true/false bare, text quoted.
        ValueMatch::Scalar(s) if resolve_plain(s) != Scalar::Str => s.clone(),
        ValueMatch::Scalar(s) => Value::String(s.clone()).to_string(),
        ValueMatch::Text(m) => m.to_string(),
        ValueMatch::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), describe_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ValueMatch::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(describe_value)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{lookup, path_difference, value_matches};
    use crate::flowtest::matcher::TextMatch;
    use crate::flowtest::model::ValueMatch;

    fn s(text: &str) -> ValueMatch {
        ValueMatch::Scalar(text.into())
    }

    #[test]
    fn scalars_compare_as_text_or_numbers() {
        assert!(value_matches(&s("3"), Some(&json!(3))));
        assert!(value_matches(&s("3"), Some(&json!("3"))));
        assert!(value_matches(&s("4.0"), Some(&json!(4))));
        assert!(value_matches(&s("true"), Some(&json!(true))));
        assert!(value_matches(&s("true"), Some(&json!("true"))));
        assert!(!value_matches(&s("3"), Some(&json!("three"))));
        assert!(!value_matches(&s("3"), None));
        assert!(
            !value_matches(&s(""), Some(&json!(0))),
            "empty text is not zero"
        );
        assert!(!value_matches(&s("3"), Some(&json!([3]))));
        assert!(value_matches(&ValueMatch::Null, None));
        assert!(value_matches(&ValueMatch::Null, Some(&json!(null))));
        assert!(!value_matches(&ValueMatch::Null, Some(&json!(""))));
    }

    #[test]
    fn mappings_are_subsets_and_lists_exact() {
        let m = ValueMatch::Map(vec![("a".into(), s("1"))]);
        assert!(value_matches(&m, Some(&json!({"a": 1, "b": 2}))));
        assert!(!value_matches(&m, Some(&json!({"b": 2}))));
        let l = ValueMatch::List(vec![s("1"), s("2")]);
        assert!(value_matches(&l, Some(&json!([1, "2"]))));
        assert!(!value_matches(&l, Some(&json!([1, 2, 3]))));
        let g = ValueMatch::Text(TextMatch::glob("SM*"));
        assert!(value_matches(&g, Some(&json!("SM123"))));
        assert!(!value_matches(&g, Some(&json!({"x": 1}))));
    }

    #[test]
    fn dotted_paths_walk_objects_and_lists() {
        let data = json!({"widgets": {"x": {"parsed": {"items": [10, {"id": "b"}]}}}});
        assert_eq!(lookup(&data, "widgets.x.parsed.items.0"), Some(&json!(10)));
        assert_eq!(
            lookup(&data, "widgets.x.parsed.items.1.id"),
            Some(&json!("b"))
        );
        assert_eq!(lookup(&data, "widgets.x.parsed.items.9"), None);
        assert_eq!(lookup(&data, "widgets.y"), None);
        assert_eq!(lookup(&data, "widgets.x.parsed.items.x"), None);
    }

    #[test]
    fn paths_differ_at_the_first_difference() {
        let a: Vec<String> = ["T", "a", "b"].map(String::from).to_vec();
        let b: Vec<String> = ["T", "a", "c"].map(String::from).to_vec();
        let short: Vec<String> = ["T", "a"].map(String::from).to_vec();
        assert_eq!(path_difference(&a, &a), None);
        assert_eq!(path_difference(&a, &b), Some(2));
        assert_eq!(path_difference(&a, &short), Some(2));
        assert_eq!(path_difference(&short, &a), Some(2));
    }
}
