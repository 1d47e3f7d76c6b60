//! `flowpen run`: a terminal shell around the engine. Standard input is the contact (or the
//! caller, or the outside world: see `protocol`), standard output the conversation; HTTP effects
//! go to the network; the clock is the system clock.

mod protocol;

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::rc::Rc;

use flowpen_command::text::{message, visible};
use flowpen_command::usage;
use flowpen_engine::{
    Config, Effect, Engine, ExternalOutcome, InboundCall, InboundMessage, Recording, RecordingEnd,
    Status, SubflowStart, Subflows, Trigger,
};
use flowpen_flow::{Flow, WidgetType};
use flowpen_liquid::Liquid;
use serde_json::{json, Value};

use crate::{http, load};
use protocol::Line;

/// How the user asked the execution to start.
#[derive(Clone, Debug, PartialEq)]
enum Start {
    /// Not said: the flow's Trigger decides.
    Auto,
    Message,
    Rest(Value),
    Call,
    Conversation,
    Subflow(Value),
}

struct Options {
    start: Start,
    subflow_files: Vec<(String, String)>,
    from: String,
    to: String,
    steps: bool,
    flow_data: bool,
    file: String,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        start: Start::Auto,
        subflow_files: Vec::new(),
        from: "+15550001111".into(),
        to: "+15550002222".into(),
        steps: false,
        flow_data: false,
        file: String::new(),
    };
    let mut it = args.iter();
    let set_start = |o: &mut Options, s: Start| {
        if o.start != Start::Auto {
            return Err("choose one of --rest, --call, --conversation and --subflow".to_owned());
        }
        o.start = s;
        Ok(())
    };
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--rest" => {
                let text = value("--rest")?;
                let v =
                    serde_json::from_str(&text).map_err(|e| format!("--rest is not JSON: {e}"))?;
                set_start(&mut o, Start::Rest(v))?;
            }
            "--subflow" => {
                let text = value("--subflow")?;
                let v: Value = serde_json::from_str(&text)
                    .map_err(|e| format!("--subflow is not JSON: {e}"))?;
                if !v.is_object() {
                    return Err("--subflow takes a JSON object (the parameters)".into());
                }
                set_start(&mut o, Start::Subflow(v))?;
            }
            "--call" => set_start(&mut o, Start::Call)?,
            "--conversation" => set_start(&mut o, Start::Conversation)?,
            "--subflow-file" => {
                let spec = value("--subflow-file")?;
                let (key, path) = spec
                    .split_once('=')
                    .filter(|(k, p)| !k.trim().is_empty() && !p.is_empty())
                    .ok_or("--subflow-file takes SID_OR_NAME=path.json")?;
                o.subflow_files
                    .push((key.trim().to_owned(), path.to_owned()));
            }
            "--from" => o.from = value("--from")?,
            "--to" => o.to = value("--to")?,
            "--steps" => o.steps = true,
            "--flow-data" => o.flow_data = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file if o.file.is_empty() => o.file = file.to_owned(),
            extra => return Err(format!("unexpected argument {extra}")),
        }
    }
    if o.file.is_empty() {
        return Err("run needs a flow file".into());
    }
    Ok(o)
}

/// The shell's clock. The core never reads one; this shell does.
#[allow(clippy::disallowed_methods)]
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A REST trigger from `{"From", "To", "Parameters"}`; `Parameters` may be an object or a JSON
/// string holding one, as Twilio's API takes it.
fn rest_trigger(v: &Value, o: &Options) -> Result<Trigger, String> {
    let text = |k: &str, default: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    let parameters = match v.get("Parameters") {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(Value::String(s)) => {
            serde_json::from_str(s).map_err(|e| format!("Parameters is not a JSON object: {e}"))?
        }
        Some(other) => other.clone(),
    };
    if !parameters.is_object() {
        return Err("Parameters must be a JSON object".into());
    }
    Ok(Trigger::Rest {
        from: text("From", &o.to),
        to: text("To", &o.from),
        parameters,
    })
}

/// The start the flow's Trigger connects, when it connects exactly one.
fn only_connected(flow: &Flow) -> Option<Start> {
    let trigger = flow.states.iter().find(|s| s.kind == WidgetType::Trigger)?;
    let starts: Vec<Start> = trigger
        .transitions
        .iter()
        .filter(|t| t.next.as_deref().is_some_and(|n| !n.is_empty()))
        .filter_map(|t| match t.event.as_str() {
            "incomingMessage" => Some(Start::Message),
            "incomingCall" => Some(Start::Call),
            "incomingRequest" => Some(Start::Rest(json!({}))),
            "incomingConversationMessage" => Some(Start::Conversation),
            "incomingParent" => Some(Start::Subflow(json!({}))),
            _ => None,
        })
        .collect();
    match starts.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

fn fail(text: &str, code: u8) -> ExitCode {
    eprintln!("flowpen run: {}", visible(text));
    ExitCode::from(code)
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    let o = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("flowpen run: {e}\n\n{}", usage::native());
            return ExitCode::from(2);
        }
    };
    let flow = match load(&o.file) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}", visible(&e));
            return ExitCode::from(1);
        }
    };
    let mut subflows = Subflows::new();
    for (key, path) in &o.subflow_files {
        match load(path) {
            Ok(f) => subflows.insert(key.clone(), Rc::new(f)),
            Err(e) => {
                eprintln!("{}", visible(&e));
                return ExitCode::from(1);
            }
        }
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut next_line = move || lines.next().and_then(Result::ok);
    let start = match &o.start {
        Start::Auto => match only_connected(&flow) {
            Some(s) => s,
            None => Start::Message,
        },
        explicit => explicit.clone(),
    };
    let mut first_line = |what: &str| {
        next_line().ok_or_else(|| {
            format!("standard input is empty: its first line is the {what} that starts the flow")
        })
    };
    let trigger = match &start {
        Start::Auto | Start::Message => match first_line("message") {
            Ok(body) => Trigger::Message(InboundMessage {
                from: o.from.clone(),
                to: o.to.clone(),
                body,
                media_urls: Vec::new(),
            }),
            Err(e) => return fail(&e, 2),
        },
        Start::Conversation => match first_line("Conversations message") {
            Ok(body) => Trigger::Conversation(InboundMessage {
                from: o.from.clone(),
                to: o.to.clone(),
                body,
                media_urls: Vec::new(),
            }),
            Err(e) => return fail(&e, 2),
        },
        Start::Rest(v) => match rest_trigger(v, &o) {
            Ok(t) => t,
            Err(e) => return fail(&e, 2),
        },
        Start::Call => Trigger::Call(InboundCall {
            from: o.from.clone(),
            to: o.to.clone(),
            parameters: Vec::new(),
        }),
        Start::Subflow(parameters) => Trigger::Subflow(SubflowStart {
            contact: o.from.clone(),
            flow_address: o.to.clone(),
            parameters: parameters.clone(),
            parent_trigger: json!({}),
        }),
    };
    let why = match (&o.start, only_connected(&flow)) {
        (Start::Auto, Some(_)) => " (the only start the flow's Trigger connects)",
        (Start::Auto, None) => {
            " (the default; --call, --rest, --conversation or --subflow start it otherwise)"
        }
        _ => "",
    };
    eprintln!("flowpen run: {}{why}", visible(&trigger.describe()));
    let mut engine = Engine::start_with_subflows(
        flow,
        trigger,
        Config::default(),
        Rc::new(Liquid::studio()),
        subflows,
        now_ms(),
    );
    drive(&mut engine, &mut next_line);
    report(&engine, &o)
}

/// Carries the effects out and feeds standard input to the engine until the execution ends.
fn drive(engine: &mut Engine, next_line: &mut impl FnMut() -> Option<String>) {
    let mut out = std::io::stdout().lock();
    // Bounded: every round either answers an effect, reads a line, or fires a deadline, and the
    // engine ends an execution after its step limit; input ends.
    loop {
        while let Some(effect) = engine.poll_effect() {
            let text = match &effect {
                Effect::Send(m) => {
                    let media = m
                        .media_url
                        .as_deref()
                        .map(|u| format!("\n> [media] {}", visible(u)))
                        .unwrap_or_default();
                    Some(format!("> {}{media}", message(&m.body)))
                }
                Effect::SayPlay { audio, .. } => Some(message(&protocol::audio(audio))),
                Effect::Gather(g) => Some(message(&protocol::gather(g))),
                Effect::Record(r) => Some(message(&protocol::record(r))),
                Effect::External(x) => Some(message(&protocol::external(x))),
                Effect::Http(_) | Effect::WaitForReply { .. } | Effect::Ended(_) => None,
            };
            if let Some(text) = text {
                let _ = writeln!(out, "{text}");
                let _ = out.flush();
            }
            match effect {
                Effect::Send(m) if matches!(engine.status(), Status::WaitingForSend { .. }) => {
                    let _ = engine.handle_sent(m.id, now_ms());
                }
                Effect::SayPlay { id, .. } => {
                    let _ = engine.handle_audio_complete(id, now_ms());
                }
                Effect::Http(request) => {
                    let response = http::perform(&request);
                    let _ = engine.handle_http_response(request.id, response, now_ms());
                }
                _ => {}
            }
        }
        let on_call = engine.call().is_some_and(|c| c.live);
        let status = engine.status();
        let line = match &status {
            Status::Ended(_) => break,
            Status::WaitingForReply { .. }
            | Status::Gathering { .. }
            | Status::Recording { .. }
            | Status::WaitingForExternal { .. } => next_line(),
            // Send, HTTP and audio effects were answered above; anything else would be a bug here.
            other => {
                eprintln!("flowpen run: unexpected engine state {other:?}");
                engine.stop();
                continue;
            }
        };
        let now = now_ms();
        let Some(line) = line else {
            end_of_input(engine, &status, on_call, now);
            continue;
        };
        let parsed = protocol::parse(&line);
        let result = match (&status, parsed) {
            (_, Line::Hangup) if on_call => engine.handle_hangup(now),
            (Status::WaitingForReply { .. }, _) => {
                let (from, to) = engine.trigger().addresses();
                let reply = InboundMessage {
                    from,
                    to,
                    body: line,
                    media_urls: Vec::new(),
                };
                engine.handle_message(reply, now)
            }
            (Status::Gathering { .. }, Line::Digits(keys)) => {
                let r = engine.handle_digits(&keys, now);
                // A line is all the caller types: then they pause, and the Gather submits.
                if let Status::Gathering { deadline_ms, .. } = engine.status() {
                    engine.handle_timeout(deadline_ms);
                }
                r
            }
            (Status::Gathering { .. }, Line::Speech(text)) => {
                engine.handle_speech(&text, protocol::SPEECH_CONFIDENCE, now)
            }
            (Status::Recording { .. }, Line::Record(text)) => engine.handle_recording(
                Recording {
                    transcript: text,
                    duration_s: None,
                    ended_by: RecordingEnd::Silence,
                },
                now,
            ),
            (Status::WaitingForExternal { id, .. }, Line::Event { name, variables }) => engine
                .handle_external(
                    *id,
                    ExternalOutcome {
                        event: name,
                        variables,
                    },
                    now,
                ),
            (status, _) => {
                let expected = match status {
                    Status::Gathering { .. } => "keys (like 1 or 1234#), speech: TEXT or hangup",
                    Status::Recording { .. } => "record: TEXT or hangup",
                    _ => "event: NAME [key=value …], or hangup on a call",
                };
                eprintln!(
                    "flowpen run: {} waits for {expected}",
                    visible(status.widget().unwrap_or("the flow"))
                );
                Ok(())
            }
        };
        if let Err(e) = result {
            eprintln!("flowpen run: {}", visible(&e.to_string()));
        }
    }
}

/// Input ended: the caller hangs up; a wait with a deadline times out; an outside wait without
/// one cannot end, so the execution is stopped.
fn end_of_input(engine: &mut Engine, status: &Status, on_call: bool, now: u64) {
    if on_call {
        let _ = engine.handle_hangup(now);
        return;
    }
    match engine.poll_timeout() {
        Some(deadline) => engine.handle_timeout(deadline),
        None => {
            eprintln!(
                "flowpen run: input ended while {} waits for the outside world",
                visible(status.widget().unwrap_or("the flow"))
            );
            engine.stop();
        }
    }
}

/// Prints the step log and Flow Data when asked, and says how the execution ended.
fn report(engine: &Engine, o: &Options) -> ExitCode {
    let mut out = std::io::stdout().lock();
    if o.steps {
        for s in engine.steps() {
            let scope = s
                .subflow
                .as_ref()
                .map(|r| format!(" (subflow of {})", r.widget))
                .unwrap_or_default();
            let line = format!(
                "step {} {} [{}]{scope} {} -> {}: {}",
                s.index,
                s.widget,
                s.widget_type,
                s.event.as_deref().unwrap_or("-"),
                s.next.as_deref().unwrap_or("(end)"),
                s.outcome
            );
            let _ = writeln!(out, "{}", message(&line));
        }
    }
    if o.flow_data {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(engine.flow_data()).unwrap_or_default()
        );
    }
    match engine.end_reason() {
        Some(r) => {
            eprintln!("{}", visible(&r.to_string()));
            if r.is_normal() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        None => ExitCode::from(1),
    }
}
