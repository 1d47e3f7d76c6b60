//! Share links, natively: the hand-written base64url, round trips of every example project, of
//! unicode, of a generated 1,000-widget flow and of every corpus flow, a specific error for each
//! kind of broken link, and the reducer opening a link as one undo step (or keeping the flow).
#![cfg(not(target_arch = "wasm32"))]

use flowpen_flow::edit;
use flowpen_flow::json::Json;
use flowpen_flow::Flow;
use flowpen_playground::editor::{Action, EditorState, Level};
use flowpen_playground::project::examples::{self, EXAMPLES};
use flowpen_playground::project::{self, Document, ProjectRef};
use flowpen_playground::project::{FunctionDef, FunctionsProject};
use flowpen_playground::share::{self, ShareError};

/// Decodes a fragment made from `flow` and `project` and checks it gives them back exactly.
#[track_caller]
fn assert_round_trip(what: &str, flow: &Flow, project: &FunctionsProject) -> String {
    let fragment = share::fragment(ProjectRef::of(flow, project));
    assert!(fragment.starts_with("share=1."), "{what}");
    assert!(
        fragment["share=1.".len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{what}: only base64url characters"
    );
    match share::decode(&format!("#{fragment}")) {
        Ok(Document::Project(p)) => {
            assert_eq!(p.flow.to_pretty_string(), flow.to_pretty_string(), "{what}");
            assert_eq!(&p.functions, project, "{what}");
        }
        other => panic!("{what}: {other:?}"),
    }
    fragment
}

/// The fragment for arbitrary text as the link's data.
fn fragment_of(text: &[u8]) -> String {
    format!("#share=1.{}", share::encode(text))
}

#[test]
fn base64url_matches_rfc_4648_and_round_trips_every_byte() {
    // RFC 4648 §10, without padding.
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(share::encode(plain.as_bytes()), encoded);
        assert_eq!(
            share::decode_base64url(encoded).as_deref(),
            Ok(plain.as_bytes())
        );
    }
    // The URL-safe alphabet: `-` and `_` where standard base64 has `+` and `/`.
    assert_eq!(share::encode(&[0xfb, 0xff, 0xbf]), "-_-_");
    assert_eq!(share::encode(&[0xfb, 0xff]), "-_8");
    // Padding is optional when reading.
    assert_eq!(share::decode_base64url("Zg==").as_deref(), Ok(&b"f"[..]));
    assert_eq!(share::decode_base64url("Zm8=").as_deref(), Ok(&b"fo"[..]));
    let all: Vec<u8> = (0..=255).collect();
    for start in 0..4 {
        for len in 0..all.len() - start {
            let bytes = &all[start..start + len];
            let text = share::encode(bytes);
            assert_eq!(text.len(), (len * 4).div_ceil(3), "{len}");
            assert_eq!(
                share::decode_base64url(&text).as_deref(),
                Ok(bytes),
                "{len}"
            );
        }
    }
    assert_eq!(
        share::decode_base64url("Zm9v+"),
        Err(ShareError::Base64Char {
            index: 4,
            found: '+'
        })
    );
    assert_eq!(
        share::decode_base64url("Zm9vY"),
        Err(ShareError::Base64Length(5))
    );
}

#[test]
fn every_example_project_round_trips() {
    for ex in EXAMPLES {
        let flow = Flow::parse(ex.json).expect("flow");
        let fragment = assert_round_trip(ex.file, &flow, &ex.project());
        let link = share::link("http://127.0.0.1:8080/", &fragment);
        println!("{}: a link of {} characters", ex.file, link.len());
        // The data is the compact project file: Open… reads the same project from it.
        let data = share::decode_base64url(&fragment["share=1.".len()..]).expect("base64url");
        let text = String::from_utf8(data).expect("UTF-8");
        assert!(!text.contains('\n'), "compact");
        assert_eq!(
            project::parse_document(&text),
            project::parse_document(&project::project_text(ProjectRef::of(&flow, &ex.project()))),
            "{}",
            ex.file
        );
    }
}

#[test]
fn unicode_and_emoji_round_trip() {
    // A name with an emoji (imports keep any name), everywhere the example refers to it.
    let json = examples::FIRST.json.replace("get_num", "zahl_🎲");
    let mut flow = Flow::parse(&json).expect("flow");
    let text = "Tierärztin 🐶 — 犬の写真, «quotes» \"and\" \\ # % & ?";
    edit::apply(&mut flow, edit::set_description(text)).expect("description");
    let body = edit::set_property(
        &flow,
        1,
        "body",
        Some(Json::str("Hallo {{flow.data.n}} 👋🏽\r\n\t")),
    )
    .expect("body");
    edit::apply(&mut flow, body).expect("body");
    assert_eq!(flow.description(), Some(text));
    assert!(flow.state("zahl_🎲").is_some());
    let project = FunctionsProject {
        functions: vec![FunctionDef {
            path: "/grüße".into(),
            code: "exports.handler = (c, e, cb) => cb(null, { text: 'Wuff 🐕‍🦺 ✓ 𝄞\\n' });\n// ü\u{0}\u{2028}"
                .into(),
        }],
        env: vec![
            ("GREETING".into(), "¡Hola! 👋🏽".into()),
            ("EMPTY".into(), String::new()),
        ],
    };
    assert_round_trip("unicode", &flow, &project);
}

#[test]
fn a_1000_widget_flow_round_trips() {
    let flow = Flow::parse(&flowpen_testkit::generated_flow(1000, true)).expect("flow");
    assert_eq!(flow.states.len(), 1001);
    let project = examples::FIRST.project();
    let fragment = assert_round_trip("1,000 widgets", &flow, &project);
    let link = share::link("http://127.0.0.1:8080/", &fragment);
    println!("1,000-widget flow: a link of {} characters", link.len());
    assert!(share::is_long(&link), "{} characters", link.len());
}

#[test]
fn every_corpus_flow_round_trips() {
    let Some(corpus) = flowpen_testkit::corpus("every_corpus_flow_round_trips") else {
        return;
    };
    let mut longest = (0, String::new());
    for (name, text) in corpus {
        let flow = Flow::parse(&text).expect(&name);
        let fragment = assert_round_trip(&name, &flow, &FunctionsProject::default());
        let link = share::link("http://127.0.0.1:8080/", &fragment);
        if link.len() > longest.0 {
            longest = (link.len(), name);
        }
    }
    println!(
        "the longest corpus link: {} characters ({})",
        longest.0, longest.1
    );
}

#[test]
fn the_link_replaces_the_pages_fragment() {
    assert_eq!(
        share::link("https://example.com/app/?x=1#old", "share=1.e30"),
        "https://example.com/app/?x=1#share=1.e30"
    );
    assert_eq!(
        share::link("http://127.0.0.1:8080/", "share=1.e30"),
        "http://127.0.0.1:8080/#share=1.e30"
    );
    assert!(!share::is_long(&"x".repeat(share::LONG)));
    assert!(share::is_long(&"x".repeat(share::LONG + 1)));
    assert!(share::is_share_fragment("#share=1.abc"));
    assert!(share::is_share_fragment("share="));
    for other in ["", "#", "#main", "#shared=1.x", "#Share=1.x"] {
        assert!(!share::is_share_fragment(other), "{other}");
    }
}

#[test]
fn each_kind_of_broken_link_has_its_own_error() {
    let good = share::fragment(ProjectRef::of(
        &Flow::parse(examples::FIRST.json).expect("flow"),
        &examples::FIRST.project(),
    ));
    let data = &good["share=1.".len()..];
    assert_eq!(share::decode("#main"), Err(ShareError::NotShare));
    assert_eq!(share::decode(""), Err(ShareError::NotShare));
    assert_eq!(share::decode("#share=abc"), Err(ShareError::NoFormat));
    assert_eq!(share::decode("#share=.abc"), Err(ShareError::NoFormat));
    assert_eq!(share::decode("#share=v1.abc"), Err(ShareError::NoFormat));
    assert_eq!(
        share::decode(&format!("#share=2.{data}")),
        Err(ShareError::Format("2".into()))
    );
    assert_eq!(
        share::decode(&format!("#share={}.x", "9".repeat(40))),
        Err(ShareError::Format(format!("{}…", "9".repeat(12))))
    );
    assert_eq!(share::decode("#share=1."), Err(ShareError::Empty));
    assert_eq!(
        share::decode("#share=1.e30%3D"),
        Err(ShareError::Base64Char {
            index: 3,
            found: '%'
        })
    );
    assert_eq!(
        share::decode("#share=1.e3 0"),
        Err(ShareError::Base64Char {
            index: 2,
            found: ' '
        })
    );
    assert_eq!(
        share::decode("#share=1.ab🐶"),
        Err(ShareError::Base64Char {
            index: 2,
            found: '🐶'
        })
    );
    assert_eq!(
        share::decode("#share=1.abcde"),
        Err(ShareError::Base64Length(5))
    );
    assert_eq!(
        share::decode(&fragment_of(b"{\"a\": \"\xff\xfe\"}")),
        Err(ShareError::Utf8 { at: 7 })
    );
    // Cut in the middle of a multi-byte character.
    assert_eq!(
        share::decode(&fragment_of(&"🐶".as_bytes()[..2])),
        Err(ShareError::Utf8 { at: 0 })
    );
    assert!(matches!(
        share::decode(&fragment_of(b"{\"flowpen\": 1,")),
        Err(ShareError::Json(e)) if e.line == 1 && e.column == 15
    ));
    assert!(matches!(
        share::decode(&fragment_of(b"not json")),
        Err(ShareError::Json(_))
    ));
    assert!(matches!(
        share::decode(&fragment_of(b"[1, 2]")),
        Err(ShareError::NotProject(_))
    ));
    assert!(matches!(
        share::decode(&fragment_of(b"{\"flowpen\": 2, \"flow\": {}}")),
        Err(ShareError::NotProject(e)) if e.path == "$.flowpen"
    ));
    assert!(matches!(
        share::decode(&fragment_of(b"{\"flowpen\": 1}")),
        Err(ShareError::NotProject(e)) if e.message.contains("\"flow\"")
    ));
    assert!(matches!(
        share::decode(&fragment_of(
            b"{\"flowpen\": 1, \"flow\": {\"states\": [{\"name\": 7}]}}"
        )),
        Err(ShareError::NotProject(e)) if e.path == "$.flow.states[0].name"
    ));
    // A plain Studio flow is a flow (it opens like Open… of that flow).
    assert!(matches!(
        share::decode(&fragment_of(examples::FIRST.json.as_bytes())),
        Ok(Document::Flow(_))
    ));

    // The messages say what is wrong.
    for (fragment, says) in [
        ("#share=abc".to_owned(), "does not say its format"),
        (format!("#share=2.{data}"), "format 2 link"),
        ("#share=1.".to_owned(), "holds nothing"),
        (
            "#share=1.e30%3D".to_owned(),
            "character 4 of its data, \"%\"",
        ),
        ("#share=1.abcde".to_owned(), "cut short"),
        (fragment_of(b"\xff"), "not UTF-8"),
        (
            fragment_of(b"{\"flowpen\": 1,"),
            "not JSON (line 1, column 15",
        ),
        (fragment_of(b"[1, 2]"), "no Flowpen project or Studio flow"),
    ] {
        let e = share::decode(&fragment).expect_err(&fragment);
        assert!(e.to_string().contains(says), "{fragment}: {e}");
    }
}

#[test]
fn a_cut_or_altered_link_is_an_error_and_never_a_panic() {
    let good = format!(
        "#{}",
        share::fragment(ProjectRef::of(
            &Flow::parse(examples::FIRST.json).expect("flow"),
            &examples::FIRST.project(),
        ))
    );
    // Cut anywhere after the format: always an error (a prefix of a JSON object is not JSON).
    for end in "#share=1.".len()..good.len() {
        assert!(share::decode(&good[..end]).is_err(), "cut at {end}");
    }
    // Altered characters: any outcome but a panic, and an error whenever the JSON broke.
    let mut seed = 0x2545_f491_u64;
    let swaps = ['A', 'z', '0', '-', '_', '+', '/', '=', '%', ' ', 'é'];
    let mut errors = 0;
    for _ in 0..2_000 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let at = "#share=1.".len() + (seed >> 33) as usize % (good.len() - "#share=1.".len());
        let with = swaps[(seed >> 20) as usize % swaps.len()];
        let mut altered = good[..at].to_owned();
        altered.push(with);
        altered.push_str(&good[at + 1..]);
        if share::decode(&altered).is_err() {
            errors += 1;
        }
    }
    assert!(
        errors > 1_000,
        "{errors} of 2,000 altered links were refused"
    );
}

#[test]
fn opening_a_link_is_one_undo_step_and_a_broken_one_keeps_everything() {
    let dog = examples::example("dog-breed.json").expect("example");
    let mut shared = dog.project();
    shared.functions[0].code.push_str("\n// edited 🐾\n");
    let dog_flow = Flow::parse(dog.json).expect("flow");
    let fragment = format!("#{}", share::fragment(ProjectRef::of(&dog_flow, &shared)));

    let mut s = EditorState::default();
    let before_flow = s.doc.flow.to_pretty_string();
    let before = (*s.project.functions).clone();
    let undo_len = s.doc.history.undo_len();
    s.update(Action::OpenShared(fragment.clone()));
    assert_eq!(s.doc.flow.to_pretty_string(), dog_flow.to_pretty_string());
    assert_eq!(*s.project.functions, shared);
    assert_eq!(s.doc.history.undo_len(), undo_len + 1, "one undo step");
    let notice = s.chrome.notice.clone().expect("a notice");
    assert_eq!(notice.level, Level::Info);
    assert_eq!(
        notice.text,
        "Opened a shared flow — Undo brings yours back."
    );
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.to_pretty_string(), before_flow);
    assert_eq!(*s.project.functions, before);
    s.update(Action::Redo);
    assert_eq!(*s.project.functions, shared);

    // A broken link changes nothing but the notice.
    let kept = s.clone();
    for broken in [
        "#share=2.e30".to_owned(),
        "#share=1.%%%".to_owned(),
        fragment[..fragment.len() - 7].to_owned(),
        fragment_of(b"[]"),
    ] {
        s.update(Action::OpenShared(broken.clone()));
        let notice = s.chrome.notice.clone().expect("a notice");
        assert_eq!(notice.level, Level::Error, "{broken}");
        assert!(
            notice.text.starts_with("Could not open the shared link: ")
                && notice.text.ends_with(". Your flow was kept."),
            "{}",
            notice.text
        );
        assert_eq!(s.doc.flow, kept.doc.flow, "{broken}");
        assert_eq!(s.project.functions, kept.project.functions, "{broken}");
        assert_eq!(s.doc.history, kept.doc.history, "{broken}");
        assert_eq!(s.doc.flow_rev, kept.doc.flow_rev, "{broken}");
        assert_eq!(
            s.project.functions_rev, kept.project.functions_rev,
            "{broken}"
        );
    }

    // A plain Studio flow in a link keeps the Functions and says what it lacks.
    s.update(Action::OpenShared(fragment_of(
        examples::example("retry-counter.json")
            .expect("example")
            .json
            .as_bytes(),
    )));
    assert_eq!(*s.project.functions, shared);
    assert!(s.chrome.notice.as_ref().is_some_and(|n| n.text
        == "Opened a shared flow — Undo brings yours back. It calls /flaky on flowpen.local, which this project does not have (see Functions)."));
}
