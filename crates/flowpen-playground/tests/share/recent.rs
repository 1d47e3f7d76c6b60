//! Recent projects: what is kept, in which order, within which limits, and the stored text.

use flowpen_playground::recent::{self, Entry, Outgoing, Recent, LIMIT, MAX_CHARS};

fn entry(title: &str, text: &str, at_ms: u64) -> Entry {
    Entry {
        title: title.into(),
        reason: "before New".into(),
        at_ms,
        text: text.into(),
    }
}

#[test]
fn newest_first_without_duplicates_within_the_limits() {
    let mut r = Recent::default();
    for i in 0..15 {
        r.remember(entry(&format!("p{i}"), &format!("{{\"n\":{i}}}"), i));
    }
    assert_eq!(r.entries.len(), LIMIT);
    assert_eq!(r.entries[0].title, "p14");
    assert_eq!(r.entries[LIMIT - 1].title, "p5");
    // The same project again moves to the top with its new time and reason.
    let mut again = entry("p7 again", "{\"n\":7}", 100);
    again.reason = "before opening a shared link".into();
    r.remember(again.clone());
    assert_eq!(r.entries[0], again);
    assert_eq!(
        r.entries.iter().filter(|e| e.text == "{\"n\":7}").count(),
        1
    );
    assert_eq!(r.entries.len(), LIMIT);
    // Past MAX_CHARS the oldest go; the newest stays whatever its size.
    let big = "x".repeat(MAX_CHARS / 2);
    r.remember(entry("big1", &format!("1{big}"), 200));
    r.remember(entry("big2", &format!("2{big}"), 201));
    assert_eq!(r.entries[0].title, "big2");
    assert!(r.entries.iter().map(|e| e.text.len()).sum::<usize>() <= MAX_CHARS);
    assert!(r.entries.iter().all(|e| e.title != "big1"));
    r.remember(entry("huge", &"y".repeat(MAX_CHARS * 2), 300));
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.entries[0].title, "huge");
    // Removing.
    assert_eq!(r.remove(3), None);
    assert_eq!(r.remove(0).map(|e| e.title), Some("huge".into()));
    assert!(r.entries.is_empty());
}

#[test]
fn the_stored_text_round_trips_and_unreadable_entries_are_left_out() {
    let mut r = Recent::default();
    r.remember(entry(
        "Dog \"breeds\" 🐶",
        "{\"flowpen\":1}",
        1_767_225_600_000,
    ));
    r.remember(Entry::of(
        &Outgoing {
            serial: 3,
            title: "Retry".into(),
            reason: "before opening a shared link".into(),
            text: "{}".into(),
        },
        42,
    ));
    let text = r.to_text();
    assert_eq!(Recent::parse(&text), Ok(r.clone()));
    let mangled = text.replacen("\"title\":\"Retry\"", "\"title\":7", 1);
    assert_eq!(Recent::parse(&mangled).map(|r| r.entries.len()), Ok(1));
    for bad in [
        "",
        "[]",
        "{\"recent\":2,\"entries\":[]}",
        "{\"recent\":1}",
        "nope",
    ] {
        assert!(Recent::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn ages_in_words() {
    let now = 1_767_225_600_000;
    for (ago_s, says) in [
        (0, "just now"),
        (59, "just now"),
        (60, "1 min ago"),
        (3_599, "59 min ago"),
        (3_600, "1 h ago"),
        (86_399, "23 h ago"),
        (86_400, "yesterday"),
        (3 * 86_400, "3 days ago"),
    ] {
        assert_eq!(recent::age(now, now - ago_s * 1000), says, "{ago_s}");
    }
    assert_eq!(
        recent::age(now, now + 5_000),
        "just now",
        "a clock that went back"
    );
}
