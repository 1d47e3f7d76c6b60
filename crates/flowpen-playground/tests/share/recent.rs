//! Recent projects: what is kept, in which order, within which limits, and the stored index.

use flowpen_playground::recent::{self, Entry, Outgoing, Recent, LIMIT, MAX_CHARS};

fn entry(title: &str, text: &str, at_ms: u64) -> Entry {
    Entry::of(
        &Outgoing {
            serial: 0,
            title: title.into(),
            reason: "before New".into(),
            text: text.into(),
        },
        at_ms,
    )
}

#[test]
fn newest_first_without_duplicates_within_the_limits() {
    let mut r = Recent::default();
    let mut dropped = Vec::new();
    for i in 0..15 {
        dropped.extend(r.remember(entry(&format!("p{i}"), &format!("{{\"n\":{i}}}"), i)));
    }
    assert_eq!(r.entries.len(), LIMIT);
    assert_eq!(r.entries[0].title, "p14");
    assert_eq!(r.entries[LIMIT - 1].title, "p5");
    // The texts of the five oldest can go.
    let gone: Vec<String> = (0..5)
        .map(|i| recent::id_of(&format!("{{\"n\":{i}}}")))
        .collect();
    assert_eq!(dropped, gone);
    // The same project again moves to the top with its new time and reason.
    let mut again = entry("p7 again", "{\"n\":7}", 100);
    again.reason = "before opening a shared link".into();
    assert!(r.remember(again.clone()).is_empty());
    assert_eq!(r.entries[0], again);
    assert_eq!(r.entries.iter().filter(|e| e.id == again.id).count(), 1);
    assert_eq!(r.entries.len(), LIMIT);
    // Past MAX_CHARS the oldest go; the newest stays whatever its size.
    let big = "x".repeat(MAX_CHARS / 2);
    r.remember(entry("big1", &format!("1{big}"), 200));
    r.remember(entry("big2", &format!("2{big}"), 201));
    assert_eq!(r.entries[0].title, "big2");
    assert!(r.entries.iter().map(|e| e.chars).sum::<usize>() <= MAX_CHARS);
    assert!(r.entries.iter().all(|e| e.title != "big1"));
    let dropped = r.remember(entry("huge", &"y".repeat(MAX_CHARS * 2), 300));
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.entries[0].title, "huge");
    assert!(!dropped.is_empty());
    // Removing.
    assert_eq!(r.remove(3), None);
    assert_eq!(r.remove(0).map(|e| e.title), Some("huge".into()));
    assert!(r.entries.is_empty());
}

#[test]
fn ids_and_keys() {
    let id = recent::id_of("{}");
    assert_eq!(id.len(), 16);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(id, recent::id_of("{}"));
    assert_ne!(id, recent::id_of("{ }"));
    assert_eq!(recent::text_key(&id), format!("flowpen.recent.{id}"));
    assert_ne!(recent::text_key(&id), recent::UNREADABLE_KEY);
}

#[test]
fn the_stored_index_round_trips_and_unreadable_entries_are_left_out() {
    let mut r = Recent::default();
    r.remember(entry(
        "Dog \"breeds\" 🐶",
        "{\"flowpen\":1}",
        1_767_225_600_000,
    ));
    r.remember(entry("Retry", "{}", 42));
    let text = r.to_text();
    assert!(
        !text.contains("flowpen\\\":1"),
        "the index holds no project text"
    );
    assert_eq!(Recent::parse(&text), Ok(r.clone()));
    let mangled = text.replacen("\"title\":\"Retry\"", "\"title\":7", 1);
    assert_eq!(Recent::parse(&mangled).map(|r| r.entries.len()), Ok(1));
    let bad_id = text.replacen(&r.entries[0].id, "../../x", 1);
    assert_eq!(
        Recent::parse(&bad_id).map(|r| r.entries.len()),
        Ok(1),
        "ids are hex"
    );
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
