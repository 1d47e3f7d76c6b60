//! The codec: base64url (RFC 4648 §5), the frozen dictionary, and bounded inflation.

use flowpen_playground::share::{self, ShareError, DICTIONARY};
use miniz_oxide::deflate::compress_to_vec;
use sha2::{Digest, Sha256};

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
    // Padding is optional when reading; bits after the last whole byte are ignored.
    assert_eq!(share::decode_base64url("Zg==").as_deref(), Ok(&b"f"[..]));
    assert_eq!(share::decode_base64url("Zm8=").as_deref(), Ok(&b"fo"[..]));
    assert_eq!(share::decode_base64url("Zh").as_deref(), Ok(&b"f"[..]));
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
    assert_eq!(
        share::decode_base64url("a🐶b"),
        Err(ShareError::Base64Char {
            index: 1,
            found: '🐶'
        })
    );
}

/// The dictionary is part of format 2: changing one byte breaks every format 2 link. A new
/// dictionary is a new format (3), and format 2 keeps this one.
#[test]
fn the_format_2_dictionary_is_frozen() {
    assert_eq!(DICTIONARY.len(), 6024);
    let digest: String = Sha256::digest(DICTIONARY)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        digest, "8eb61030bdfd7c617e2f682f33ff42c6bfd8f1bf332fdf3e3ecccd092fd367cf",
        "dictionary-v2.txt changed: every format 2 link depends on its exact bytes"
    );
    // Studio's vocabulary, in text.
    let text = std::str::from_utf8(DICTIONARY).expect("UTF-8");
    for word in [
        "send-and-wait-for-reply",
        "{{trigger.message.Body}}",
        "{{flow.channel.address}}",
        "exports.handler = function",
        "\"initial_state\":\"Trigger\"",
    ] {
        assert!(text.contains(word), "{word}");
    }
}

/// A format 2 fragment whose data is `deflated` plus a 3-byte check (right or not).
fn raw_link(deflated: &[u8]) -> String {
    let mut data = deflated.to_vec();
    data.extend_from_slice(&[0, 0, 0]);
    format!("#share=2.{}", share::encode(&data))
}

#[test]
fn a_short_link_never_inflates_past_the_cap() {
    // 16 MB of spaces compress to about 16 kB; a link of them stops at the cap.
    let bomb = compress_to_vec(&vec![b' '; 16 << 20], 10);
    assert!(bomb.len() < 100_000, "{}", bomb.len());
    assert_eq!(share::decode(&raw_link(&bomb)), Err(ShareError::TooLarge));
    // Exactly the cap inflates (and then fails as text); one byte more does not.
    let at_cap = compress_to_vec(&vec![b' '; share::MAX_TEXT], 10);
    assert_eq!(share::decode(&raw_link(&at_cap)), Err(ShareError::Check));
    let over = compress_to_vec(&vec![b' '; share::MAX_TEXT + 1], 10);
    assert_eq!(share::decode(&raw_link(&over)), Err(ShareError::TooLarge));
    // The data itself is capped before it is decoded.
    let long = format!("#share=2.{}", "A".repeat(share::MAX_DATA + 1));
    assert_eq!(
        share::decode(&long),
        Err(ShareError::TooLong {
            chars: share::MAX_DATA + 1
        })
    );
    let long_v1 = format!("#share=1.{}", "A".repeat(share::MAX_DATA + 4));
    assert!(matches!(
        share::decode(&long_v1),
        Err(ShareError::TooLong { .. })
    ));
}
