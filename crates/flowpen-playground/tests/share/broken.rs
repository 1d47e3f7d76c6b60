//! Broken links: each kind has its own error, and no input panics.

use flowpen_playground::project::examples::{self, EXAMPLES};
use flowpen_playground::project::{Document, ProjectRef};
use flowpen_playground::share::{self, LinkKind, ShareError};
use miniz_oxide::deflate::compress_to_vec;
use sha2::{Digest, Sha256};

use super::{flow, fragment};

/// A format 2 fragment holding `text` (compressed without the dictionary, which is valid), with
/// its check.
pub fn v2_of_text(text: &str) -> String {
    let mut data = compress_to_vec(text.as_bytes(), 10);
    data.extend_from_slice(&Sha256::digest(text.as_bytes())[..3]);
    format!("#share=2.{}", share::encode(&data))
}

/// A format 1 fragment holding `bytes`.
fn v1_of(bytes: &[u8]) -> String {
    format!("#share=1.{}", share::encode(bytes))
}

fn good() -> String {
    let f = flow(examples::FIRST.json);
    let functions = examples::FIRST.project();
    format!(
        "#{}",
        fragment(ProjectRef::of(&f, &functions), LinkKind::Edit, true)
    )
}

#[test]
fn each_kind_of_broken_link_has_its_own_error() {
    let good = good();
    let data = &good["#share=2.".len()..];
    assert_eq!(share::decode("#main"), Err(ShareError::NotShare));
    assert_eq!(share::decode(""), Err(ShareError::NotShare));
    assert_eq!(share::decode("#share=abc"), Err(ShareError::NoFormat));
    assert_eq!(share::decode("#share=.abc"), Err(ShareError::NoFormat));
    assert_eq!(share::decode("#view=v2.abc"), Err(ShareError::NoFormat));
    assert_eq!(
        share::decode(&format!("#share=3.{data}")),
        Err(ShareError::Format("3".into()))
    );
    assert_eq!(
        share::decode(&format!("#share={}.x", "9".repeat(40))),
        Err(ShareError::Format(format!("{}…", "9".repeat(12))))
    );
    assert_eq!(share::decode("#share=2."), Err(ShareError::Empty));
    assert_eq!(share::decode("#view=1."), Err(ShareError::Empty));
    assert_eq!(
        share::decode("#share=2.e30%3D"),
        Err(ShareError::Base64Char {
            index: 3,
            found: '%'
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
        share::decode("#share=2.abcde"),
        Err(ShareError::Base64Length(5))
    );
    // Cut short: inside the compressed data, or inside the check.
    assert_eq!(
        share::decode(&good[..good.len() - 40]),
        Err(ShareError::Truncated)
    );
    assert_eq!(
        share::decode(&good[..good.len() - 2]),
        Err(ShareError::Truncated)
    );
    // Not deflate at all (a reserved block type).
    assert_eq!(share::decode("#share=2.____"), Err(ShareError::Corrupt));
    // A wrong check, or more after it.
    let mut bytes = share::decode_base64url(data).expect("base64");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert_eq!(
        share::decode(&format!("#share=2.{}", share::encode(&bytes))),
        Err(ShareError::Check)
    );
    bytes[last] ^= 1;
    bytes.push(0);
    assert_eq!(
        share::decode(&format!("#share=2.{}", share::encode(&bytes))),
        Err(ShareError::Check)
    );
    // Inflated text that is not UTF-8, not JSON, not packed right, not a project.
    assert_eq!(
        share::decode(&v1_of(b"{\"a\": \"\xff\xfe\"}")),
        Err(ShareError::Utf8 { at: 7 })
    );
    assert_eq!(
        share::decode(&v1_of(&"🐶".as_bytes()[..2])),
        Err(ShareError::Utf8 { at: 0 })
    );
    assert!(matches!(
        share::decode(&v2_of_text("{\"flowpen\": 1,")),
        Err(ShareError::Json(e)) if e.line == 1 && e.column == 15
    ));
    for packed in [
        // Missing columns, a column longer than the states, a reference to no widget, an event
        // the type does not imply, a bad layout code, an offset position past the properties.
        r#"{"flowpen":1,"flow":{"states":{"n":[],"t":[]}}}"#,
        r#"{"flowpen":1,"flow":{"states":{"n":["a"],"t":["b"],"x":[[]],"o":[null],"p":[]}}}"#,
        r#"{"flowpen":1,"flow":{"states":{"n":["a"],"t":["send-message"],"x":[[9]],"o":[null],"p":[{}]}}}"#,
        r#"{"flowpen":1,"flow":{"states":{"n":["a"],"t":["send-message"],"x":[[0,0,0]],"o":[null],"p":[{}]}}}"#,
        r#"{"flowpen":1,"flow":{"states":{"n":["a"],"t":["b"],"x":[[]],"o":[null],"p":[{}],"l":["ntT"]}}}"#,
        r#"{"flowpen":1,"flow":{"states":{"n":["a"],"t":["b"],"x":[[]],"o":[1,2],"k":[3],"p":[{}]}}}"#,
    ] {
        assert_eq!(
            share::decode(&v2_of_text(packed)),
            Err(ShareError::Packed),
            "{packed}"
        );
    }
    assert!(matches!(
        share::decode(&v1_of(b"[1, 2]")),
        Err(ShareError::NotProject(_))
    ));
    assert!(matches!(
        share::decode(&v2_of_text(r#"{"flowpen": 1, "flow": {"states": [{"name": 7}]}}"#)),
        Err(ShareError::NotProject(e)) if e.path == "$.flow.states[0].name"
    ));

    // The messages say what is wrong.
    for (fragment, says) in [
        ("#share=abc".to_owned(), "does not say its format"),
        (format!("#share=3.{data}"), "format 3 link"),
        ("#share=2.".to_owned(), "holds nothing"),
        (
            "#share=2.e30%3D".to_owned(),
            "character 4 of its data, \"%\"",
        ),
        ("#share=2.abcde".to_owned(), "cut short"),
        (
            good[..good.len() - 40].to_owned(),
            "ends too soon: the link was cut short",
        ),
        (
            "#share=2.____".to_owned(),
            "not a compressed Flowpen project",
        ),
        (v1_of(b"\xff"), "not UTF-8"),
        (
            v2_of_text("{\"flowpen\": 1,"),
            "not JSON (line 1, column 15",
        ),
        (
            v2_of_text(r#"{"flowpen":1,"flow":{"states":{"n":[]}}}"#),
            "not a Flowpen project (the packed widgets do not fit together): the link was altered",
        ),
        (v1_of(b"[1, 2]"), "no Flowpen project or Studio flow"),
    ] {
        let e = share::decode(&fragment).expect_err(&fragment);
        assert!(e.to_string().contains(says), "{fragment}: {e}");
    }
}

#[test]
fn a_cut_or_altered_link_is_an_error_and_never_a_panic() {
    for ex in EXAMPLES {
        let f = flow(ex.json);
        let functions = ex.project();
        let good = format!(
            "#{}",
            fragment(ProjectRef::of(&f, &functions), LinkKind::Edit, true)
        );
        // Cut anywhere after the format: always an error.
        for end in "#share=2.".len()..good.len() {
            assert!(
                share::decode(&good[..end]).is_err(),
                "{}: cut at {end}",
                ex.file
            );
        }
        // Altered characters: an error (the check catches what still inflates), never a panic.
        let mut seed = 0x2545_f491_u64;
        let swaps = ['A', 'z', '0', '-', '_', '+', '/', '=', '%', ' ', 'é'];
        for _ in 0..2_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let at = "#share=2.".len() + (seed >> 33) as usize % (good.len() - "#share=2.".len());
            let with = swaps[(seed >> 20) as usize % swaps.len()];
            if good[at..].starts_with(with) {
                continue;
            }
            let mut altered = good[..at].to_owned();
            altered.push(with);
            altered.push_str(&good[at + 1..]);
            // Only bits nothing reads may change without an error (the padding after the last
            // deflate block, the last character's unused bits): the same project opens.
            if let Ok(shared) = share::decode(&altered) {
                assert_eq!(
                    shared,
                    share::decode(&good).expect("good"),
                    "{}: {altered}",
                    ex.file
                );
            }
        }
    }
}

/// Random bytes, random base64url, and mutations of packed text inside valid links: any outcome
/// but a panic.
#[test]
fn arbitrary_data_never_panics() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3_000 {
        let n = (next() % 300) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| next() as u8).collect();
        let _ = share::decode(&format!("#share=2.{}", share::encode(&bytes)));
        let _ = share::decode(&format!("#view=1.{}", share::encode(&bytes)));
    }
    // Mutated packed text, as a valid link: every column, every shape.
    let f = flow(super::links::KITCHEN_SINK);
    let (_, functions, subflows) = super::links::kitchen_sink();
    let packed = share::packed_text(
        ProjectRef {
            flow: &f,
            functions: &functions,
            subflows: &subflows,
            tests: "",
            stubs: &[],
        },
        share::Options::default(),
    );
    let pieces = [
        "",
        "0",
        "1",
        "99",
        "-1",
        "1.5",
        "null",
        "true",
        "\"x\"",
        "[]",
        "{}",
        "[0]",
        "[1,\"e\"]",
        "[1,[]]",
        "[\"a\"]",
        "\"ntTp\"",
        "\"//yx\"",
        "\"a/b/c/d\"",
        ",",
        "]",
        "[",
        "}",
    ];
    let chars: Vec<(usize, char)> = packed.char_indices().collect();
    let mut opened = 0;
    for _ in 0..6_000 {
        let (at, _) = chars[(next() % chars.len() as u64) as usize];
        let len = (next() % 6) as usize;
        let end = packed[at..]
            .char_indices()
            .nth(len)
            .map_or(packed.len(), |(i, _)| at + i);
        let with = pieces[(next() % pieces.len() as u64) as usize];
        let text = format!("{}{with}{}", &packed[..at], &packed[end..]);
        if let Ok(shared) = share::decode(&v2_of_text(&text)) {
            opened += 1;
            assert!(matches!(shared.document, Document::Project(_)));
        }
    }
    println!("{opened} of 6,000 mutated projects opened");
}
