//! Tags and blocks, registered through liquid-core's `ParseTag`/`ParseBlock` extension points.
//!
//! Source preparation gives every tag the offset of its markup in the original template as its
//! first argument and every block a "blank body" flag as its second (see `source`); [`TagDef`] and
//! [`BlockDef`] read them so that each parser receives a [`Head`]. Render errors are located at the
//! tag that raised them.

/// liquid-core's `Renderable` requires `Debug`, and a trait object's vtable keeps that code in
/// the app whether or not anything prints it: a rendered tag's `Debug` prints its name only (the
/// derived ones pulled in every field's, ≈ 1 kB gzip; tests/known/SIZE-NOTES.md).
macro_rules! debug_by_name {
    ($($tag:ident),+) => {
        $(impl std::fmt::Debug for $tag {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(stringify!($tag))
            }
        })+
    };
}

mod cond;
mod loops;
mod partial;
mod simple;

use std::io::Write;

use liquid_core::error::Result;
use liquid_core::parser::{
    BlockElement, BlockReflection, FilterChain, ParseBlock, ParseTag, TagBlock, TagReflection,
    TagToken, TagTokenIter, TryMatchToken,
};
use liquid_core::runtime::Template;
use liquid_core::{Language, Renderable, Runtime};

use crate::budget::{units, Budget, Site, STEP};
use crate::error::{locate, syntax_error};
use crate::value::{kind, Kind};

/// A block's body, which charges the work of rendering its elements ([`STEP`] each) before every
/// render: tags charge only for the data they touch.
#[derive(Debug)]
pub(crate) struct Body {
    template: Template,
    steps: u64,
    tag: &'static str,
}

impl Body {
    pub fn new(items: Vec<Box<dyn Renderable>>, tag: &'static str) -> Body {
        Body {
            steps: units(items.len(), STEP),
            template: Template::new(items),
            tag,
        }
    }

    /// Charges the work of rendering the elements once; a refusal is located at `at`, the block.
    pub fn charge(&self, budget: &Budget, at: usize) -> Result<()> {
        budget
            .charge(self.steps, Site::Tag(self.tag))
            .map_err(|e| locate(e, at))
    }

    /// The elements, to render after [`Body::charge`].
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// Charges, then renders (errors from the elements keep their own positions).
    pub fn render(
        &self,
        writer: &mut dyn Write,
        runtime: &dyn Runtime,
        budget: &Budget,
        at: usize,
    ) -> Result<()> {
        self.charge(budget, at)?;
        self.template.render_to(writer, runtime)
    }
}

/// Where a tag is and whether its block body is blank.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Head {
    pub at: usize,
    pub blank: bool,
}

type TagParse = fn(Head, TagTokenIter<'_>, &Language) -> Result<Box<dyn Renderable>>;
type BlockParse =
    fn(Head, TagTokenIter<'_>, TagBlock<'_, '_>, &Language) -> Result<Box<dyn Renderable>>;

#[derive(Clone)]
struct TagDef {
    name: &'static str,
    /// Internal tags carry no offset.
    positioned: bool,
    parse: TagParse,
}

#[derive(Clone)]
struct BlockDef {
    start: &'static str,
    end: &'static str,
    parse: BlockParse,
}

impl TagReflection for TagDef {
    fn tag(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        ""
    }
}

impl ParseTag for TagDef {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let at = if self.positioned {
            offset(&mut arguments)?
        } else {
            0
        };
        (self.parse)(Head { at, blank: false }, arguments, options)
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

impl BlockReflection for BlockDef {
    fn start_tag(&self) -> &str {
        self.start
    }
    fn end_tag(&self) -> &str {
        self.end
    }
    fn description(&self) -> &str {
        ""
    }
}

impl ParseBlock for BlockDef {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        block: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let at = offset(&mut arguments)?;
        let blank = offset(&mut arguments)? == 1;
        (self.parse)(Head { at, blank }, arguments, block, options)
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// Registers every tag and block.
pub(crate) fn register(language: &mut Language) {
    let tags: [(&'static str, TagParse); 9] = [
        ("echo", simple::echo),
        ("assign", simple::assign),
        ("increment", simple::increment),
        ("decrement", simple::decrement),
        ("cycle", simple::cycle),
        ("break", simple::break_),
        ("continue", simple::continue_),
        ("include", partial::include),
        ("render", partial::render),
    ];
    let internal: [(&'static str, TagParse); 2] =
        [("__raw", simple::raw), ("__comment", simple::comment)];
    for (positioned, (name, parse)) in tags
        .map(|t| (true, t))
        .into_iter()
        .chain(internal.map(|t| (false, t)))
    {
        let def = TagDef {
            name,
            positioned,
            parse,
        };
        language.tags.register(name.to_owned(), Box::new(def));
    }
    let blocks: [(&'static str, &'static str, BlockParse); 7] = [
        ("if", "endif", cond::if_),
        ("unless", "endunless", cond::unless),
        ("case", "endcase", cond::case),
        ("for", "endfor", loops::for_),
        ("tablerow", "endtablerow", loops::tablerow),
        ("capture", "endcapture", simple::capture),
        ("ifchanged", "endifchanged", simple::ifchanged),
    ];
    for (start, end, parse) in blocks {
        let def = BlockDef { start, end, parse };
        language.blocks.register(start.to_owned(), Box::new(def));
    }
}

/// The integer that source preparation put first in a tag.
fn offset(tokens: &mut TagTokenIter<'_>) -> Result<usize> {
    let malformed = || syntax_error("malformed tag", 0);
    let token = tokens.next().ok_or_else(malformed)?;
    match token.expect_literal() {
        TryMatchToken::Matches(v) => match kind(&v) {
            Kind::Int(i) if i >= 0 => Ok(i as usize),
            _ => Err(malformed()),
        },
        TryMatchToken::Fails(_) => Err(malformed()),
    }
}

/// A value with optional filters.
fn chain(token: TagToken<'_>, options: &Language, at: usize) -> Result<FilterChain> {
    let text = token.as_str().to_owned();
    match token.expect_filter_chain(options) {
        TryMatchToken::Matches(c) => Ok(c),
        TryMatchToken::Fails(_) => Err(syntax_error(
            format!("expected a value, found '{}'", shown(&text)),
            at,
        )),
    }
}

/// The next token as a value, or an error naming what was expected.
fn next_chain(
    tokens: &mut TagTokenIter<'_>,
    options: &Language,
    at: usize,
    what: &str,
) -> Result<FilterChain> {
    match tokens.next() {
        Some(t) => chain(t, options, at),
        None => Err(syntax_error(format!("expected {what}"), at)),
    }
}

/// Rejects anything left in a tag.
fn nothing_more(tokens: &mut TagTokenIter<'_>, at: usize) -> Result<()> {
    match tokens.next() {
        Some(t) => Err(syntax_error(
            format!("unexpected '{}'", shown(t.as_str())),
            at,
        )),
        None => Ok(()),
    }
}

/// A token's text as the user wrote it (undoing source preparation's rewrites).
fn shown(text: &str) -> String {
    let text = text.strip_prefix("nil | ___range: ").map_or_else(
        || text.to_owned(),
        |r| format!("({})", r.replacen(", ", "..", 1)),
    );
    match text.strip_prefix("___") {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// A name (assign target, loop variable…): a plain identifier, or one that source preparation put
/// in brackets because the grammar cannot spell it (`x?`) when `awkward` is allowed.
fn name(token: &TagToken<'_>, awkward: bool) -> Option<String> {
    let text = token.as_str();
    let plain = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        return Some(text.to_owned());
    }
    if awkward {
        let inner = text.strip_prefix("___[")?.strip_suffix(']')?;
        let unquoted = inner
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))?;
        return Some(unquoted.to_owned());
    }
    None
}

/// Parses a block body up to one of `stops` (returned with its tokens) or the end of the block.
/// Whitespace-only text is dropped when the block is blank.
#[allow(clippy::type_complexity)]
fn body<'a>(
    block: &mut TagBlock<'a, '_>,
    options: &Language,
    stops: &[&str],
    blank: bool,
) -> Result<(Vec<Box<dyn Renderable>>, Option<(String, TagTokenIter<'a>)>)> {
    let mut items: Vec<Box<dyn Renderable>> = Vec::new();
    loop {
        match block.next()? {
            None => return Ok((items, None)),
            Some(BlockElement::Tag(tag)) if stops.contains(&tag.name()) => {
                let name = tag.name().to_owned();
                return Ok((items, Some((name, tag.into_tokens()))));
            }
            Some(BlockElement::Raw(raw)) => {
                if !(blank
                    && raw
                        .as_str()
                        .bytes()
                        .all(|b| b.is_ascii_whitespace() || b == 0x0b))
                {
                    items.push(raw.into_renderable());
                }
            }
            Some(element) => items.push(element.parse(block, options)?),
        }
    }
}
