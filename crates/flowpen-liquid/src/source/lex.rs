//! Ruby Liquid's expression lexer: the tokens inside a tag or an output, with their offsets.

use super::{fail, is_word, is_ws, Res};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum T {
    Ident,
    Str,
    Num,
    Dot,
    DotDot,
    LBr,
    RBr,
    LPar,
    RPar,
    Pipe,
    Colon,
    Comma,
    Op,
    Assign,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    pub(super) t: T,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Ruby Liquid's expression lexer over `[from, to)`.
pub(super) fn lex(src: &str, from: usize, to: usize) -> Res<Vec<Tok>> {
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = from;
    while i < to {
        let c = b[i];
        let start = i;
        let t = match c {
            _ if is_ws(c) => {
                i += 1;
                continue;
            }
            b'\'' | b'"' => {
                let Some(close) = b[i + 1..to].iter().position(|&x| x == c) else {
                    return fail(i, "unterminated string");
                };
                i += close + 2;
                T::Str
            }
            b'0'..=b'9' | b'-'
                if c != b'-' || b.get(i + 1).is_some_and(|d| d.is_ascii_digit()) && i + 1 < to =>
            {
                i += 1;
                while i < to && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i + 1 < to && b[i] == b'.' && b[i + 1].is_ascii_digit() {
                    i += 1;
                    while i < to && b[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                T::Num
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < to && (is_word(b[i]) || b[i] == b'-') {
                    i += 1;
                }
                if i < to && b[i] == b'?' {
                    i += 1;
                }
                T::Ident
            }
            b'.' if i + 1 < to && b[i + 1] == b'.' => {
                i += 2;
                T::DotDot
            }
            b'.' => {
                i += 1;
                T::Dot
            }
            b'[' | b']' | b'(' | b')' | b'|' | b':' | b',' => {
                i += 1;
                match c {
                    b'[' => T::LBr,
                    b']' => T::RBr,
                    b'(' => T::LPar,
                    b')' => T::RPar,
                    b'|' => T::Pipe,
                    b':' => T::Colon,
                    _ => T::Comma,
                }
            }
            b'=' | b'!' | b'<' | b'>' => {
                let next = if i + 1 < to { b[i + 1] } else { 0 };
                let two = matches!(
                    (c, next),
                    (b'=', b'=') | (b'!', b'=') | (b'<', b'=') | (b'<', b'>') | (b'>', b'=')
                );
                i += if two { 2 } else { 1 };
                match c {
                    b'=' if !two => T::Assign,
                    b'!' if !two => return fail(start, "unexpected character '!'"),
                    _ => T::Op,
                }
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return fail(i, format!("unexpected character '{ch}'"));
            }
        };
        toks.push(Tok { t, start, end: i });
    }
    Ok(toks)
}
