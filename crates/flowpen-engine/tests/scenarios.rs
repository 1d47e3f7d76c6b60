//! Engine scenarios as data: every `tests/scenarios/*.txt` is an exact transcript of an execution.
//!
//! Lines starting with `>>` are inputs; `#` lines are comments; `flow:` names the flow (a path
//! from the workspace root, or `corpus NAME` for a file of `../shared/fixtures/studio-flows`),
//! `subflow: KEY=FLOW` gives the project a subflow under a SID or a Run Subflow widget's name, and
//! `config:` overrides limits. Everything else is output the test regenerates: effects (`<<`), the
//! step log (`== steps`), the end (`== end`) and the final Flow Data (`== flow data`). The file must
//! equal the regenerated transcript; `UPDATE_GOLDEN=1` rewrites the outputs, keeping the inputs.
//!
//! Inputs: `start message from=… to=… body=… [media=…]`, `start rest from=… to=… parameters={…}`,
//! `start call from=… to=… [params={…}]`, `start conversation from=… to=… body=…`,
//! `start subflow from=… to=… parameters={…} [parent={…}]`, `reply body=… [media=…]`,
//! `http #N STATUS [type=…] [body=…]`, `http-error #N timeout|network|too-large message=…`,
//! `send-fail #N error=…` (instead of the automatic "sent" that follows every Send Message),
//! `played #N` (instead of the automatic "audio complete" that follows every Say/Play), `digits
//! KEYS`, `speech text=… [confidence=…]`, `record text=… [duration=S] [end=silence|hangup|max|KEY]`,
//! `hangup`, `event #N NAME [vars={…}]`, `wait MS` (time passes; timers fire), `timeout` (jump to
//! the next deadline), `stop`. Every input may end with `at=MS` (absolute time since the start);
//! otherwise time stands still.
//!
//! The debugger's: `start at WIDGET kind=message|rest|call|conversation|subflow data={…}` (a
//! mid-flow start), `breakpoints [WIDGET…]` (as a header line: the breakpoints at the start),
//! `continue`, `step`, `edit PATH=VALUE…` (Flow Data with those values set, while paused; a bare
//! VALUE is JSON when it can be: `n=5` is a number, `n="5"` a string) and
//! `rewind STEP` (the execution rebuilt from its recorded inputs at the first resting point after
//! step STEP; later inputs continue it).
//!
//! Every transcript is also replayed: the runner records every input it gives the engine (the
//! automatic "sent" and "audio complete" too) as data, and rebuilding the execution from those
//! inputs gives the same effects, steps and Flow Data after every input, and after any prefix.

use std::fmt::Write as _;
use std::path::Path;
use std::rc::Rc;

use flowpen_engine::replay::{replay_with, rewind};
use flowpen_engine::{
    Breakpoint, Config, Effect, Engine, ExternalOutcome, HttpResponse, InboundCall, InboundMessage,
    Input, InputError, MessageId, Recording, RecordingEnd, RequestId, Setup, SortedSet, Status,
    Step, StepDetail, SubflowStart, Subflows, TransportError, TransportErrorKind, Trigger,
    TriggerKind, WaitId,
};
use flowpen_flow::Flow;
use flowpen_testkit::{assert_golden, read_text, shared_dir, workspace_root};
use serde_json::Value;

/// 2026-01-01T00:00:00Z: scenario time 0.
const EPOCH_MS: u64 = 1_767_225_600_000;

/// A `>>` line of a transcript.
struct Line {
    verb: String,
    id: Option<u32>,
    positional: Vec<String>,
    args: Vec<(String, Value)>,
    /// The keys whose values were bare words (not JSON).
    bare: Vec<String>,
}

impl Line {
    fn arg(&self, key: &str) -> Option<&Value> {
        self.args.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn text(&self, key: &str) -> String {
        match self.arg(key) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }
}

/// Parses `verb [#id] [positional…] [key=value…]`; values are JSON strings, JSON objects/arrays or
/// bare words.
fn parse_line(line: &str) -> Line {
    let mut rest = line.trim();
    let mut words = Vec::new();
    let mut args = Vec::new();
    let mut bare = Vec::new();
    while !rest.is_empty() {
        let (key, after) = match rest.find(['=', ' ']) {
            Some(i) if rest.as_bytes()[i] == b'=' => (Some(&rest[..i]), &rest[i + 1..]),
            _ => (None, rest),
        };
        let (value, remaining): (Value, &str) = if after.starts_with(['"', '{', '[']) {
            let mut de = serde_json::Deserializer::from_str(after).into_iter::<Value>();
            let v = de
                .next()
                .and_then(Result::ok)
                .unwrap_or_else(|| panic!("bad JSON value in: {line}"));
            let used = de.byte_offset();
            (v, &after[used..])
        } else {
            let end = after.find(' ').unwrap_or(after.len());
            bare.extend(key.map(str::to_owned));
            (Value::String(after[..end].to_owned()), &after[end..])
        };
        match key {
            Some(k) => args.push((k.to_owned(), value)),
            None => words.push(value.as_str().unwrap_or_default().to_owned()),
        }
        rest = remaining.trim_start();
    }
    let verb = words.remove(0);
    let id = words
        .first()
        .and_then(|w| w.strip_prefix('#'))
        .and_then(|n| n.parse().ok());
    if id.is_some() {
        words.remove(0);
    }
    Line {
        verb,
        id,
        positional: words,
        args,
        bare,
    }
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// What can be seen of the execution after an input: the effects it made, the steps, where it
/// is, its Flow Data and its timer.
#[derive(Debug, PartialEq)]
struct Point {
    effects: Vec<Effect>,
    steps: Vec<Step>,
    status: Status,
    flow_data: Value,
    timeout: Option<u64>,
}

impl Point {
    /// The point the engine is at (its effects not drained yet: they are added as drained).
    fn of(engine: &Engine) -> Point {
        Point {
            effects: Vec::new(),
            steps: engine.steps().to_vec(),
            status: engine.status(),
            flow_data: engine.flow_data().clone(),
            timeout: engine.poll_timeout(),
        }
    }
}

struct Run {
    engine: Option<Engine>,
    out: String,
    now: u64,
    config: Config,
    flow: Flow,
    subflows: Subflows,
    breakpoints: SortedSet<Breakpoint>,
    /// Every input the engine took, with its time, and the point after the start and after each.
    log: Vec<(Input, u64)>,
    points: Vec<Point>,
}

impl Run {
    fn engine(&mut self) -> &mut Engine {
        self.engine
            .as_mut()
            .expect("the scenario starts with `>> start`")
    }

    /// Gives `input` to the engine and records it when taken.
    fn give(&mut self, input: Input, now: u64) -> Result<(), InputError> {
        self.engine().handle(input.clone(), now)?;
        self.log.push((input, now));
        let point = Point::of(self.engine());
        self.points.push(point);
        Ok(())
    }

    /// Gives `input`; a refusal is part of the transcript.
    fn give_or_note(&mut self, input: Input, now: u64) {
        if let Err(e) = self.give(input, now) {
            let _ = writeln!(self.out, "<< rejected: {e}");
        }
    }

    fn started(&mut self, engine: Engine) {
        self.points = vec![Point::of(&engine)];
        self.log.clear();
        self.engine = Some(engine);
    }

    /// Drains effects; Send Message is acknowledged as sent unless the next input fails it.
    fn drain(&mut self, next_input: Option<&Line>) {
        let now = EPOCH_MS + self.now;
        loop {
            let mut acked = false;
            while let Some(effect) = self.engine().poll_effect() {
                if let Some(p) = self.points.last_mut() {
                    p.effects.push(effect.clone());
                }
                let line = match &effect {
                    Effect::Send(m) => {
                        let media = m
                            .media_url
                            .as_deref()
                            .map(|u| format!(" media={}", q(u)))
                            .unwrap_or_default();
                        format!(
                            "send #{} {} to={} from={} body={}{media}",
                            m.id.0,
                            m.widget,
                            q(&m.to),
                            q(&m.from),
                            q(&m.body)
                        )
                    }
                    Effect::WaitForReply {
                        widget,
                        deadline_ms,
                    } => {
                        format!("wait {widget} until={}", deadline_ms - EPOCH_MS)
                    }
                    Effect::Http(r) => {
                        let headers: Vec<String> = r
                            .headers
                            .iter()
                            .map(|(k, v)| format!(" {k}={}", q(v)))
                            .collect();
                        let body = r
                            .body
                            .as_deref()
                            .map(|b| format!(" body={}", q(b)))
                            .unwrap_or_default();
                        format!(
                            "http #{} {} {} {}{}{body}",
                            r.id.0,
                            r.widget,
                            r.method,
                            r.url,
                            headers.concat()
                        )
                    }
                    Effect::SayPlay { id, widget, audio } => {
                        format!("say-play #{} {widget} {audio}", id.0)
                    }
                    Effect::Gather(g) => {
                        let mut line = format!(
                            "gather {} until={} timeout={}",
                            g.widget,
                            g.deadline_ms - EPOCH_MS,
                            g.timeout_s
                        );
                        if let Some(k) = g.finish_on_key {
                            line.push_str(&format!(" finish_on_key={}", q(&k.to_string())));
                        }
                        if let Some(n) = g.number_of_digits {
                            line.push_str(&format!(" number_of_digits={n}"));
                        }
                        match &g.speech {
                            Some(s) => line.push_str(&format!(
                                " speech={} hints={}",
                                s.language,
                                q(&s.hints.join(","))
                            )),
                            None => line.push_str(" speech=off"),
                        }
                        if let Some(p) = &g.prompt {
                            line.push_str(&format!(" prompt={}", q(&p.to_string())));
                        }
                        line
                    }
                    Effect::Record(r) => format!(
                        "record {} until={} max_length={} silence={} beep={} transcribe={}{}",
                        r.widget,
                        r.deadline_ms - EPOCH_MS,
                        r.max_length_s,
                        r.silence_timeout_s,
                        r.play_beep,
                        r.transcribe,
                        r.transcription_callback_url
                            .as_deref()
                            .map(|u| format!(" callback={}", q(u)))
                            .unwrap_or_default()
                    ),
                    Effect::External(x) => {
                        let mut line = format!(
                            "external #{} {} [{}] target={}: {}",
                            x.id.0,
                            x.widget,
                            x.widget_type,
                            q(&x.target),
                            x.summary
                        );
                        if let (Some(d), Some(e)) = (x.deadline_ms, &x.timeout_event) {
                            line.push_str(&format!(" (until={} then {e})", d - EPOCH_MS));
                        }
                        for e in &x.events {
                            let vars: serde_json::Map<String, Value> =
                                e.variables.iter().cloned().collect();
                            line.push_str(&format!(
                                "\n<<   {} ({}) {}",
                                e.event,
                                e.label,
                                Value::Object(vars)
                            ));
                        }
                        line
                    }
                    Effect::Ended(reason) => format!("end {reason}"),
                };
                let _ = writeln!(self.out, "<< {line}");
            }
            if let Status::Playing { audio, .. } = self.engine().status() {
                let explicit = next_input.is_some_and(|i| i.verb == "played" || i.verb == "hangup");
                if !explicit {
                    self.give(Input::AudioComplete(audio), now)
                        .expect("the engine waits for this audio");
                    // Its effects belong to it: drain them before anything else is given.
                    continue;
                }
            }
            if let Status::WaitingForSend { message, .. } = self.engine().status() {
                let failing =
                    next_input.is_some_and(|i| i.verb == "send-fail" && i.id == Some(message.0));
                if !failing {
                    self.give(Input::Sent(message), now)
                        .expect("the engine waits for this message");
                    acked = true;
                }
            }
            if !acked {
                if let Status::Paused { widget, reason } = self.engine().status() {
                    let _ = writeln!(self.out, "<< paused before {widget} ({reason})");
                }
                break;
            }
        }
    }

    fn apply(&mut self, input: &Line) {
        if let Some(at) = input
            .arg("at")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<u64>().ok())
        {
            self.now = at;
        }
        let now = EPOCH_MS + self.now;
        match input.verb.as_str() {
            "start" if input.positional.first().is_some_and(|p| p == "at") => {
                let widget = input.positional.get(1).expect("start at WIDGET");
                let kind = TriggerKind::ALL
                    .into_iter()
                    .find(|k| format!("{k:?}").eq_ignore_ascii_case(&input.text("kind")))
                    .expect("kind=message|rest|call|conversation|subflow");
                let data = input.arg("data").cloned().unwrap_or(Value::Null);
                let setup = Setup::at(self.flow.clone(), widget, data, kind)
                    .config(self.config.clone())
                    .subflows(self.subflows.clone())
                    .breakpoints(self.breakpoints.clone());
                match Engine::begin(setup, now) {
                    Ok(engine) => self.started(engine),
                    Err(e) => panic!("start at {widget}: {e}"),
                }
            }
            "start" => {
                let trigger = match input.positional.first().map(String::as_str) {
                    Some("message") => Trigger::Message(InboundMessage {
                        from: input.text("from"),
                        to: input.text("to"),
                        body: input.text("body"),
                        media_urls: input
                            .arg("media")
                            .map(|_| vec![input.text("media")])
                            .unwrap_or_default(),
                    }),
                    Some("rest") => Trigger::Rest {
                        from: input.text("from"),
                        to: input.text("to"),
                        parameters: input.arg("parameters").cloned().unwrap_or(Value::Null),
                    },
                    Some("call") => Trigger::Call(InboundCall {
                        from: input.text("from"),
                        to: input.text("to"),
                        parameters: match input.arg("params") {
                            Some(Value::Object(o)) => o
                                .iter()
                                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().into()))
                                .collect(),
                            _ => Vec::new(),
                        },
                    }),
                    Some("conversation") => Trigger::Conversation(InboundMessage {
                        from: input.text("from"),
                        to: input.text("to"),
                        body: input.text("body"),
                        media_urls: Vec::new(),
                    }),
                    Some("subflow") => Trigger::Subflow(SubflowStart {
                        contact: input.text("from"),
                        flow_address: input.text("to"),
                        parameters: input.arg("parameters").cloned().unwrap_or(Value::Null),
                        parent_trigger: input.arg("parent").cloned().unwrap_or(Value::Null),
                    }),
                    other => panic!("unknown trigger {other:?}"),
                };
                let setup = Setup::new(self.flow.clone(), trigger)
                    .config(self.config.clone())
                    .subflows(self.subflows.clone())
                    .breakpoints(self.breakpoints.clone());
                let engine = Engine::begin(setup, now).expect("a start at the Trigger");
                self.started(engine);
            }
            "reply" => {
                let (from, to) = self.engine().trigger().addresses();
                let message = InboundMessage {
                    from,
                    to,
                    body: input.text("body"),
                    media_urls: input
                        .arg("media")
                        .map(|_| vec![input.text("media")])
                        .unwrap_or_default(),
                };
                self.give_or_note(Input::Message(message), now);
            }
            "http" => {
                let status = input
                    .positional
                    .first()
                    .and_then(|s| s.parse().ok())
                    .expect("http #N STATUS");
                let mut headers = Vec::new();
                if input.arg("type").is_some() {
                    headers.push(("Content-Type".to_owned(), input.text("type")));
                }
                let response = HttpResponse {
                    status,
                    headers,
                    body: input.text("body"),
                };
                let request = RequestId(input.id.expect("http #N"));
                let response = Ok(response);
                self.give_or_note(Input::Http { request, response }, now);
            }
            "http-error" => {
                let kind = match input.positional.first().map(String::as_str) {
                    Some("timeout") => TransportErrorKind::Timeout,
                    Some("too-large") => TransportErrorKind::TooLarge,
                    _ => TransportErrorKind::Network,
                };
                let error = TransportError {
                    kind,
                    message: input.text("message"),
                };
                let request = RequestId(input.id.expect("http-error #N"));
                let response = Err(error);
                self.give_or_note(Input::Http { request, response }, now);
            }
            "send-fail" => {
                let message = MessageId(input.id.expect("send-fail #N"));
                let error = input.text("error");
                self.give_or_note(Input::SendFailure { message, error }, now);
            }
            "wait" => {
                let ms: u64 = input
                    .positional
                    .first()
                    .and_then(|s| s.parse().ok())
                    .expect("wait MS");
                self.now += ms;
                let now = EPOCH_MS + self.now;
                // Nothing due: time passed, and nothing happened.
                let _ = self.give(Input::Timeout, now);
            }
            "timeout" => {
                if let Some(deadline) = self.engine().poll_timeout() {
                    self.now = deadline - EPOCH_MS;
                    self.give(Input::Timeout, deadline)
                        .expect("the deadline is due");
                } else {
                    let _ = writeln!(self.out, "<< rejected: nothing waits for time");
                }
            }
            "played" => {
                let id = WaitId(input.id.expect("played #N"));
                self.give_or_note(Input::AudioComplete(id), now);
            }
            "digits" => {
                let keys = input.positional.first().cloned().unwrap_or_default();
                self.give_or_note(Input::Digits(keys), now);
            }
            "speech" => {
                let confidence = input
                    .arg("confidence")
                    .and_then(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_f64()))
                    .unwrap_or(0.9);
                let text = input.text("text");
                self.give_or_note(Input::Speech { text, confidence }, now);
            }
            "record" => {
                let ended_by = match input.text("end").as_str() {
                    "" | "silence" => RecordingEnd::Silence,
                    "hangup" => RecordingEnd::Hangup,
                    "max" => RecordingEnd::MaxLength,
                    key => RecordingEnd::Key(key.chars().next().unwrap_or('#')),
                };
                let recording = Recording {
                    transcript: input.text("text"),
                    duration_s: input
                        .arg("duration")
                        .map(|_| input.text("duration").parse().expect("duration in seconds")),
                    ended_by,
                };
                self.give_or_note(Input::Recording(recording), now);
            }
            "hangup" => self.give_or_note(Input::HangUp, now),
            "event" => {
                let id = WaitId(input.id.expect("event #N NAME"));
                let mut outcome =
                    ExternalOutcome::event(input.positional.first().expect("event #N NAME"));
                if let Some(Value::Object(vars)) = input.arg("vars") {
                    outcome.variables = vars.clone().into_iter().collect();
                }
                self.give_or_note(Input::External { wait: id, outcome }, now);
            }
            "stop" => self.give_or_note(Input::Stop, now),
            "continue" => self.give_or_note(Input::Continue, now),
            "step" => self.give_or_note(Input::Step, now),
            "breakpoints" => {
                let set = input.positional.iter().map(|w| Breakpoint::at(w)).collect();
                self.give_or_note(Input::Breakpoints(set), now);
            }
            "edit" => {
                let mut data = self.engine().flow_data().clone();
                for (path, value) in &input.args {
                    if path == "at" {
                        continue;
                    }
                    // A bare word is JSON (a number, true, null) when it can be.
                    let value = match value {
                        Value::String(s) if input.bare.contains(path) => {
                            serde_json::from_str(s).unwrap_or(value.clone())
                        }
                        other => other.clone(),
                    };
                    let mut cur = &mut data;
                    for key in path.split('.') {
                        cur = &mut cur[key];
                    }
                    *cur = value;
                }
                self.give_or_note(Input::SetFlowData(data), now);
            }
            "rewind" => {
                let step: usize = input
                    .positional
                    .first()
                    .and_then(|s| s.parse().ok())
                    .expect("rewind STEP");
                let engine = self.engine.as_ref().expect("started");
                let (setup, started) = (engine.setup().clone(), engine.started_ms());
                let rewound = rewind(&setup, started, &self.log, step, |_, e| {
                    while e.poll_effect().is_some() {}
                })
                .unwrap_or_else(|e| panic!("rewind {step}: {e}"));
                let total = self.log.len();
                self.log.truncate(rewound.used);
                self.points.truncate(rewound.used + 1);
                self.now = self.log.last().map_or(started, |(_, t)| *t) - EPOCH_MS;
                let _ = writeln!(
                    self.out,
                    "<< rewound to step {step}: replayed {} of {total} inputs; {}",
                    rewound.used,
                    match rewound.engine.status().widget() {
                        Some(w) => format!("at {w}"),
                        None => "ended".to_owned(),
                    }
                );
                self.engine = Some(rewound.engine);
            }
            other => panic!("unknown input verb {other:?}"),
        }
    }

    fn report(&mut self) {
        let engine = self.engine.as_ref().expect("the scenario started");
        let mut out = String::from("== steps\n");
        for s in engine.steps() {
            let arrow = match (&s.event, &s.next) {
                (None, Some(n)) if !s.is_widget_run() => format!("-> {n}"),
                (Some(e), Some(n)) => format!("{e} -> {n}"),
                (Some(e), None) => format!("{e} -> (end)"),
                (None, _) => "(no event)".to_owned(),
            };
            let scope = s
                .subflow
                .as_ref()
                .map(|r| format!(" (subflow of {} #{})", r.widget, r.run))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{} {} [{}]{scope} {arrow}: {} (t={})",
                s.index,
                s.widget,
                s.widget_type,
                s.outcome,
                s.ended_ms - EPOCH_MS
            );
            for (k, v) in &s.inputs {
                let _ = writeln!(out, "    {k}: {}", q(v));
            }
            if let StepDetail::Split { comparisons, .. } = &s.detail {
                for c in comparisons {
                    let note = c
                        .note
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "    compare #{} {} {}: {}{note}",
                        c.transition,
                        c.kind,
                        q(&c.value),
                        if c.matched { "yes" } else { "no" }
                    );
                }
            }
            for c in &s.changes {
                let _ = writeln!(out, "    set {} = {}", c.path.join("."), c.value);
            }
        }
        let _ = writeln!(out, "== end");
        let _ = match engine.status() {
            Status::Ended(reason) => writeln!(out, "{reason}"),
            other => writeln!(out, "still running: {other:?}"),
        };
        let _ = writeln!(out, "== flow data");
        out.push_str(&serde_json::to_string_pretty(engine.flow_data()).unwrap_or_default());
        out.push('\n');
        self.out.push_str(&out);
    }
}

fn load_flow(spec: &str) -> Option<Flow> {
    let path = match spec.strip_prefix("corpus ") {
        Some(name) => shared_dir("engine scenarios")?
            .join("fixtures/studio-flows")
            .join(name.trim()),
        None => workspace_root().join(spec.trim()),
    };
    let text = read_text(&path);
    Some(Flow::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn parse_config(line: &str, config: &mut Config) {
    for part in line.split_whitespace() {
        let (k, v) = part.split_once('=').expect("config: key=value");
        let n: u64 = v.parse().expect("a number");
        match k {
            "max_runs" => config.max_runs_per_widget = n as u32,
            "max_steps" => config.max_steps = n as u32,
            "http_timeout_ms" => config.http_timeout_ms = n,
            "max_response_bytes" => config.max_response_bytes = n as usize,
            other => panic!("unknown config {other}"),
        }
    }
}

/// Replays one scenario file and returns the regenerated transcript (`None`: skipped).
fn run_scenario(text: &str) -> Option<String> {
    let mut config = Config::default();
    let mut flow = None;
    let mut subflows = Subflows::new();
    let mut breakpoints = SortedSet::new();
    let mut header = String::new();
    // Each input with the comment lines written just before it.
    let mut inputs: Vec<(String, Line)> = Vec::new();
    let mut pending_comments = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(">> ") {
            inputs.push((format!("{pending_comments}{line}\n"), parse_line(rest)));
            pending_comments.clear();
        } else if line.starts_with("== ") {
            break;
        } else if line.starts_with("<< ") {
            continue;
        } else if inputs.is_empty() {
            if let Some(spec) = line.strip_prefix("flow: ") {
                flow = Some(load_flow(spec)?);
            } else if let Some(spec) = line.strip_prefix("subflow: ") {
                let (key, spec) = spec.split_once('=').expect("subflow: KEY=FLOW");
                subflows.insert(key.trim(), Rc::new(load_flow(spec)?));
            } else if let Some(c) = line.strip_prefix("config: ") {
                parse_config(c, &mut config);
            } else if let Some(b) = line.strip_prefix("breakpoints: ") {
                breakpoints = b.split_whitespace().map(Breakpoint::at).collect();
            }
            let _ = writeln!(header, "{line}");
        } else {
            let _ = writeln!(pending_comments, "{line}");
        }
    }
    let mut run = Run {
        engine: None,
        out: header,
        now: 0,
        config,
        flow: flow.expect("the scenario names its flow"),
        subflows,
        breakpoints,
        log: Vec::new(),
        points: Vec::new(),
    };
    for i in 0..inputs.len() {
        run.out.push_str(&inputs[i].0);
        run.apply(&inputs[i].1);
        run.drain(inputs.get(i + 1).map(|(_, x)| x));
    }
    run.report();
    check_replay(&run);
    Some(run.out)
}

/// Rebuilding the execution from its recorded inputs gives the same point after every input
/// (effects included), and replaying any prefix on its own gives the point the run had there.
fn check_replay(run: &Run) {
    let engine = run.engine.as_ref().expect("started");
    let (setup, started) = (engine.setup(), engine.started_ms());
    let name = run.out.lines().next().unwrap_or_default().to_owned();
    let replayed = replay_with(setup, started, &run.log, |i, e| {
        let mut point = Point::of(e);
        point.effects = std::iter::from_fn(|| e.poll_effect()).collect();
        let k = i.map_or(0, |i| i + 1);
        same(
            &point,
            &run.points[k],
            &format!("{name}: after input {k} on replay"),
        );
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(replayed.steps(), engine.steps(), "{name}");
    assert_eq!(replayed.flow_data(), engine.flow_data(), "{name}");
    for k in 0..=run.log.len() {
        let e = flowpen_engine::replay(setup, started, &run.log[..k])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut point = Point::of(&e);
        point.effects = run.points[k].effects.clone();
        same(
            &point,
            &run.points[k],
            &format!("{name}: the prefix of {k} inputs"),
        );
    }
}

/// Compares two points part by part (for a readable failure).
fn same(a: &Point, b: &Point, what: &str) {
    assert_eq!(a.effects, b.effects, "{what}: effects");
    assert_eq!(a.status, b.status, "{what}: status");
    assert_eq!(a.steps.len(), b.steps.len(), "{what}: steps");
    assert_eq!(a.steps, b.steps, "{what}: steps");
    assert_eq!(a.flow_data, b.flow_data, "{what}: Flow Data");
    assert_eq!(a.timeout, b.timeout, "{what}: timeout");
}

#[test]
fn scenarios_match_their_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut ran = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
    {
        let text = std::fs::read_to_string(path).expect("read scenario");
        let Some(out) = run_scenario(&text) else {
            continue;
        };
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .expect("inside the crate");
        assert_golden(env!("CARGO_MANIFEST_DIR"), &rel.to_string_lossy(), &out);
        ran += 1;
    }
    assert!(ran >= 1, "no scenario ran");
}
