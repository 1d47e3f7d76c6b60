//! Source preparation: Ruby Liquid's lexical rules in front of liquid-core's grammar.
//!
//! liquid-core parses with a pest grammar that is stricter than Ruby Liquid (and Studio) in places:
//! no whitespace around the dots of a variable path (`widgets. \nx.parsed`), no `{% # comment %}`,
//! no `{% liquid %}`, no ranges outside `for`, `\t` and `\r` are not trimmed by `{%-`, and a root
//! name that starts like a literal (`nil_value`, `trueish`) is misread. Instead of forking the
//! grammar, this module lexes the template with Ruby's rules and hands liquid-core a normalised
//! text in which:
//!
//! - every `{{ expr }}` becomes `{%echo P expr %}`, so all output goes through our `echo` tag;
//! - every tag carries `P`, the byte offset of its `{%` or `{{` in the original template, as its
//!   first argument (render errors report a line and column from it), and every block start tag
//!   carries a `0`/`1` "blank body" flag after it (Ruby drops whitespace-only text in blank blocks);
//! - whitespace control is applied here (liquid-core never sees `{%-` or `-%}`);
//! - raw text that pest could misread travels as string literals of an internal `__raw` tag, and
//!   comments become an internal no-op tag;
//! - variable paths are re-emitted without whitespace, a root `[` gets the internal root `___`, and
//!   names the grammar cannot express become bracketed strings (`x?` → `___['x?']`);
//! - a range outside a `for`/`tablerow` target becomes `nil | ___range: a, b`.
//!
//! It also checks block structure (every block closed, `else` only where it belongs, known tag
//! and filter names, nesting depth), so liquid-core only ever receives well-formed markup.
//! `Prepared::original_offset` maps a position in the normalised text back to the template.

use std::fmt::Write as _;

use crate::reads::{Reads, Seg};

/// Tags that open a block, with their end tag.
mod lex;

use lex::{lex, Tok, T};

const BLOCKS: &[(&str, &str)] = &[
    ("if", "endif"),
    ("unless", "endunless"),
    ("case", "endcase"),
    ("for", "endfor"),
    ("tablerow", "endtablerow"),
    ("capture", "endcapture"),
    ("ifchanged", "endifchanged"),
];

/// Tags without a body. `assign` is "blank" (renders nothing); the others may render.
const TAGS: &[&str] = &[
    "assign",
    "echo",
    "cycle",
    "increment",
    "decrement",
    "break",
    "continue",
    "include",
    "render",
];

/// Deepest block nesting accepted (deeper templates are a syntax error, not a stack overflow).
const MAX_BLOCK_DEPTH: usize = 100;
/// Deepest bracket nesting in a variable path.
const MAX_PATH_DEPTH: usize = 32;

/// Root names the grammar would read as a literal followed by more text.
const LITERAL_PREFIXES: &[&str] = &["nil", "null", "true", "false", "empty", "blank"];

/// The normalised template and the map back to the original.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub text: String,
    /// `(offset in text, offset in original)`, sorted by the first.
    anchors: Vec<(usize, usize)>,
    /// The context paths the template's variable paths read.
    pub reads: Reads,
}

impl Prepared {
    /// The offset in the original template of byte `offset` of the normalised text.
    pub fn original_offset(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.0 <= offset);
        match i.checked_sub(1).and_then(|i| self.anchors.get(i)) {
            Some(&(new, old)) => old + (offset - new),
            None => 0,
        }
    }
}

/// A syntax error found while preparing, at a byte offset of the original template.
#[derive(Debug)]
pub(crate) struct SourceError {
    pub offset: usize,
    pub message: String,
}

type Res<T> = Result<T, SourceError>;

fn fail<T>(offset: usize, message: impl Into<String>) -> Res<T> {
    Err(SourceError {
        offset,
        message: message.into(),
    })
}

/// How many arguments a filter takes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arity {
    pub min: usize,
    pub max: usize,
    pub keywords: &'static [&'static str],
}

/// Looks up a filter's arity by name (`None`: no such filter).
pub(crate) type FilterTable<'f> = &'f dyn Fn(&str) -> Option<Arity>;

/// Prepares `src` for liquid-core. `filters` tells which filters exist and their arity.
pub(crate) fn prepare(src: &str, filters: FilterTable<'_>) -> Res<Prepared> {
    let mut p = Prep {
        src,
        b: src.as_bytes(),
        out: String::with_capacity(src.len() + src.len() / 4 + 16),
        anchors: Vec::new(),
        stack: Vec::new(),
        filters,
        liquid_comment: 0,
        reads: Reads::default(),
    };
    let mut pos = 0;
    let mut trim_next = false;
    loop {
        let next = find_markup(p.b, pos);
        let mut start = pos;
        let mut stop = next.unwrap_or(src.len());
        if trim_next {
            start = skip_ws(p.b, start, stop);
        }
        if let Some(m) = next {
            if p.b.get(m + 2) == Some(&b'-') {
                stop = trim_end(p.b, start, stop);
            }
        }
        p.text(start, stop);
        let Some(m) = next else { break };
        (pos, trim_next) = p.markup(m)?;
    }
    if let Some(open) = p.stack.last() {
        return fail(open.offset, format!("'{}' tag was never closed", open.name));
    }
    p.reads.normalize();
    Ok(Prepared {
        text: p.out,
        anchors: p.anchors,
        reads: p.reads,
    })
}

/// Ruby's `\s`: space, tab, newline, vertical tab, form feed, carriage return.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn skip_ws(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && is_ws(b[i]) {
        i += 1;
    }
    i
}

fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && is_ws(b[end - 1]) {
        end -= 1;
    }
    end
}

/// The next `{{` or `{%` at or after `from`.
fn find_markup(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < b.len() {
        if b[i] == b'{' && (b[i + 1] == b'{' || b[i + 1] == b'%') {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn find(b: &[u8], pat: &[u8], from: usize) -> Option<usize> {
    if from > b.len() {
        return None;
    }
    b[from..]
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|i| i + from)
}

/// If the markup content `[from, close)` ends with the `-` of `-%}`/`-}}`, drops it.
fn strip_dash(b: &[u8], from: usize, close: usize) -> (usize, bool) {
    if close > from && b[close - 1] == b'-' {
        (close - 1, true)
    } else {
        (close, false)
    }
}

/// The end of the word (`\w+`) starting at `i`.
fn word_end(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && is_word(b[i]) {
        i += 1;
    }
    i
}

/// A block being parsed.
struct Open {
    name: &'static str,
    end: &'static str,
    offset: usize,
    /// Only whitespace text and blank tags so far.
    blank: bool,
    /// Where the block's `0`/`1` blank flag sits in the output.
    flag_at: usize,
    /// The start of a `{% liquid %}` tag: blocks opened outside cannot be closed inside.
    boundary: bool,
}

struct Prep<'s, 'f> {
    src: &'s str,
    b: &'s [u8],
    out: String,
    anchors: Vec<(usize, usize)>,
    stack: Vec<Open>,
    filters: FilterTable<'f>,
    /// Depth of `comment` blocks inside the current `{% liquid %}` tag.
    liquid_comment: usize,
    /// The static prefix of every variable path (see [`Reads`]).
    reads: Reads,
}

impl Prep<'_, '_> {
    fn anchor(&mut self, orig: usize) {
        self.anchors.push((self.out.len(), orig));
    }

    fn mark_nonblank(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.blank = false;
        }
    }

    /// Copies text `[start, stop)` of the original.
    fn text(&mut self, start: usize, stop: usize) {
        if start >= stop {
            return;
        }
        let t = &self.src[start..stop];
        if !t.bytes().all(is_ws) {
            self.mark_nonblank();
        }
        if t.ends_with('{') {
            // A trailing `{` would merge with the next `{%` into `{{%`.
            self.literal(t, start);
        } else {
            self.anchor(start);
            self.out.push_str(t);
        }
    }

    /// Emits `text` through `__raw` tags as string literals (each without both quote kinds).
    fn literal(&mut self, text: &str, orig: usize) {
        let mut seg_start = 0;
        let (mut single, mut double) = (false, false);
        for (i, c) in text.char_indices() {
            let (s, d) = (single || c == '\'', double || c == '"');
            if s && d {
                self.literal_segment(&text[seg_start..i], orig + seg_start, single);
                seg_start = i;
                (single, double) = (c == '\'', c == '"');
            } else {
                (single, double) = (s, d);
            }
        }
        self.literal_segment(&text[seg_start..], orig + seg_start, single);
    }

    fn literal_segment(&mut self, seg: &str, orig: usize, has_single: bool) {
        if seg.is_empty() {
            return;
        }
        let q = if has_single { '"' } else { '\'' };
        self.anchor(orig);
        self.out.push_str("{%__raw ");
        self.out.push(q);
        self.out.push_str(seg);
        self.out.push(q);
        self.out.push_str(" %}");
    }

    /// Handles the markup starting at `m` (`{{` or `{%`). Returns where text resumes and whether
    /// it must be left-trimmed.
    fn markup(&mut self, m: usize) -> Res<(usize, bool)> {
        let b = self.b;
        let output = b[m + 1] == b'{';
        let mut i = m + 2;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        if output {
            let Some(close) = find(b, b"}}", i) else {
                return fail(m, "output '{{' was never closed with '}}'");
            };
            let (inner_end, trim_right) = strip_dash(b, i, close);
            self.echo(i, inner_end, m)?;
            return Ok((close + 2, trim_right));
        }
        let j = skip_ws(b, i, b.len());
        if b.get(j) == Some(&b'#') {
            let Some(close) = find(b, b"%}", j) else {
                return fail(m, "tag '{%' was never closed with '%}'");
            };
            let (inner_end, trim_right) = strip_dash(b, j, close);
            let mut line_start = j;
            for line in self.src[j..inner_end].split('\n') {
                let first = skip_ws(b, line_start, line_start + line.len());
                if line_start != j && first < line_start + line.len() && b[first] != b'#' {
                    return fail(first, "every line of an inline comment must start with '#'");
                }
                line_start += line.len() + 1;
            }
            self.noop(m);
            return Ok((close + 2, trim_right));
        }
        let name_end = word_end(b, j, b.len());
        if name_end == j {
            return fail(m, "expected a tag name after '{%'");
        }
        let name = &self.src[j..name_end];
        match name {
            "raw" => return self.raw(m, name_end),
            "comment" => return self.comment(m, name_end),
            "doc" => return self.doc(m, name_end),
            _ => {}
        }
        let Some(close) = find(b, b"%}", name_end) else {
            return fail(m, format!("tag '{name}' was never closed with '%}}'"));
        };
        let (inner_end, trim_right) = strip_dash(b, name_end, close);
        if name == "liquid" {
            self.liquid(name_end, inner_end, m)?;
        } else {
            self.tag(name, name_end, inner_end, m)?;
        }
        Ok((close + 2, trim_right))
    }

    /// The internal no-op tag that stands for a comment.
    fn noop(&mut self, at: usize) {
        self.anchor(at);
        self.out.push_str("{%__comment %}");
    }

    /// Finds `{% end<name> %}` from `from` as Ruby's raw tag does. Returns
    /// `(start of the end tag, it has "{%-", offset after it, it has "-%}")`.
    fn find_end_tag(&self, end: &str, from: usize) -> Option<(usize, bool, usize, bool)> {
        let b = self.b;
        let mut k = from;
        while let Some(s) = find(b, b"{%", k) {
            let mut l = s + 2;
            let dash = b.get(l) == Some(&b'-');
            if dash {
                l += 1;
            }
            l = skip_ws(b, l, b.len());
            if b[l..].starts_with(end.as_bytes())
                && !b.get(l + end.len()).is_some_and(|&c| is_word(c))
            {
                if let Some(close) = find(b, b"%}", l) {
                    let trim = close > l && b[close - 1] == b'-';
                    return Some((s, dash, close + 2, trim));
                }
            }
            k = s + 2;
        }
        None
    }

    fn no_arguments(&self, name: &str, from: usize) -> Res<(usize, bool)> {
        let b = self.b;
        let Some(close) = find(b, b"%}", from) else {
            return fail(from, format!("tag '{name}' was never closed with '%}}'"));
        };
        let (inner_end, trim_right) = strip_dash(b, from, close);
        if !b[from..inner_end].iter().all(|&c| is_ws(c)) {
            return fail(from, format!("'{name}' takes no arguments"));
        }
        Ok((close + 2, trim_right))
    }

    fn raw(&mut self, m: usize, name_end: usize) -> Res<(usize, bool)> {
        let (body_start, trim_body_start) = self.no_arguments("raw", name_end)?;
        let Some((body_end, trim_body_end, after, trim_next)) =
            self.find_end_tag("endraw", body_start)
        else {
            return fail(m, "'raw' tag was never closed");
        };
        let mut start = body_start;
        let mut stop = body_end;
        if trim_body_start {
            start = skip_ws(self.b, start, stop);
        }
        if trim_body_end {
            stop = trim_end(self.b, start, stop);
        }
        if start < stop {
            self.mark_nonblank();
            let body = &self.src[start..stop];
            self.literal(body, start);
        }
        Ok((after, trim_next))
    }

    fn comment(&mut self, m: usize, name_end: usize) -> Res<(usize, bool)> {
        let b = self.b;
        let Some(close) = find(b, b"%}", name_end) else {
            return fail(m, "tag 'comment' was never closed with '%}'");
        };
        let mut depth = 1usize;
        let mut k = close + 2;
        while let Some(s) = find(b, b"{%", k) {
            let Some(close) = find(b, b"%}", s + 2) else {
                break;
            };
            let mut l = s + 2;
            if b.get(l) == Some(&b'-') {
                l += 1;
            }
            l = skip_ws(b, l, close);
            if b.get(l) == Some(&b'#') {
                k = close + 2;
                continue;
            }
            let name = &self.src[l..word_end(b, l, close)];
            match name {
                "" => return fail(s, "malformed tag inside a comment"),
                "comment" => depth += 1,
                "endcomment" => {
                    depth -= 1;
                    if depth == 0 {
                        self.noop(m);
                        let trim = close > l && b[close - 1] == b'-';
                        return Ok((close + 2, trim));
                    }
                }
                "raw" => {
                    let Some((_, _, after, _)) = self.find_end_tag("endraw", close + 2) else {
                        return fail(s, "'raw' tag was never closed");
                    };
                    k = after;
                    continue;
                }
                _ => {}
            }
            k = close + 2;
        }
        fail(m, "'comment' tag was never closed")
    }

    fn doc(&mut self, m: usize, name_end: usize) -> Res<(usize, bool)> {
        let (body_start, _) = self.no_arguments("doc", name_end)?;
        let Some((body_end, _, after, trim_next)) = self.find_end_tag("enddoc", body_start) else {
            return fail(m, "'doc' tag was never closed");
        };
        if let Some((nested, ..)) = self.find_end_tag("doc", body_start) {
            if nested < body_end {
                return fail(nested, "'doc' tags cannot be nested");
            }
        }
        self.noop(m);
        Ok((after, trim_next))
    }

    /// `{% liquid %}`: one tag per line.
    fn liquid(&mut self, from: usize, to: usize, m: usize) -> Res<()> {
        self.stack.push(Open {
            name: "liquid",
            end: "",
            offset: m,
            blank: true,
            flag_at: usize::MAX,
            boundary: true,
        });
        let saved_comment = std::mem::replace(&mut self.liquid_comment, 0);
        let mut line_start = from;
        while line_start <= to {
            let line_end = find(&self.b[..to], b"\n", line_start).unwrap_or(to);
            self.liquid_line(line_start, line_end)?;
            line_start = line_end + 1;
        }
        if self.liquid_comment > 0 {
            return fail(m, "'comment' tag was never closed");
        }
        self.liquid_comment = saved_comment;
        let top = self.stack.pop();
        match top {
            Some(open) if open.boundary => {
                if !open.blank {
                    self.mark_nonblank();
                }
                Ok(())
            }
            Some(open) => fail(open.offset, format!("'{}' tag was never closed", open.name)),
            None => fail(m, "unbalanced liquid tag"),
        }
    }

    fn liquid_line(&mut self, from: usize, to: usize) -> Res<()> {
        let b = self.b;
        let start = skip_ws(b, from, to);
        if start >= to || b[start] == b'#' {
            return Ok(());
        }
        let name_end = word_end(b, start, to);
        if name_end == start {
            return fail(start, "expected a tag name");
        }
        let name = &self.src[start..name_end];
        if self.liquid_comment > 0 {
            match name {
                "comment" => self.liquid_comment += 1,
                "endcomment" => self.liquid_comment -= 1,
                _ => {}
            }
            return Ok(());
        }
        match name {
            "comment" => {
                self.liquid_comment = 1;
                Ok(())
            }
            "liquid" => self.liquid_line(name_end, to),
            "raw" | "doc" | "endcomment" => {
                fail(start, format!("'{name}' is not allowed in a liquid tag"))
            }
            _ => self.tag(name, name_end, to, start),
        }
    }

    /// A tag with its markup `[from, to)`; `at` is where it starts in the original.
    fn tag(&mut self, name: &str, from: usize, to: usize, at: usize) -> Res<()> {
        if name == "echo" {
            return self.echo(from, to, at);
        }
        if let Some(&(start, end)) = BLOCKS.iter().find(|(s, _)| *s == name) {
            if self.stack.len() >= MAX_BLOCK_DEPTH {
                return fail(at, "blocks are nested too deeply");
            }
            let toks = lex(self.src, from, to)?;
            // The blank flag is written as `1` and patched to `0` if the body turns out not blank.
            let flag_at = self.emit_tag(start, at, true, &toks)?;
            self.stack.push(Open {
                name: start,
                end,
                offset: at,
                blank: true,
                flag_at,
                boundary: false,
            });
            return Ok(());
        }
        if let Some(&(start, end)) = BLOCKS.iter().find(|(_, e)| *e == name) {
            let Some(open) = self.stack.last() else {
                return fail(at, format!("unexpected '{name}'"));
            };
            if open.boundary || open.end != end {
                return fail(at, format!("unexpected '{name}'"));
            }
            let open = self.stack.pop().expect("checked above");
            if !open.blank {
                self.out.replace_range(open.flag_at..open.flag_at + 1, "0");
                if start != "capture" {
                    self.mark_nonblank();
                }
            }
            self.anchor(at);
            self.out.push_str("{%");
            self.out.push_str(end);
            self.out.push_str(" %}");
            return Ok(());
        }
        match name {
            "else" | "elsif" | "when" => {
                let parent = self.stack.last().filter(|o| !o.boundary).map(|o| o.name);
                let ok = match name {
                    "else" => matches!(parent, Some("if" | "unless" | "case" | "for")),
                    "elsif" => matches!(parent, Some("if" | "unless")),
                    _ => parent == Some("case"),
                };
                if !ok {
                    return fail(at, format!("unexpected '{name}'"));
                }
                let toks = if name == "else" {
                    Vec::new()
                } else {
                    lex(self.src, from, to)?
                };
                self.emit_tag(name, at, false, &toks).map(|_| ())
            }
            _ if TAGS.contains(&name) => {
                let toks = lex(self.src, from, to)?;
                if name != "assign" {
                    self.mark_nonblank();
                }
                self.emit_tag(name, at, false, &toks).map(|_| ())
            }
            _ => fail(at, format!("unknown tag '{name}'")),
        }
    }

    fn echo(&mut self, from: usize, to: usize, at: usize) -> Res<()> {
        let toks = lex(self.src, from, to)?;
        if let Some(first) = toks.first() {
            if !matches!(first.t, T::Ident | T::Str | T::Num | T::LBr | T::LPar) {
                return fail(first.start, "expected a value");
            }
        }
        self.mark_nonblank();
        self.emit_tag("echo", at, false, &toks).map(|_| ())
    }

    /// `{%name P [flag] args %}`: `P` is the tag's offset in the original; a block also gets its
    /// blank flag, written as `1`, whose position in the output is returned.
    fn emit_tag(&mut self, name: &str, at: usize, block: bool, toks: &[Tok]) -> Res<usize> {
        self.anchor(at);
        let _ = write!(self.out, "{{%{name} {at}");
        let flag_at = self.out.len() + 1;
        if block {
            self.out.push_str(" 1");
        }
        self.emit(toks, matches!(name, "for" | "tablerow"))?;
        self.out.push_str(" %}");
        Ok(flag_at)
    }

    fn put(&mut self, tok: &Tok) {
        self.anchor(tok.start);
        let text = &self.src[tok.start..tok.end];
        self.out.push_str(text);
        // liquid-core panics on an integer literal that does not fit an i64: make it a float.
        if tok.t == T::Num && !text.contains('.') && text.parse::<i64>().is_err() {
            self.out.push_str(".0");
        }
    }

    /// Emits tag arguments in liquid-core's syntax, each token preceded by a space.
    fn emit(&mut self, toks: &[Tok], literal_range_after_in: bool) -> Res<()> {
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            self.out.push(' ');
            let after_value =
                i > 0 && matches!(toks[i - 1].t, T::Ident | T::Str | T::Num | T::RBr | T::RPar);
            if t.t == T::Pipe && !after_value {
                return fail(t.start, "expected a value before '|'");
            }
            match t.t {
                T::Ident | T::LBr => i = self.path(toks, i, 0)?,
                T::LPar => {
                    let literal = literal_range_after_in
                        && i > 0
                        && toks[i - 1].t == T::Ident
                        && &self.src[toks[i - 1].start..toks[i - 1].end] == "in";
                    i = self.range(toks, i, literal)?;
                }
                T::Str | T::Num | T::Colon | T::Comma | T::Op | T::Assign => {
                    self.put(&t);
                    i += 1;
                }
                T::Pipe => i = self.filter(toks, i)?,
                T::Dot => return fail(t.start, "unexpected '.'"),
                T::DotDot => return fail(t.start, "unexpected '..'"),
                T::RBr => return fail(t.start, "unexpected ']'"),
                T::RPar => return fail(t.start, "unexpected ')'"),
            }
        }
        Ok(())
    }

    /// `| name` or `| name: args`, checked against the filter's arity.
    fn filter(&mut self, toks: &[Tok], i: usize) -> Res<usize> {
        self.put(&toks[i]);
        let Some(name) = toks.get(i + 1).filter(|n| n.t == T::Ident) else {
            return fail(toks[i].start, "expected a filter name after '|'");
        };
        let fname = &self.src[name.start..name.end];
        let Some(arity) = (self.filters)(fname) else {
            return fail(name.start, format!("unknown filter '{fname}'"));
        };
        self.out.push(' ');
        self.put(name);
        let mut j = i + 2;
        let mut positional = 0;
        if let Some(colon) = toks.get(j).filter(|n| n.t == T::Colon) {
            self.put(colon);
            j += 1;
            loop {
                self.out.push(' ');
                let keyword = toks.get(j).is_some_and(|t| t.t == T::Ident)
                    && toks.get(j + 1).is_some_and(|t| t.t == T::Colon);
                if keyword {
                    let key = &self.src[toks[j].start..toks[j].end];
                    if !arity.keywords.contains(&key) {
                        return fail(
                            toks[j].start,
                            format!("'{fname}' has no argument named '{key}'"),
                        );
                    }
                    self.put(&toks[j]);
                    self.put(&toks[j + 1]);
                    self.out.push(' ');
                    j = self.value(toks, j + 2, 0)?;
                } else {
                    if toks.get(j).is_some_and(|t| t.t == T::LPar) {
                        return fail(toks[j].start, "a range cannot be a filter argument");
                    }
                    j = self.value(toks, j, 0)?;
                    positional += 1;
                }
                match toks.get(j) {
                    Some(t) if t.t == T::Comma => {
                        self.put(t);
                        j += 1;
                    }
                    _ => break,
                }
            }
        }
        if positional < arity.min || positional > arity.max {
            let expected = match (arity.min, arity.max) {
                (a, b) if a == b => format!("{a}"),
                (a, usize::MAX) => format!("at least {a}"),
                (a, b) => format!("{a} to {b}"),
            };
            let plural = if arity.max == 1 && arity.min == 1 {
                ""
            } else {
                "s"
            };
            return fail(
                name.start,
                format!("'{fname}' expects {expected} argument{plural}, got {positional}"),
            );
        }
        Ok(j)
    }

    /// A single value (literal or path) inside brackets or a range.
    fn value(&mut self, toks: &[Tok], i: usize, depth: usize) -> Res<usize> {
        match toks.get(i) {
            Some(t) if matches!(t.t, T::Str | T::Num) => {
                self.put(t);
                Ok(i + 1)
            }
            Some(t) if matches!(t.t, T::Ident | T::LBr) => self.path(toks, i, depth + 1),
            Some(t) => fail(t.start, "expected a value"),
            None => fail(toks.last().map_or(0, |t| t.end), "expected a value"),
        }
    }

    /// A variable path starting at `toks[i]` (a name or a root `[`).
    fn path(&mut self, toks: &[Tok], mut i: usize, depth: usize) -> Res<usize> {
        if depth > MAX_PATH_DEPTH {
            return fail(toks[i].start, "expression is nested too deeply");
        }
        let root = toks[i];
        let src = self.src;
        self.anchor(root.start);
        // The path's keys, with `Each` for an index (`None` once the rest cannot be known: the
        // value there is then read whole).
        let mut read: Option<Vec<Seg>> = Some(Vec::new());
        if root.t == T::Ident {
            let name = &self.src[root.start..root.end];
            if needs_brackets(name, true) {
                self.out.push_str(&format!("___['{name}']"));
            } else {
                self.out.push_str(name);
            }
            if let Some(r) = &mut read {
                r.push(Seg::Key(name.to_owned()));
            }
            i += 1;
        } else {
            self.out.push_str("___");
        }
        loop {
            match toks.get(i).map(|t| t.t) {
                Some(T::Dot) => {
                    let Some(name) = toks.get(i + 1).filter(|n| n.t == T::Ident) else {
                        return fail(toks[i].start, "expected a name after '.'");
                    };
                    let text = &self.src[name.start..name.end];
                    self.anchor(name.start);
                    if needs_brackets(text, false) {
                        self.out.push_str(&format!("['{text}']"));
                    } else {
                        self.out.push('.');
                        self.out.push_str(text);
                    }
                    read = self.extend(read, Some(text));
                    i += 2;
                }
                Some(T::LBr) => {
                    self.out.push('[');
                    // A string key is a key; a number or a path is an index (any element).
                    let key = match (toks.get(i + 1), toks.get(i + 2)) {
                        (Some(k), Some(close)) if k.t == T::Str && close.t == T::RBr => {
                            Some(&src[k.start + 1..k.end - 1])
                        }
                        _ => None,
                    };
                    read = match (read, key) {
                        // A root lookup by a computed name may read any root variable.
                        (Some(r), None) if r.is_empty() => {
                            self.reads.everything = true;
                            None
                        }
                        (r, key) => self.extend(r, key),
                    };
                    i = self.value(toks, i + 1, depth)?;
                    match toks.get(i) {
                        Some(t) if t.t == T::RBr => self.out.push(']'),
                        Some(t) => return fail(t.start, "expected ']'"),
                        None => return fail(toks[i - 1].end, "expected ']'"),
                    }
                    i += 1;
                }
                _ => {
                    if let Some(r) = read {
                        self.reads.add(r);
                    }
                    return Ok(i);
                }
            }
        }
    }

    /// A read path extended by a key (`None`: a computed index or key), or ended and recorded
    /// (`None` stays `None`). `size` ends the path (the value is read whole: an array's length, a
    /// hash's number of keys); `first`, `last` and an index are any element of an array (an
    /// object is read whole there, see [`Seg::Each`]).
    fn extend(&mut self, read: Option<Vec<Seg>>, key: Option<&str>) -> Option<Vec<Seg>> {
        let mut r = read?;
        match key {
            Some("size") => {
                self.reads.add(r);
                None
            }
            Some("first" | "last") | None => {
                r.push(Seg::Each);
                Some(r)
            }
            Some(k) => {
                r.push(Seg::Key(k.to_owned()));
                Some(r)
            }
        }
    }

    /// `(a..b)`: a literal range (a `for` target) or `nil | ___range: a, b`.
    fn range(&mut self, toks: &[Tok], i: usize, literal: bool) -> Res<usize> {
        self.anchor(toks[i].start);
        self.out
            .push_str(if literal { "(" } else { "nil | ___range: " });
        let mut j = self.value(toks, i + 1, 0)?;
        match toks.get(j) {
            Some(t) if t.t == T::DotDot => {}
            _ => return fail(toks[i].start, "expected a range like (1..5)"),
        }
        self.out.push_str(if literal { ".." } else { ", " });
        j = self.value(toks, j + 1, 0)?;
        match toks.get(j) {
            Some(t) if t.t == T::RPar => {}
            _ => return fail(toks[i].start, "expected ')' to close the range"),
        }
        if literal {
            self.out.push(')');
        } else if toks.get(j + 1).is_some_and(|t| t.t == T::Comma) {
            self.out.push_str(" | ___end");
        }
        Ok(j + 1)
    }
}

/// Whether a name must be written as a bracketed string for liquid-core's grammar.
fn needs_brackets(name: &str, root: bool) -> bool {
    name.ends_with('?')
        || (root
            && (name.starts_with("___")
                || LITERAL_PREFIXES
                    .iter()
                    .any(|p| name.len() > p.len() && name.starts_with(p))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(src: &str) -> String {
        let any = |_: &str| {
            Some(Arity {
                min: 0,
                max: 9,
                keywords: &["k"],
            })
        };
        match prepare(src, &any) {
            Ok(p) => p.text,
            Err(e) => format!("ERR@{}: {}", e.offset, e.message),
        }
    }

    #[test]
    fn output_becomes_echo_with_its_offset() {
        assert_eq!(prep("a{{ x }}b"), "a{%echo 1 x %}b");
        assert_eq!(
            prep("{{ x | f: 1, k: 'v' }}"),
            "{%echo 0 x | f: 1, k: 'v' %}"
        );
    }

    #[test]
    fn whitespace_around_dots_is_removed() {
        assert_eq!(
            prep("{% if widgets. \nget_reservation.parsed.count == 1%}y{% endif %}"),
            "{%if 0 0 widgets.get_reservation.parsed.count == 1 %}y{%endif %}"
        );
        assert_eq!(prep("{{ foo \n\t.bar }}"), "{%echo 0 foo.bar %}");
    }

    #[test]
    fn whitespace_control_is_applied_here() {
        assert_eq!(
            prep("a \t\n{%- assign x = 1 -%}\r\n b"),
            "a{%assign 4 x = 1 %}b"
        );
    }

    #[test]
    fn awkward_names_become_brackets() {
        assert_eq!(prep("{{ nil_value }}"), "{%echo 0 ___['nil_value'] %}");
        assert_eq!(prep("{{ a.b? }}"), "{%echo 0 a['b?'] %}");
        assert_eq!(prep("{{ ['x y'].z }}"), "{%echo 0 ___['x y'].z %}");
    }

    #[test]
    fn ranges_outside_for_become_a_filter() {
        assert_eq!(
            prep("{{ (1..3) | join }}"),
            "{%echo 0 nil | ___range: 1, 3 | join %}"
        );
        assert_eq!(
            prep("{% for i in (1..n) %}{% endfor %}"),
            "{%for 0 1 i in (1..n) %}{%endfor %}"
        );
    }

    #[test]
    fn blank_flag_is_patched_when_the_block_closes() {
        assert_eq!(
            prep("{% if a %} {{ b }} {% endif %}"),
            "{%if 0 0 a %} {%echo 11 b %} {%endif %}"
        );
    }

    #[test]
    fn structure_errors_have_positions() {
        assert_eq!(prep("x{% if a %}"), "ERR@1: 'if' tag was never closed");
        assert_eq!(prep("{% endfor %}"), "ERR@0: unexpected 'endfor'");
        assert_eq!(
            prep("{{ a b"),
            "ERR@0: output '{{' was never closed with '}}'"
        );
        assert_eq!(prep("{% nosuch %}"), "ERR@0: unknown tag 'nosuch'");
    }

    #[test]
    fn liquid_tag_expands_to_tags() {
        assert_eq!(
            prep("{% liquid\nassign x = 1\n# note\necho x %}"),
            "{%assign 10 x = 1 %}{%echo 30 x %}"
        );
        assert_eq!(
            prep("{% if true %}{% liquid endif %}"),
            "ERR@23: unexpected 'endif'"
        );
    }
}
