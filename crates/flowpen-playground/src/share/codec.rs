//! The bytes of a link: base64url (RustCrypto's `base64ct`, the smallest maintained one), and for format 2 raw deflate with a preset
//! dictionary (`miniz_oxide`), followed by a 3-byte check of the text (SHA-256).
//!
//! The dictionary ([`DICTIONARY`], `dictionary-v2.txt`) is text deflate may refer back to before
//! the link's own bytes: Studio's vocabulary as format 2 writes it (see `share.rs`). Compressing
//! starts with the dictionary in the window: the compressor reads it, flushes to a byte boundary
//! (an empty stored block), and the link keeps only what comes after. Decompressing puts the
//! dictionary at the start of the output buffer and continues after it.
//!
//! Decompression is bounded: it stops as soon as the text would pass `cap` bytes, having
//! allocated at most about `cap` (the buffer doubles from a size proportional to the input).

use base64ct::{Base64UrlUnpadded, Encoding as _};
use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use sha2::{Digest, Sha256};

/// Format 2's preset dictionary. **Frozen:** changing one byte breaks every format 2 link
/// (`tests/share.rs` pins its length and checksum).
pub const DICTIONARY: &[u8] = include_bytes!("dictionary-v2.txt");

/// Encodes bytes as base64url (RFC 4648 §5) without padding.
pub fn encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// The value of a base64url character (the caller checked it is one).
fn sextet(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        _ => 63,
    }
}

/// The base64url character of a value below 64.
fn letter(v: u8) -> u8 {
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[usize::from(v & 63)]
}

/// Why base64url text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// A character outside the alphabet, at this character index.
    Char { index: usize, found: char },
    /// A length no base64url text has (in characters).
    Length(usize),
}

/// Decodes base64url: padding optional, bits left over after the last whole byte ignored (as
/// format 1 always read them).
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let unpadded = text
        .strip_suffix("==")
        .or_else(|| text.strip_suffix('='))
        .unwrap_or(text);
    // The first character that is not base64url, counted in characters (the crate counts bytes).
    if let Some((index, found)) = unpadded
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(Base64Error::Char { index, found });
    }
    if unpadded.len() % 4 == 1 {
        return Err(Base64Error::Length(unpadded.len()));
    }
    // The strict decoder refuses unused bits that are set: clear them.
    let mut canonical = unpadded.as_bytes().to_vec();
    let unused = match canonical.len() % 4 {
        2 => 0b1111,
        3 => 0b11,
        _ => 0,
    };
    if let Some(last) = canonical.last_mut() {
        *last = letter(sextet(*last) & !unused);
    }
    let canonical = String::from_utf8(canonical).unwrap_or_default();
    Base64UrlUnpadded::decode_vec(&canonical).map_err(|_| Base64Error::Length(unpadded.len()))
}

/// The check appended to a format 2 link: the first 3 bytes of the text's SHA-256 (4 base64
/// characters), so that an altered link is caught even when it still inflates (a weaker sum such
/// as Adler-32 lets a changed back-reference through).
pub(crate) fn check(text: &[u8]) -> [u8; 3] {
    let sum = Sha256::digest(text);
    [sum[0], sum[1], sum[2]]
}

/// How hard the compressor tries (miniz's best: level 10, the most match probes).
const LEVEL: i32 = 10;

/// Raw deflate of `text` with [`DICTIONARY`] preset, then [`check`].
pub(crate) fn deflate(text: &[u8]) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(LEVEL, -15, 0);
    let mut compressor = CompressorOxide::new(flags);
    // Room for the dictionary's own output and the worst case of the text (stored blocks).
    let mut out = vec![0u8; DICTIONARY.len() + text.len() + text.len() / 8 + 1024];
    let (status, _, dict_len) = compress(&mut compressor, DICTIONARY, &mut out, TDEFLFlush::Sync);
    debug_assert_eq!(status, TDEFLStatus::Okay);
    let mut written = dict_len;
    let mut input = text;
    loop {
        if written == out.len() {
            out.resize(out.len() * 2, 0);
        }
        let (status, read, wrote) = compress(
            &mut compressor,
            input,
            &mut out[written..],
            TDEFLFlush::Finish,
        );
        written += wrote;
        input = input.get(read..).unwrap_or_default();
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay => continue,
            // Only a bad parameter fails, and the parameters are constants.
            _ => break,
        }
    }
    let mut data = out.get(dict_len..written).unwrap_or_default().to_vec();
    data.extend_from_slice(&check(text));
    data
}

/// Why format 2 bytes could not be inflated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum InflateError {
    /// The compressed data ends before its last block (the link was cut short).
    Truncated,
    /// Not valid deflate data (the link was altered).
    Corrupt,
    /// The text would be larger than the cap.
    TooLarge { cap: usize },
    /// Bytes after the data that are not its 3-byte check, or a check that does not match.
    Check,
}

/// The text of format 2 `data` (deflate, then the check), at most `cap` bytes.
pub(crate) fn inflate(data: &[u8], cap: usize) -> Result<Vec<u8>, InflateError> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let base = DICTIONARY.len();
    let limit = base.saturating_add(cap).saturating_add(1);
    let mut out = DICTIONARY.to_vec();
    out.resize(
        base.saturating_add(data.len().saturating_mul(4).max(4096))
            .min(limit),
        0,
    );
    let mut state = Box::<DecompressorOxide>::default();
    let mut at = base;
    let mut input = data;
    loop {
        let (status, read, wrote) = decompress(&mut state, input, &mut out, at, flags);
        at += wrote;
        input = input.get(read..).unwrap_or_default();
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput => {
                if out.len() >= limit {
                    return Err(InflateError::TooLarge { cap });
                }
                let grown = out.len().saturating_mul(2).min(limit);
                out.resize(grown, 0);
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(InflateError::Truncated)
            }
            _ => return Err(InflateError::Corrupt),
        }
    }
    if at - base > cap {
        return Err(InflateError::TooLarge { cap });
    }
    out.truncate(at);
    let text = out.split_off(base);
    match input.len() {
        0..=2 => Err(InflateError::Truncated),
        3 if input == check(&text) => Ok(text),
        _ => Err(InflateError::Check),
    }
}
