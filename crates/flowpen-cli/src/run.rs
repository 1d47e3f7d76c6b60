//! `flowpen run`: a terminal shell around the engine. Standard input is the contact, standard
//! output the conversation; HTTP effects go to the network; the clock is the system clock.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use flowpen_engine::{Config, Effect, Engine, InboundMessage, Status, Trigger};
use serde_json::Value;

use crate::{http, load, USAGE};

struct Options {
    rest: Option<Value>,
    from: String,
    to: String,
    steps: bool,
    flow_data: bool,
    file: String,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        rest: None,
        from: "+15550001111".into(),
        to: "+15550002222".into(),
        steps: false,
        flow_data: false,
        file: String::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--rest" => {
                let text = value("--rest")?;
                o.rest = Some(
                    serde_json::from_str(&text).map_err(|e| format!("--rest is not JSON: {e}"))?,
                );
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

pub(crate) fn run(args: &[String]) -> ExitCode {
    let o = match parse_options(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("flowpen run: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let flow = match load(&o.file) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut next_line = move || lines.next().and_then(Result::ok);
    let trigger = match &o.rest {
        Some(v) => match rest_trigger(v, &o) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("flowpen run: {e}");
                return ExitCode::from(2);
            }
        },
        None => match next_line() {
            Some(body) => Trigger::Message(InboundMessage {
                from: o.from.clone(),
                to: o.to.clone(),
                body,
                media_urls: Vec::new(),
            }),
            None => {
                eprintln!("flowpen run: standard input is empty: its first line is the message that starts the flow");
                return ExitCode::from(2);
            }
        },
    };
    let (contact, flow_address) = match &trigger {
        Trigger::Rest { from, to, .. } => (to.clone(), from.clone()),
        _ => (o.from.clone(), o.to.clone()),
    };
    let mut engine = Engine::start(flow, trigger, Config::default(), now_ms());
    let mut out = std::io::stdout().lock();
    loop {
        while let Some(effect) = engine.poll_effect() {
            match effect {
                Effect::Send(m) => {
                    let _ = writeln!(out, "> {}", m.body);
                    if let Some(url) = &m.media_url {
                        let _ = writeln!(out, "> [media] {url}");
                    }
                    let _ = out.flush();
                    if matches!(engine.status(), Status::WaitingForSend { .. }) {
                        let _ = engine.handle_sent(m.id, now_ms());
                    }
                }
                Effect::Http(request) => {
                    let response = http::perform(&request);
                    let _ = engine.handle_http_response(request.id, response, now_ms());
                }
                // Calls and outside waits come with the line protocol; until then they stop below.
                _ => {}
            }
        }
        match engine.status() {
            Status::WaitingForReply { deadline_ms, .. } => match next_line() {
                Some(body) => {
                    let reply = InboundMessage {
                        from: contact.clone(),
                        to: flow_address.clone(),
                        body,
                        media_urls: Vec::new(),
                    };
                    let _ = engine.handle_message(reply, now_ms());
                }
                // No more input: the contact never answers, so the wait times out.
                None => engine.handle_timeout(deadline_ms),
            },
            Status::Ended(_) => break,
            // Send and HTTP effects were answered above; anything else would be a bug in this loop.
            other => {
                eprintln!("flowpen run: unexpected engine state {other:?}");
                engine.stop();
            }
        }
    }
    let reason = engine.end_reason().cloned();
    if o.steps {
        for s in engine.steps() {
            let _ = writeln!(
                out,
                "step {} {} [{}] {} -> {}: {}",
                s.index,
                s.widget,
                s.widget_type,
                s.event.as_deref().unwrap_or("-"),
                s.next.as_deref().unwrap_or("(end)"),
                s.outcome
            );
        }
    }
    if o.flow_data {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(engine.flow_data()).unwrap_or_default()
        );
    }
    match reason {
        Some(r) => {
            eprintln!("{r}");
            if r.is_normal() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        None => ExitCode::from(1),
    }
}
