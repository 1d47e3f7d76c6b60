//! Twilio Studio's Liquid dialect on the `liquid` crate (its engine, `liquid-core`; no fork).
//!
//! [`Liquid`] parses a template once (cached by source), renders it against a JSON context and
//! reports typed errors with a line and column. [`Mode::Studio`] is what flows use: lenient
//! lookups, loops capped at 15 iterations, output capped at 16 KB, dates in Pacific time, bare
//! objects printed like Studio (`{k1=v1, k2=v2}`). [`Mode::Standard`] is Shopify Liquid without
//! Studio's caps, for conformance with the golden-liquid suite.
//!
//! Every render in either mode also has a work budget ([`Config::work_limit`]): work in proportion
//! to data (bytes built, values copied or compared, iterations) is charged before it is done, and a
//! render that would go past the budget ends with [`ErrorKind::TooMuchWork`].
//! [`Liquid::render_with_stats`] reports the work a render did.
//!
//! Modules: `source` (Ruby Liquid's lexical rules in front of liquid-core's grammar), `tags` and
//! `filters` (everything registered through liquid-core's extension points), `runtime` (lenient
//! lookups, scopes, limits), `value` (ordered values, printing, comparisons), `date`.
//!
//! **Architecture Invariant:** pure: no IO, and no clock (time is injected by the caller).
//!
//! **Architecture Invariant:** no input panics: every template, context and clock value gives
//! output or a [`TemplateError`].
//!
//! **Architecture Invariant:** every render is bounded: it does at most [`Config::work_limit`]
//! units of work, each charged before it is done.

mod budget;
pub mod calendar;
mod date;
mod error;
mod filters;
mod reads;
mod runtime;
mod source;
mod tags;
mod value;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use liquid_core::Language;

use crate::error::{clean_message, payload, pest_position};
pub use crate::error::{ErrorKind, TemplateError};
pub use crate::reads::{Reads, Seg};
use crate::runtime::{Limited, Partials, Scope, Shared};

/// Which dialect to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Twilio Studio: Pacific time, Studio's printing of objects, caps from [`Config`].
    Studio,
    /// Shopify Liquid (UTC, Ruby's printing), for conformance.
    Standard,
}

/// Rendering options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub mode: Mode,
    /// Iterations after which a `for`/`tablerow` loop stops (Studio: 15). With a limit, one render
    /// also stops with an error after 10,000 loop iterations in total (nested loops).
    pub loop_limit: Option<usize>,
    /// Largest output in bytes (Studio: 16 KB). With a limit, strings and arrays built while
    /// rendering are capped at 64 times it.
    pub output_limit: Option<usize>,
}

impl Config {
    /// The work budget of one render in this mode, in units of about a byte copied (see
    /// `budget`): 16 Mi in Studio mode, 64 Mi in standard mode.
    pub fn work_limit(&self) -> u64 {
        match self.mode {
            Mode::Studio => budget::STUDIO_WORK,
            Mode::Standard => budget::STANDARD_WORK,
        }
    }

    /// What flows use.
    pub fn studio() -> Config {
        Config {
            mode: Mode::Studio,
            loop_limit: Some(15),
            output_limit: Some(16 * 1024),
        }
    }

    /// Shopify semantics without Studio's caps.
    pub fn standard() -> Config {
        Config {
            mode: Mode::Standard,
            loop_limit: None,
            output_limit: None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::studio()
    }
}

/// A parsed template.
#[derive(Debug)]
pub(crate) struct Compiled {
    template: liquid_core::Template,
    /// Work of rendering its elements, before the data they touch (see `tags::Body`).
    steps: u64,
    /// What it can read of its context.
    reads: Reads,
}

impl Compiled {
    /// Renders with the work of its elements charged first.
    pub(crate) fn render_to(
        &self,
        writer: &mut dyn std::io::Write,
        runtime: &dyn liquid_core::Runtime,
        budget: &budget::Budget,
    ) -> liquid_core::Result<()> {
        budget.charge(self.steps, budget::Site::Tag("template"))?;
        liquid_core::Renderable::render_to(&self.template, writer, runtime)
    }
}

/// What a render did (see [`Liquid::render_with_stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Units of work charged to the render's budget (and granted).
    pub work: u64,
    /// The budget: [`Config::work_limit`] of the service's configuration, unless
    /// [`Liquid::with_work_limit`] chose another.
    pub work_limit: u64,
    /// Loop iterations.
    pub iterations: u64,
}

type Parsed = Rc<Result<Rc<Compiled>, TemplateError>>;

/// How many parsed templates a [`Liquid`] keeps.
const CACHE_SIZE: usize = 512;

/// The parser (built once) and what it needs to prepare templates.
struct Engine {
    language: Language,
    filters: Vec<filters::Def>,
}

impl Engine {
    fn new() -> Engine {
        let mut language = Language::empty();
        tags::register(&mut language);
        filters::register(&mut language);
        Engine {
            language,
            filters: filters::all(),
        }
    }

    fn compile(&self, source: &str) -> Result<Compiled, TemplateError> {
        let table = |name: &str| filters::arity(&self.filters, name);
        let prepared = source::prepare(source, &table)
            .map_err(|e| TemplateError::at(ErrorKind::Syntax, e.message, source, e.offset))?;
        let elements = liquid_core::parser::parse(&prepared.text, &self.language).map_err(|e| {
            let offset = match payload(&e).and_then(|p| p.offset) {
                Some(offset) => offset,
                None => pest_position(&e)
                    .map(|(line, col)| {
                        prepared.original_offset(byte_offset(&prepared.text, line, col))
                    })
                    .unwrap_or(0),
            };
            let message = payload(&e).map_or_else(|| clean_message(&e), |p| p.message.clone());
            TemplateError::at(ErrorKind::Syntax, message, source, offset)
        })?;
        Ok(Compiled {
            steps: budget::units(elements.len(), budget::STEP),
            template: liquid_core::Template::new(elements),
            reads: prepared.reads,
        })
    }
}

/// The byte offset of a 1-based line and column (in characters).
fn byte_offset(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// Templates whose sampled hashes collide.
type Bucket = Vec<(Rc<str>, Parsed)>;

/// A bounded cache of parsed templates keyed by source. Lookups hash a sample of the source (its
/// length, ends and a spread of bytes) and then compare the whole source, so a hit on a long
/// template costs a `memcmp` rather than a full hash.
#[derive(Default)]
struct Cache {
    map: HashMap<u64, Bucket, BuildHasherDefault<Prehashed>>,
    /// Insertion order, for eviction.
    order: VecDeque<(u64, Rc<str>)>,
}

impl Cache {
    fn get(&self, key: u64, template: &str) -> Option<Parsed> {
        let bucket = self.map.get(&key)?;
        bucket
            .iter()
            .find(|(source, _)| &**source == template)
            .map(|(_, p)| Rc::clone(p))
    }

    fn insert(&mut self, key: u64, template: &str, parsed: Parsed) {
        if self.order.len() >= CACHE_SIZE {
            if let Some((old_key, old)) = self.order.pop_front() {
                if let Some(bucket) = self.map.get_mut(&old_key) {
                    bucket.retain(|(source, _)| !Rc::ptr_eq(source, &old));
                    if bucket.is_empty() {
                        self.map.remove(&old_key);
                    }
                }
            }
        }
        let source: Rc<str> = Rc::from(template);
        self.order.push_back((key, Rc::clone(&source)));
        self.map.entry(key).or_default().push((source, parsed));
    }

    fn len(&self) -> usize {
        self.order.len()
    }
}

/// A hash of a template from its length and at most 192 of its bytes (FxHash's mixing).
fn sample_hash(template: &str) -> u64 {
    let b = template.as_bytes();
    let mut h: u64 = b.len() as u64;
    let mut mix = |x: u64| h = (h.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    if b.len() <= 192 {
        b.iter().for_each(|&x| mix(u64::from(x)));
    } else {
        b[..64].iter().for_each(|&x| mix(u64::from(x)));
        b[b.len() - 64..].iter().for_each(|&x| mix(u64::from(x)));
        let step = (b.len() - 128) / 64;
        (0..64).for_each(|i| mix(u64::from(b[64 + i * step])));
    }
    h
}

/// A `Hasher` for keys that are already hashes.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Partial templates by name, parsed on first use.
struct PartialLibrary {
    engine: Rc<Engine>,
    sources: HashMap<String, String>,
    parsed: RefCell<HashMap<String, Result<Rc<Compiled>, TemplateError>>>,
}

impl Partials for PartialLibrary {
    fn load(&self, name: &str) -> Option<Result<Rc<Compiled>, TemplateError>> {
        if let Some(done) = self.parsed.borrow().get(name) {
            return Some(done.clone());
        }
        let source = self.sources.get(name)?;
        let result = self.engine.compile(source).map(Rc::new);
        self.parsed
            .borrow_mut()
            .insert(name.to_owned(), result.clone());
        Some(result)
    }
}

/// A render context read from JSON text straight into the renderer's values (a top-level value
/// that is not an object is an empty context, as for [`Liquid::render`]). Reading it costs what
/// `serde_json` costs to read the text, without building a `serde_json::Value` first.
pub struct Context {
    root: Rc<value::Obj>,
}

impl Context {
    /// Reads `text` (JSON; `serde_json`'s nesting limit applies).
    pub fn from_json_text(text: &str) -> Result<Context, serde_json::Error> {
        let root = match serde_json::from_str::<value::Val>(text)? {
            value::Val::Object(o) => o,
            _ => Rc::new(value::Obj::default()),
        };
        Ok(Context { root })
    }
}

/// The template service: parse once, cache by source, render against a JSON context.
pub struct Liquid {
    config: Config,
    /// The work budget of one render (by default [`Config::work_limit`]).
    work_limit: u64,
    engine: Rc<Engine>,
    cache: RefCell<Cache>,
    partials: Option<Rc<PartialLibrary>>,
}

impl Liquid {
    pub fn new(config: Config) -> Liquid {
        Liquid {
            config,
            work_limit: config.work_limit(),
            engine: Rc::new(Engine::new()),
            cache: RefCell::new(Cache::default()),
            partials: None,
        }
    }

    /// Studio mode, as flows use it.
    pub fn studio() -> Liquid {
        Liquid::new(Config::studio())
    }

    /// A service whose `include` and `render` tags find these partial templates (name → source).
    pub fn with_partials(
        config: Config,
        partials: impl IntoIterator<Item = (String, String)>,
    ) -> Liquid {
        let mut liquid = Liquid::new(config);
        liquid.partials = Some(Rc::new(PartialLibrary {
            engine: Rc::clone(&liquid.engine),
            sources: partials.into_iter().collect(),
            parsed: RefCell::new(HashMap::new()),
        }));
        liquid
    }

    /// The same service with another work budget per render (a smaller one for tests that
    /// exhaust it many times; flows keep their mode's).
    pub fn with_work_limit(mut self, work_limit: u64) -> Liquid {
        self.work_limit = work_limit;
        self
    }

    /// The configuration this service renders with.
    pub fn config(&self) -> Config {
        self.config
    }

    /// Parses only (uses the cache). `Err` is a syntax error with its position.
    pub fn check(&self, template: &str) -> Result<(), TemplateError> {
        self.parsed(template)
            .as_ref()
            .as_ref()
            .map(|_| ())
            .map_err(Clone::clone)
    }

    /// What a render of `template` can read of its context (see [`Reads`]), with every partial's
    /// reads when the service has partials. `Err` is the template's syntax error.
    pub fn reads(&self, template: &str) -> Result<Reads, TemplateError> {
        let parsed = self.parsed(template);
        let compiled = parsed.as_ref().as_ref().map_err(Clone::clone)?;
        let mut reads = compiled.reads.clone();
        if let Some(partials) = &self.partials {
            let mut names: Vec<&String> = partials.sources.keys().collect();
            names.sort();
            for name in names {
                if let Some(Ok(p)) = partials.load(name) {
                    reads.extend(&p.reads);
                }
            }
            reads.normalize();
        }
        Ok(reads)
    }

    fn parsed(&self, template: &str) -> Parsed {
        let key = sample_hash(template);
        if let Some(hit) = self.cache.borrow().get(key, template) {
            return hit;
        }
        let parsed: Parsed = Rc::new(self.engine.compile(template).map(Rc::new));
        self.cache
            .borrow_mut()
            .insert(key, template, Rc::clone(&parsed));
        parsed
    }

    /// Renders against a JSON context. `now_ms` is Unix time in milliseconds, used for
    /// `now`/`today`.
    pub fn render(
        &self,
        template: &str,
        context: &serde_json::Value,
        now_ms: i64,
    ) -> Result<String, TemplateError> {
        self.render_with_stats(template, context, now_ms).0
    }

    /// [`Liquid::render`], and what the render did: the work its budget was charged (parsing is
    /// not part of it) and its loop iterations.
    pub fn render_with_stats(
        &self,
        template: &str,
        context: &serde_json::Value,
        now_ms: i64,
    ) -> (Result<String, TemplateError>, RenderStats) {
        self.render_in(template, now_ms, |shared| Scope::new(context, shared))
    }

    /// Renders against a [`Context`] (JSON text read straight into the renderer's values): the
    /// same output as [`Liquid::render`] against that JSON, without a `serde_json::Value` in
    /// between (the npm package renders this way).
    pub fn render_context(
        &self,
        template: &str,
        context: &Context,
        now_ms: i64,
    ) -> Result<String, TemplateError> {
        self.render_in(template, now_ms, |shared| {
            Scope::over(&context.root, shared)
        })
        .0
    }

    fn render_in<'c>(
        &self,
        template: &str,
        now_ms: i64,
        scope: impl FnOnce(Rc<Shared>) -> Scope<'c>,
    ) -> (Result<String, TemplateError>, RenderStats) {
        let parsed = self.parsed(template);
        let compiled = match parsed.as_ref() {
            Ok(c) => Rc::clone(c),
            Err(e) => {
                let stats = RenderStats {
                    work_limit: self.work_limit,
                    ..RenderStats::default()
                };
                return (Err(e.clone()), stats);
            }
        };
        let shared = Rc::new(Shared {
            mode: self.config.mode,
            loop_limit: self.config.loop_limit,
            output_limit: self.config.output_limit,
            now_ms,
            iterations: Cell::new(0),
            budget: budget::Budget::new(self.work_limit),
            cursor: Cell::new(0),
            partial_depth: Cell::new(0),
            partials: self.partials.clone().map(|p| p as Rc<dyn Partials>),
        });
        let result = self.run(template, &compiled, scope(Rc::clone(&shared)), &shared);
        let stats = RenderStats {
            work: shared.budget.used(),
            work_limit: shared.budget.limit(),
            iterations: shared.iterations.get(),
        };
        (result, stats)
    }

    fn run(
        &self,
        template: &str,
        compiled: &Compiled,
        scope: Scope<'_>,
        shared: &Rc<Shared>,
    ) -> Result<String, TemplateError> {
        let mut buf = Vec::with_capacity(template.len() + 64);
        let mut writer = Limited::new(&mut buf, self.config.output_limit, &shared.budget);
        let result = compiled.render_to(&mut writer, &scope, &shared.budget);
        // Where the render stopped: the error's own offset, else the last tag or output started.
        let stopped_at = || {
            result
                .as_ref()
                .err()
                .and_then(|e| payload(e))
                .and_then(|p| p.offset)
                .unwrap_or_else(|| shared.cursor.get())
        };
        // A refusal of the budget ends the render even when the path that met it could not report
        // it (a lookup through `try_get`, a write whose error became another one).
        if let Some(message) = shared.budget.refusal() {
            return Err(TemplateError::at(
                ErrorKind::TooMuchWork,
                message,
                template,
                stopped_at(),
            ));
        }
        if writer.exceeded {
            let limit = self.config.output_limit.unwrap_or(0);
            let offset = stopped_at();
            return Err(TemplateError::at(
                ErrorKind::OutputTooLarge,
                format!("output exceeds the {} limit", human_size(limit)),
                template,
                offset,
            ));
        }
        if let Err(e) = result {
            let (kind, message, offset) = match payload(&e) {
                Some(p) => (p.kind, p.message.clone(), p.offset),
                None => (ErrorKind::Render, clean_message(&e), None),
            };
            let offset = offset.unwrap_or_else(|| shared.cursor.get());
            return Err(TemplateError::at(kind, message, template, offset));
        }
        Ok(String::from_utf8(buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }
}

/// `16 KB`, `1000 bytes`.
fn human_size(bytes: usize) -> String {
    if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

impl Default for Liquid {
    fn default() -> Self {
        Liquid::studio()
    }
}

impl std::fmt::Debug for Liquid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Liquid")
            .field("config", &self.config)
            .field("cached", &self.cache.borrow().len())
            .finish()
    }
}
