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

use std::fmt::Write as _;
use std::path::Path;

use std::rc::Rc;

use flowpen_engine::{
    Config, Effect, Engine, ExternalOutcome, HttpResponse, InboundCall, InboundMessage, MessageId,
    Recording, RecordingEnd, RequestId, Status, StepDetail, SubflowStart, Subflows, TransportError,
    TransportErrorKind, Trigger, WaitId,
};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use flowpen_testkit::{assert_golden, shared_dir, workspace_root};
use serde_json::Value;

/// 2026-01-01T00:00:00Z: scenario time 0.
const EPOCH_MS: u64 = 1_767_225_600_000;

struct Input {
    verb: String,
    id: Option<u32>,
    positional: Vec<String>,
    args: Vec<(String, Value)>,
}

impl Input {
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
fn parse_input(line: &str) -> Input {
    let mut rest = line.trim();
    let mut words = Vec::new();
    let mut args = Vec::new();
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
    Input {
        verb,
        id,
        positional: words,
        args,
    }
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

struct Run {
    engine: Option<Engine>,
    out: String,
    now: u64,
    config: Config,
    flow: Flow,
    subflows: Subflows,
}

impl Run {
    fn engine(&mut self) -> &mut Engine {
        self.engine
            .as_mut()
            .expect("the scenario starts with `>> start`")
    }

    /// Drains effects; Send Message is acknowledged as sent unless the next input fails it.
    fn drain(&mut self, next_input: Option<&Input>) {
        let now = EPOCH_MS + self.now;
        loop {
            let mut acked = false;
            while let Some(effect) = self.engine().poll_effect() {
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
                    self.engine()
                        .handle_audio_complete(audio, now)
                        .expect("the engine waits for this audio");
                    acked = true;
                }
            }
            if let Status::WaitingForSend { message, .. } = self.engine().status() {
                let failing =
                    next_input.is_some_and(|i| i.verb == "send-fail" && i.id == Some(message.0));
                if !failing {
                    self.engine()
                        .handle_sent(message, now)
                        .expect("the engine waits for this message");
                    acked = true;
                }
            }
            if !acked {
                break;
            }
        }
    }

    fn apply(&mut self, input: &Input) {
        if let Some(at) = input
            .arg("at")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<u64>().ok())
        {
            self.now = at;
        }
        let now = EPOCH_MS + self.now;
        match input.verb.as_str() {
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
                self.engine = Some(Engine::start_with_subflows(
                    self.flow.clone(),
                    trigger,
                    self.config.clone(),
                    Rc::new(Liquid::studio()),
                    self.subflows.clone(),
                    now,
                ));
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
                if let Err(e) = self.engine().handle_message(message, now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
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
                let id = RequestId(input.id.expect("http #N"));
                if let Err(e) = self.engine().handle_http_response(id, Ok(response), now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
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
                let id = RequestId(input.id.expect("http-error #N"));
                if let Err(e) = self.engine().handle_http_response(id, Err(error), now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
            }
            "send-fail" => {
                let id = MessageId(input.id.expect("send-fail #N"));
                let error = input.text("error");
                if let Err(e) = self.engine().handle_send_failure(id, &error, now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
            }
            "wait" => {
                let ms: u64 = input
                    .positional
                    .first()
                    .and_then(|s| s.parse().ok())
                    .expect("wait MS");
                self.now += ms;
                let now = EPOCH_MS + self.now;
                self.engine().handle_timeout(now);
            }
            "timeout" => {
                if let Some(deadline) = self.engine().poll_timeout() {
                    self.now = deadline - EPOCH_MS;
                    self.engine().handle_timeout(deadline);
                } else {
                    let _ = writeln!(self.out, "<< rejected: nothing waits for time");
                }
            }
            "played" => {
                let id = WaitId(input.id.expect("played #N"));
                if let Err(e) = self.engine().handle_audio_complete(id, now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
            }
            "digits" => {
                let keys = input.positional.first().cloned().unwrap_or_default();
                if let Err(e) = self.engine().handle_digits(&keys, now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
            }
            "speech" => {
                let confidence = input
                    .arg("confidence")
                    .and_then(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_f64()))
                    .unwrap_or(0.9);
                if let Err(e) = self
                    .engine()
                    .handle_speech(&input.text("text"), confidence, now)
                {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
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
                if let Err(e) = self.engine().handle_recording(recording, now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
            }
            "hangup" => {
                if let Err(e) = self.engine().handle_hangup(now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
            }
            "event" => {
                let id = WaitId(input.id.expect("event #N NAME"));
                let mut outcome =
                    ExternalOutcome::event(input.positional.first().expect("event #N NAME"));
                if let Some(Value::Object(vars)) = input.arg("vars") {
                    outcome.variables = vars.clone().into_iter().collect();
                }
                if let Err(e) = self.engine().handle_external(id, outcome, now) {
                    let _ = writeln!(self.out, "<< rejected: {e}");
                }
            }
            "stop" => self.engine().stop(),
            other => panic!("unknown input verb {other:?}"),
        }
    }

    fn report(&mut self) {
        let engine = self.engine.as_ref().expect("the scenario started");
        let mut out = String::from("== steps\n");
        for s in engine.steps() {
            let arrow = match (&s.event, &s.next) {
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
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
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
fn replay(text: &str) -> Option<String> {
    let mut config = Config::default();
    let mut flow = None;
    let mut subflows = Subflows::new();
    let mut header = String::new();
    // Each input with the comment lines written just before it.
    let mut inputs: Vec<(String, Input)> = Vec::new();
    let mut pending_comments = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(">> ") {
            inputs.push((format!("{pending_comments}{line}\n"), parse_input(rest)));
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
    };
    for i in 0..inputs.len() {
        run.out.push_str(&inputs[i].0);
        run.apply(&inputs[i].1);
        run.drain(inputs.get(i + 1).map(|(_, x)| x));
    }
    run.report();
    Some(run.out)
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
        let Some(out) = replay(&text) else { continue };
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .expect("inside the crate");
        assert_golden(env!("CARGO_MANIFEST_DIR"), &rel.to_string_lossy(), &out);
        ran += 1;
    }
    assert!(ran >= 1, "no scenario ran");
}
