//! Split Based On… conditions with Studio's rules: case-insensitive, trimmed, comma lists for
//! `matches_any_of`, regexes matching the whole string, numeric comparisons false on non-numbers,
//! `HH:MM` times and `YYYY-MM-DD` dates.
//!
//! Decisions where Studio's docs are silent (documented in `studio-format.md` §4.4 as inferences):
//! `equal_to` also holds when both sides are the same number (`1.0` and `1`); an invalid regex, time
//! or date never matches and says why.
//!
//! Regexes use `regex-lite`, not `regex`: the full crate's Unicode tables doubled the app's wasm
//! (1.29 MB → 1.99 MB; see BENCHMARKS.md). The price: in a regex, case-insensitivity and `\w`,
//! `\d`, `\s` are ASCII-only (`Í` does not match `í`); literal non-ASCII text matches as written.
//! The other conditions lowercase with full Unicode rules.

use std::cell::RefCell;
use std::collections::HashMap;

use regex_lite::{Regex, RegexBuilder};

/// The outcome of one condition, with a note when something could not be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub matched: bool,
    /// Why the comparison could not be made (`"abc" is not a number`), if that is why it failed.
    pub note: Option<String>,
}

impl Evaluation {
    fn yes_no(matched: bool) -> Evaluation {
        Evaluation {
            matched,
            note: None,
        }
    }

    fn fail(note: String) -> Evaluation {
        Evaluation {
            matched: false,
            note: Some(note),
        }
    }
}

/// Evaluates conditions; keeps compiled regexes between calls.
#[derive(Default)]
pub struct Conditions {
    regexes: RefCell<HashMap<String, Result<Regex, String>>>,
}

/// Largest compiled regex accepted (bytes of the compiled program), so a pasted pattern cannot
/// exhaust memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

fn number(s: &str) -> Option<f64> {
    let t = s.trim();
    // Only plain decimal numbers: Rust also reads "inf", "NaN" and "1e5", which Studio users
    // would not call numbers in a reply.
    let plain = !t.is_empty()
        && t.trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|&c| c == '.').count() <= 1
        && t.chars().any(|c| c.is_ascii_digit());
    plain.then(|| t.parse().ok()).flatten()
}

fn equal(a: &str, b: &str) -> bool {
    norm(a) == norm(b) || matches!((number(a), number(b)), (Some(x), Some(y)) if x == y)
}

/// `HH:MM` (24-hour) as minutes after midnight.
fn time_of_day(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty()
        || h.len() > 2
        || m.len() != 2
        || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// `YYYY-MM-DD` as a comparable tuple.
fn date(s: &str) -> Option<(u32, u32, u32)> {
    let s = s.trim();
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

impl Conditions {
    pub fn new() -> Conditions {
        Conditions::default()
    }

    /// Evaluates condition type `kind` of `subject` against `value` (both already rendered).
    pub fn evaluate(&self, kind: &str, subject: &str, value: &str) -> Evaluation {
        match kind {
            "equal_to" => Evaluation::yes_no(equal(subject, value)),
            "not_equal_to" => Evaluation::yes_no(!equal(subject, value)),
            "matches_any_of" => {
                Evaluation::yes_no(value.split(',').any(|item| equal(subject, item)))
            }
            "does_not_match_any_of" => {
                Evaluation::yes_no(!value.split(',').any(|item| equal(subject, item)))
            }
            "is_blank" => Evaluation::yes_no(subject.trim().is_empty()),
            "is_not_blank" => Evaluation::yes_no(!subject.trim().is_empty()),
            "contains" => Evaluation::yes_no(norm(subject).contains(&norm(value))),
            "does_not_contain" => Evaluation::yes_no(!norm(subject).contains(&norm(value))),
            "starts_with" => Evaluation::yes_no(norm(subject).starts_with(&norm(value))),
            "does_not_start_with" => Evaluation::yes_no(!norm(subject).starts_with(&norm(value))),
            "regex" => self.regex(subject, value),
            "less_than" | "greater_than" => match (number(subject), number(value)) {
                (Some(a), Some(b)) => {
                    Evaluation::yes_no(if kind == "less_than" { a < b } else { a > b })
                }
                (None, _) => Evaluation::fail(format!("\"{}\" is not a number", subject.trim())),
                (_, None) => Evaluation::fail(format!("\"{}\" is not a number", value.trim())),
            },
            "is_before_time" | "is_after_time" => {
                match (time_of_day(subject), time_of_day(value)) {
                    (Some(a), Some(b)) => Evaluation::yes_no(if kind == "is_before_time" {
                        a < b
                    } else {
                        a > b
                    }),
                    (None, _) => {
                        Evaluation::fail(format!("\"{}\" is not a time (HH:MM)", subject.trim()))
                    }
                    (_, None) => {
                        Evaluation::fail(format!("\"{}\" is not a time (HH:MM)", value.trim()))
                    }
                }
            }
            "is_before_date" | "is_after_date" => match (date(subject), date(value)) {
                (Some(a), Some(b)) => Evaluation::yes_no(if kind == "is_before_date" {
                    a < b
                } else {
                    a > b
                }),
                (None, _) => {
                    Evaluation::fail(format!("\"{}\" is not a date (YYYY-MM-DD)", subject.trim()))
                }
                (_, None) => {
                    Evaluation::fail(format!("\"{}\" is not a date (YYYY-MM-DD)", value.trim()))
                }
            },
            other => Evaluation::fail(format!("\"{other}\" is not a split condition type")),
        }
    }

    fn regex(&self, subject: &str, pattern: &str) -> Evaluation {
        let mut cache = self.regexes.borrow_mut();
        if cache.len() > 256 {
            cache.clear();
        }
        let compiled = cache.entry(pattern.to_owned()).or_insert_with(|| {
            RegexBuilder::new(&format!("^(?:{pattern})$"))
                .case_insensitive(true)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    e.to_string()
                        .lines()
                        .last()
                        .unwrap_or("invalid regex")
                        .trim()
                        .to_owned()
                })
        });
        match compiled {
            Ok(re) => Evaluation::yes_no(re.is_match(subject.trim())),
            Err(e) => Evaluation::fail(format!("invalid regex: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Conditions;

    /// (type, subject, value, expected): the docs' examples and the edge cases around them.
    const TABLE: &[(&str, &str, &str, bool)] = &[
        ("equal_to", "1", "1", true),
        ("equal_to", " Yes ", "yes", true),
        ("equal_to", "YES", "yes", true),
        ("equal_to", "1.0", "1", true),
        ("equal_to", "2", "1", false),
        ("equal_to", "", "", true),
        ("not_equal_to", "a", "b", true),
        ("not_equal_to", "A", "a", false),
        ("matches_any_of", "YES", "yes,yeah,yup", true),
        ("matches_any_of", "a", "A, a, B, b", true),
        ("matches_any_of", " y ", "Yes, y", true),
        ("matches_any_of", "no", "yes,yeah,yup", false),
        ("does_not_match_any_of", "no", "yes,yeah", true),
        ("does_not_match_any_of", "Yeah", "yes,yeah", false),
        ("is_blank", "   ", "Is Blank", true),
        ("is_blank", "", "", true),
        ("is_blank", "x", "Is Blank", false),
        ("is_not_blank", " x ", "Is Not Blank", true),
        ("is_not_blank", "\n\t ", "Is Not Blank", false),
        ("regex", "6", "[1-5]", false),
        ("regex", "3", "[1-5]", true),
        ("regex", "Sí claro", ".*(s(i|í)|y).*", true),
        ("regex", "ABC", "abc", true),
        ("regex", "abcd", "abc", false),
        ("regex", "x", "(", false),
        // ASCII-only case folding in regexes (regex-lite; see the module docs).
        ("regex", "SÍ", "sí", false),
        ("regex", "SI", "si", true),
        ("contains", "aab", "aa", true),
        ("contains", "aab", "A", true),
        ("contains", "aab", "c", false),
        ("does_not_contain", "aab", "c", true),
        ("does_not_contain", "aab", "B", false),
        ("starts_with", " Hoot", "hoo", true),
        ("starts_with", "hoot", "oot", false),
        ("does_not_start_with", "hoot", "oot", true),
        ("does_not_start_with", "Hoot", "HOO", false),
        ("less_than", "5", "10", true),
        ("less_than", "10", "5", false),
        ("less_than", "-1.5", "0", true),
        ("less_than", "abc", "10", false),
        ("less_than", "5", "", false),
        ("greater_than", "900", "1000", false),
        ("greater_than", "1001", "1000", true),
        ("greater_than", "a", "1", false),
        ("greater_than", "inf", "1", false),
        ("is_before_time", "17:00", "16:35", false),
        ("is_before_time", "09:15", "16:35", true),
        ("is_before_time", "9:15", "16:35", true),
        ("is_before_time", "noon", "16:35", false),
        ("is_after_time", "17:00", "16:35", true),
        ("is_after_time", "16:35", "16:35", false),
        ("is_after_time", "25:00", "16:35", false),
        ("is_before_date", "2017-09-04", "2019-08-12", true),
        ("is_before_date", "2019-08-12", "2017-09-04", false),
        ("is_after_date", "2019-08-12", "2017-09-04", true),
        ("is_after_date", "2019-8-12", "2017-09-04", false),
        ("is_after_date", "2019-13-01", "2017-09-04", false),
        ("no_such_type", "a", "a", false),
    ];

    #[test]
    fn every_condition_type_follows_studio_rules() {
        let c = Conditions::new();
        for &(kind, subject, value, expected) in TABLE {
            assert_eq!(
                c.evaluate(kind, subject, value).matched,
                expected,
                "{kind}({subject:?}, {value:?})"
            );
        }
        let covered: std::collections::HashSet<&str> = TABLE.iter().map(|r| r.0).collect();
        for (kind, _) in flowpen_flow::spec::CONDITION_TYPES {
            assert!(covered.contains(kind), "{kind} has table cases");
        }
    }

    #[test]
    fn failed_comparisons_say_why() {
        let c = Conditions::new();
        assert_eq!(
            c.evaluate("less_than", "abc", "1").note.as_deref(),
            Some("\"abc\" is not a number")
        );
        assert!(c
            .evaluate("regex", "x", "(")
            .note
            .unwrap()
            .starts_with("invalid regex"));
        assert!(c
            .evaluate("is_after_date", "soon", "2020-01-01")
            .note
            .is_some());
    }
}
