//! The execution state machine.
//!
//! ```text
//!            start(flow, trigger, now)
//!                      │
//!                      ▼
//!   ┌──────────► Running ──(Set Variables, Split, Trigger: no waiting)──┐
//!   │              │  │  │                                               │
//!   │   Send & Wait│  │  │Run Function / HTTP        Send Message        │
//!   │              ▼  │  ▼                               ▼               │
//!   │  WaitingForReply│ WaitingForHttp            WaitingForSend         │
//!   │   (reply, timeout, delivery failure)  (response, transport error, │
//!   │              │  │  │  timeout)          (sent, send failure)       │
//!   └──────────────┴──┴──┴───────────────────────────┘                  ▼
//!                                                  Ended(reason) ◄──────┘
//! ```
//!
//! The engine's methods come in the four groups of the sans-IO style:
//! - A. getters (`status`, `steps`, `flow_data`, `context_after`, …);
//! - B. inputs, named `handle_*`, each taking the current time;
//! - C. commands (`stop`);
//! - D. polling: `poll_effect` for what to do, `poll_timeout` for when to call `handle_timeout`.
//!
//! After starting and after every B/C call, drain `poll_effect` and carry the effects out.

use std::collections::VecDeque;
use std::rc::Rc;

use flowpen_flow::{Flow, Json, State, WidgetType};
use flowpen_liquid::Liquid;
use serde_json::{json, Map, Value};

use crate::conditions::Conditions;
use crate::io::{
    Effect, EndReason, HttpRequest, HttpResponse, InboundMessage, MessageId, OutboundMessage,
    RequestId, TransportError, TransportErrorKind, Trigger,
};
use crate::step::{Change, Comparison, Step, StepDetail};

/// Limits and identities of an execution. The defaults are Studio's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// A widget may run this many times per execution; entering it once more ends the execution.
    pub max_runs_per_widget: u32,
    /// Steps per execution.
    pub max_steps: u32,
    /// Run Function / Make HTTP Request time limit.
    pub http_timeout_ms: u64,
    /// Largest response body Run Function / Make HTTP Request accept.
    pub max_response_bytes: usize,
    /// Send & Wait For Reply's timeout when the widget has none (seconds).
    pub default_reply_timeout_s: u64,
    pub flow_sid: String,
    pub account_sid: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_runs_per_widget: 10,
            max_steps: 1000,
            http_timeout_ms: 10_000,
            max_response_bytes: 64 * 1024,
            default_reply_timeout_s: 3600,
            flow_sid: format!("FW{:032x}", 0),
            account_sid: format!("AC{:032x}", 0),
        }
    }
}

/// Where an execution stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Between inputs this is never seen: the engine runs until it waits or ends.
    Running,
    /// A Send & Wait For Reply widget waits for the contact.
    WaitingForReply {
        widget: String,
        deadline_ms: u64,
    },
    /// A Send Message widget waits to hear that its message was sent.
    WaitingForSend {
        widget: String,
        message: MessageId,
    },
    /// A Run Function or Make HTTP Request widget waits for its response.
    WaitingForHttp {
        widget: String,
        request: RequestId,
        deadline_ms: u64,
    },
    Ended(EndReason),
}

/// Why an input was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// The execution is not waiting for this kind of input now.
    NotWaiting,
    /// No pending message or request has this id.
    UnknownId,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            InputError::NotWaiting => "the execution is not waiting for that",
            InputError::UnknownId => "no pending message or request has that id",
        })
    }
}

impl std::error::Error for InputError {}

/// What the engine is suspended on, with the step being built.
#[derive(Clone, Debug)]
enum Waiting {
    Reply {
        state: usize,
        message: MessageId,
        deadline_ms: u64,
        step: Step,
        outbound: Value,
    },
    Sent {
        state: usize,
        message: MessageId,
        step: Step,
        outbound: Value,
    },
    Http {
        state: usize,
        request: HttpRequest,
        deadline_ms: u64,
        step: Step,
    },
}

#[derive(Clone, Debug)]
enum Phase {
    /// About to run the widget at this index.
    Enter(usize),
    Waiting(Box<Waiting>),
    Ended(EndReason),
}

/// One execution of a flow.
pub struct Engine {
    flow: Flow,
    config: Config,
    liquid: Rc<Liquid>,
    conditions: Conditions,
    trigger: Trigger,
    initial: Value,
    ctx: Value,
    phase: Phase,
    runs: Vec<u32>,
    steps: Vec<Step>,
    effects: VecDeque<Effect>,
    next_message: u32,
    next_request: u32,
    next_sid: u32,
}

impl Engine {
    /// Starts an execution at `now_ms` (Unix milliseconds) and runs it until it waits or ends.
    pub fn start(flow: Flow, trigger: Trigger, config: Config, now_ms: u64) -> Engine {
        Engine::start_with(flow, trigger, config, Rc::new(Liquid::studio()), now_ms)
    }

    /// Like [`Engine::start`], sharing a Liquid service (and its template cache) between executions.
    pub fn start_with(
        flow: Flow,
        trigger: Trigger,
        config: Config,
        liquid: Rc<Liquid>,
        now_ms: u64,
    ) -> Engine {
        let mut engine = Engine {
            runs: vec![0; flow.states.len()],
            flow,
            liquid,
            conditions: Conditions::new(),
            initial: Value::Null,
            ctx: Value::Null,
            phase: Phase::Ended(EndReason::Stopped),
            steps: Vec::new(),
            effects: VecDeque::new(),
            next_message: 1,
            next_request: 1,
            next_sid: 1,
            trigger: trigger.clone(),
            config,
        };
        engine.ctx = engine.initial_context(&trigger);
        engine.initial = engine.ctx.clone();
        let start = engine
            .flow
            .initial_state()
            .and_then(|n| engine.flow.index_of(n));
        match start {
            Some(i) => {
                engine.phase = Phase::Enter(i);
                engine.run(now_ms);
            }
            None => {
                let message = match engine.flow.initial_state() {
                    Some(n) => format!("initial_state \"{n}\" names no widget"),
                    None => "the flow has no initial_state".to_owned(),
                };
                engine.end(EndReason::Error {
                    widget: "Trigger".into(),
                    message,
                });
            }
        }
        engine
    }

    // A. Getters.

    pub fn status(&self) -> Status {
        match &self.phase {
            Phase::Enter(_) => Status::Running,
            Phase::Ended(r) => Status::Ended(r.clone()),
            Phase::Waiting(w) => match &**w {
                Waiting::Reply {
                    state, deadline_ms, ..
                } => Status::WaitingForReply {
                    widget: self.flow.states[*state].name.clone(),
                    deadline_ms: *deadline_ms,
                },
                Waiting::Sent { state, message, .. } => Status::WaitingForSend {
                    widget: self.flow.states[*state].name.clone(),
                    message: *message,
                },
                Waiting::Http {
                    state,
                    request,
                    deadline_ms,
                    ..
                } => Status::WaitingForHttp {
                    widget: self.flow.states[*state].name.clone(),
                    request: request.id,
                    deadline_ms: *deadline_ms,
                },
            },
        }
    }

    /// Why the execution ended, once it has.
    pub fn end_reason(&self) -> Option<&EndReason> {
        match &self.phase {
            Phase::Ended(r) => Some(r),
            _ => None,
        }
    }

    /// The widget the execution is at (waiting in), if any.
    pub fn current_widget(&self) -> Option<&str> {
        let i = match &self.phase {
            Phase::Enter(i) => *i,
            Phase::Waiting(w) => match &**w {
                Waiting::Reply { state, .. }
                | Waiting::Sent { state, .. }
                | Waiting::Http { state, .. } => *state,
            },
            Phase::Ended(_) => return None,
        };
        Some(&self.flow.states[i].name)
    }

    /// The steps so far, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The current Flow Data (`flow`, `contact`, `trigger`, `widgets`).
    pub fn flow_data(&self) -> &Value {
        &self.ctx
    }

    /// Flow Data as it was right after step `index` (before any step: the initial context).
    pub fn context_after(&self, index: usize) -> Value {
        let mut ctx = self.initial.clone();
        for step in self.steps.iter().take(index + 1) {
            for c in &step.changes {
                c.apply(&mut ctx);
            }
        }
        ctx
    }

    pub fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    pub fn flow(&self) -> &Flow {
        &self.flow
    }

    // B. Inputs.

    /// The contact replied. Taken only while a Send & Wait For Reply widget waits.
    pub fn handle_message(
        &mut self,
        message: InboundMessage,
        now_ms: u64,
    ) -> Result<(), InputError> {
        let Waiting::Reply {
            state,
            mut step,
            outbound,
            ..
        } = self.take_waiting(|w| match w {
            Waiting::Reply { .. } => Ok(()),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        let inbound = self.message_params(&message);
        step.outcome = format!("reply: \"{}\"", message.body);
        self.set_widget(
            &mut step,
            state,
            json!({ "outbound": outbound, "inbound": inbound }),
        );
        self.leave(state, "incomingMessage", step, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// A Send Message widget's message was sent.
    pub fn handle_sent(&mut self, id: MessageId, now_ms: u64) -> Result<(), InputError> {
        let Waiting::Sent {
            state,
            mut step,
            mut outbound,
            ..
        } = self.take_waiting(|w| match w {
            Waiting::Sent { message, .. } if *message == id => Ok(()),
            Waiting::Sent { .. } => Err(InputError::UnknownId),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        outbound["Status"] = json!("sent");
        step.outcome = "sent".into();
        self.set_widget(&mut step, state, json!({ "outbound": outbound }));
        self.leave(state, "sent", step, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// A message could not be sent or delivered: Send Message follows `failed`; a waiting Send &
    /// Wait For Reply follows `deliveryFailure`.
    pub fn handle_send_failure(
        &mut self,
        id: MessageId,
        error: &str,
        now_ms: u64,
    ) -> Result<(), InputError> {
        let waiting = self.take_waiting(|w| match w {
            Waiting::Sent { message, .. } | Waiting::Reply { message, .. } if *message == id => {
                Ok(())
            }
            Waiting::Sent { .. } | Waiting::Reply { .. } => Err(InputError::UnknownId),
            Waiting::Http { .. } => Err(InputError::NotWaiting),
        })?;
        let (state, mut step, mut outbound, event, outcome) = match waiting {
            Waiting::Reply {
                state,
                step,
                outbound,
                ..
            } => (
                state,
                step,
                outbound,
                "deliveryFailure",
                format!("delivery failed: {error}"),
            ),
            Waiting::Sent {
                state,
                step,
                outbound,
                ..
            } => (
                state,
                step,
                outbound,
                "failed",
                format!("failed to send: {error}"),
            ),
            Waiting::Http { .. } => return Err(InputError::NotWaiting),
        };
        outbound["Status"] = json!("failed");
        step.outcome = outcome;
        self.set_widget(&mut step, state, json!({ "outbound": outbound }));
        self.leave(state, event, step, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// The response (or transport error) of request `id`.
    pub fn handle_http_response(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse, TransportError>,
        now_ms: u64,
    ) -> Result<(), InputError> {
        let Waiting::Http {
            state,
            request,
            step,
            ..
        } = self.take_waiting(|w| match w {
            Waiting::Http { request, .. } if request.id == id => Ok(()),
            Waiting::Http { .. } => Err(InputError::UnknownId),
            _ => Err(InputError::NotWaiting),
        })?
        else {
            return Err(InputError::NotWaiting);
        };
        self.finish_http(state, request, step, response, now_ms);
        self.run(now_ms);
        Ok(())
    }

    /// Time passed: fires the reply timeout or the HTTP time limit when their deadline is due.
    pub fn handle_timeout(&mut self, now_ms: u64) {
        let Some(deadline) = self.poll_timeout() else {
            return;
        };
        if now_ms < deadline {
            return;
        }
        let Phase::Waiting(w) =
            std::mem::replace(&mut self.phase, Phase::Ended(EndReason::Stopped))
        else {
            return;
        };
        match *w {
            Waiting::Reply {
                state,
                mut step,
                outbound,
                ..
            } => {
                step.outcome = "no reply before the timeout".into();
                self.set_widget(&mut step, state, json!({ "outbound": outbound }));
                self.leave(state, "timeout", step, now_ms);
            }
            Waiting::Http {
                state,
                request,
                step,
                ..
            } => {
                let error = TransportError {
                    kind: TransportErrorKind::Timeout,
                    message: format!("no response within {} s", request.timeout_ms / 1000),
                };
                self.finish_http(state, request, step, Err(error), now_ms);
            }
            other => self.phase = Phase::Waiting(Box::new(other)),
        }
        self.run(now_ms);
    }

    // C. Commands.

    /// Stops the execution.
    pub fn stop(&mut self) {
        if !matches!(self.phase, Phase::Ended(_)) {
            self.end(EndReason::Stopped);
        }
    }

    // D. Polling.

    /// The next thing the shell must do.
    #[must_use]
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    /// When `handle_timeout` must be called next (Unix milliseconds), if anything waits for time.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<u64> {
        match &self.phase {
            Phase::Waiting(w) => match &**w {
                Waiting::Reply { deadline_ms, .. } | Waiting::Http { deadline_ms, .. } => {
                    Some(*deadline_ms)
                }
                Waiting::Sent { .. } => None,
            },
            _ => None,
        }
    }

    // Internals.

    /// Takes what the execution waits for, if `accept` takes it; the phase is then set by the caller
    /// (through `leave`).
    fn take_waiting(
        &mut self,
        accept: impl Fn(&Waiting) -> Result<(), InputError>,
    ) -> Result<Waiting, InputError> {
        let Phase::Waiting(w) = &self.phase else {
            return Err(InputError::NotWaiting);
        };
        accept(w)?;
        match std::mem::replace(&mut self.phase, Phase::Ended(EndReason::Stopped)) {
            Phase::Waiting(w) => Ok(*w),
            other => {
                self.phase = other;
                Err(InputError::NotWaiting)
            }
        }
    }

    fn initial_context(&self, trigger: &Trigger) -> Value {
        let (contact, flow_address, data, trig) = match trigger {
            Trigger::Message(m) => (
                m.from.clone(),
                m.to.clone(),
                json!({}),
                json!({ "message": self.message_params_with_sid(m, 0) }),
            ),
            Trigger::Rest {
                from,
                to,
                parameters,
            } => {
                let params = if parameters.is_object() {
                    parameters.clone()
                } else {
                    json!({})
                };
                (
                    to.clone(),
                    from.clone(),
                    params.clone(),
                    json!({ "request": { "From": from, "To": to, "parameters": params } }),
                )
            }
            Trigger::Call { from, to } => (
                from.clone(),
                to.clone(),
                json!({}),
                json!({ "call": {
                    "AccountSid": self.config.account_sid,
                    "ApiVersion": "2010-04-01",
                    "CallSid": format!("CA{:032x}", 1),
                    "CallStatus": "ringing",
                    "Called": to,
                    "Caller": from,
                    "Direction": "inbound",
                    "From": from,
                    "To": to,
                } }),
            ),
        };
        json!({
            "flow": {
                "flow_sid": self.config.flow_sid,
                "channel": { "address": flow_address },
                "data": data,
                "variables": {},
            },
            "contact": { "channel": { "address": contact } },
            "trigger": trig,
            "widgets": {},
        })
    }

    fn new_sid(&mut self) -> u32 {
        let n = self.next_sid;
        self.next_sid += 1;
        n
    }

    fn message_params(&mut self, m: &InboundMessage) -> Value {
        let n = self.new_sid();
        self.message_params_with_sid(m, n)
    }

    /// Incoming Message webhook parameters, as Twilio sends them (all strings).
    fn message_params_with_sid(&self, m: &InboundMessage, n: u32) -> Value {
        let sid = format!("SM{:032x}", 0x1_0000 + n);
        let mut o = Map::new();
        o.insert("AccountSid".into(), json!(self.config.account_sid));
        o.insert("ApiVersion".into(), json!("2010-04-01"));
        o.insert("Body".into(), json!(m.body));
        o.insert("From".into(), json!(m.from));
        for (i, url) in m.media_urls.iter().enumerate() {
            o.insert(format!("MediaUrl{i}"), json!(url));
        }
        o.insert("MessageSid".into(), json!(sid));
        o.insert("NumMedia".into(), json!(m.media_urls.len().to_string()));
        o.insert("NumSegments".into(), json!("1"));
        o.insert("SmsMessageSid".into(), json!(sid));
        o.insert("SmsSid".into(), json!(sid));
        o.insert("SmsStatus".into(), json!("received"));
        o.insert("To".into(), json!(m.to));
        Value::Object(o)
    }

    fn end(&mut self, reason: EndReason) {
        self.effects.push_back(Effect::Ended(reason.clone()));
        self.phase = Phase::Ended(reason);
    }

    /// Runs widgets until the execution waits or ends.
    fn run(&mut self, now_ms: u64) {
        while let Phase::Enter(i) = self.phase {
            self.execute(i, now_ms);
        }
    }

    fn new_step(&self, i: usize, now_ms: u64) -> Step {
        let s = &self.flow.states[i];
        Step {
            index: self.steps.len(),
            widget: s.name.clone(),
            widget_type: s.kind.as_str().to_owned(),
            event: None,
            next: None,
            started_ms: now_ms,
            ended_ms: now_ms,
            inputs: Vec::new(),
            outcome: String::new(),
            detail: StepDetail::None,
            changes: Vec::new(),
        }
    }

    /// Renders a template against the current Flow Data.
    fn render(
        &self,
        i: usize,
        field: &str,
        template: &str,
        now_ms: u64,
    ) -> Result<String, EndReason> {
        self.liquid
            .render(template, &self.ctx, now_ms as i64)
            .map_err(|e| EndReason::Error {
                widget: self.flow.states[i].name.clone(),
                message: format!("{field}: {e}"),
            })
    }

    /// Renders a string property (empty when absent or not a string).
    fn render_prop(
        &self,
        i: usize,
        key: &str,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<String, EndReason> {
        let template = self.flow.states[i].prop_str(key).unwrap_or_default();
        let out = self.render(i, key, template, now_ms)?;
        step.inputs.push((key.to_owned(), out.clone()));
        Ok(out)
    }

    /// Renders the values of a `{key, value}` list property.
    fn render_pairs(
        &self,
        i: usize,
        key: &str,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Vec<(String, String)>, EndReason> {
        let mut out = Vec::new();
        for (k, v) in self.flow.states[i].key_values(key) {
            let value = self.render(i, &format!("{key}.{k}"), &v, now_ms)?;
            step.inputs.push((format!("{key}.{k}"), value.clone()));
            out.push((k, value));
        }
        Ok(out)
    }

    fn execute(&mut self, i: usize, now_ms: u64) {
        if self.steps.len() >= self.config.max_steps as usize {
            return self.end(EndReason::StepLimit {
                limit: self.config.max_steps,
            });
        }
        self.runs[i] += 1;
        if self.runs[i] > self.config.max_runs_per_widget {
            let widget = self.flow.states[i].name.clone();
            return self.end(EndReason::RunLimit {
                widget,
                limit: self.config.max_runs_per_widget,
            });
        }
        let step = self.new_step(i, now_ms);
        let result = match self.flow.states[i].kind.clone() {
            WidgetType::Trigger => self.run_trigger(i, step, now_ms),
            WidgetType::SendMessage => self.run_send(i, step, false, now_ms),
            WidgetType::SendAndWaitForReply => self.run_send(i, step, true, now_ms),
            WidgetType::RunFunction => self.run_function(i, step, now_ms),
            WidgetType::MakeHttpRequest => self.run_http(i, step, now_ms),
            WidgetType::SetVariables => self.run_set_variables(i, step, now_ms),
            WidgetType::SplitBasedOn => self.run_split(i, step, now_ms),
            WidgetType::Other(t) => Err(EndReason::Unsupported {
                widget: self.flow.states[i].name.clone(),
                widget_type: t,
            }),
        };
        if let Err(reason) = result {
            self.end(reason);
        }
    }

    fn run_trigger(&mut self, i: usize, mut step: Step, now_ms: u64) -> Result<(), EndReason> {
        if !self.steps.is_empty() {
            return Err(EndReason::Error {
                widget: self.flow.states[i].name.clone(),
                message: "a transition leads back to the Trigger, which only starts executions"
                    .into(),
            });
        }
        let event = self.trigger.event();
        step.outcome = match &self.trigger {
            Trigger::Message(m) => format!("incoming message from {}: \"{}\"", m.from, m.body),
            Trigger::Rest { from, to, .. } => format!("REST API request (From {from}, To {to})"),
            Trigger::Call { from, .. } => format!("incoming call from {from}"),
        };
        self.leave(i, event, step, now_ms);
        Ok(())
    }

    fn run_send(
        &mut self,
        i: usize,
        mut step: Step,
        wait: bool,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let body = self.render_prop(i, "body", &mut step, now_ms)?;
        let from = self.render_prop(i, "from", &mut step, now_ms)?;
        let to = if wait {
            // Send & Wait always answers the contact: it has no `to` property.
            self.ctx["contact"]["channel"]["address"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        } else {
            self.render_prop(i, "to", &mut step, now_ms)?
        };
        let media_url = match self.flow.states[i].prop_str("media_url") {
            Some(t) if !t.trim().is_empty() => {
                Some(self.render_prop(i, "media_url", &mut step, now_ms)?)
            }
            _ => None,
        };
        let id = MessageId(self.next_message);
        self.next_message += 1;
        let sid = format!("SM{:032x}", self.new_sid());
        let mut outbound =
            json!({ "Body": body, "From": from, "To": to, "Sid": sid, "Status": "queued" });
        if let Some(url) = &media_url {
            outbound["MediaUrl"] = json!(url);
        }
        let widget = self.flow.states[i].name.clone();
        self.effects.push_back(Effect::Send(OutboundMessage {
            id,
            widget: widget.clone(),
            to,
            from,
            body,
            media_url,
            sid,
        }));
        if wait {
            let timeout_s = self.reply_timeout(i);
            let deadline_ms = now_ms.saturating_add(timeout_s.saturating_mul(1000));
            step.inputs.push(("timeout".into(), timeout_s.to_string()));
            outbound["Status"] = json!("sent");
            self.effects.push_back(Effect::WaitForReply {
                widget,
                deadline_ms,
            });
            self.phase = Phase::Waiting(Box::new(Waiting::Reply {
                state: i,
                message: id,
                deadline_ms,
                step,
                outbound,
            }));
        } else {
            self.phase = Phase::Waiting(Box::new(Waiting::Sent {
                state: i,
                message: id,
                step,
                outbound,
            }));
        }
        Ok(())
    }

    /// Send & Wait's `timeout` in seconds: a number or a numeric string; the default otherwise.
    fn reply_timeout(&self, i: usize) -> u64 {
        self.flow.states[i]
            .properties
            .get("timeout")
            .and_then(Json::as_number_lenient)
            .filter(|n| *n >= 0.0)
            .map_or(self.config.default_reply_timeout_s, |n| n as u64)
    }

    fn request(
        &mut self,
        i: usize,
        method: &str,
        url: String,
        headers: Vec<(String, String)>,
        body: Option<String>,
    ) -> HttpRequest {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        HttpRequest {
            id,
            widget: self.flow.states[i].name.clone(),
            method: method.to_owned(),
            url,
            headers,
            body,
            timeout_ms: self.config.http_timeout_ms,
            max_response_bytes: self.config.max_response_bytes,
        }
    }

    fn wait_http(&mut self, i: usize, request: HttpRequest, step: Step, now_ms: u64) {
        let deadline_ms = now_ms.saturating_add(request.timeout_ms);
        self.effects.push_back(Effect::Http(request.clone()));
        self.phase = Phase::Waiting(Box::new(Waiting::Http {
            state: i,
            request,
            deadline_ms,
            step,
        }));
    }

    fn run_function(&mut self, i: usize, mut step: Step, now_ms: u64) -> Result<(), EndReason> {
        let url = self.render_prop(i, "url", &mut step, now_ms)?;
        let params = self.render_pairs(i, "parameters", &mut step, now_ms)?;
        let headers = vec![(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )];
        let request = self.request(i, "POST", url, headers, Some(form_encode(&params)));
        self.wait_http(i, request, step, now_ms);
        Ok(())
    }

    fn run_http(&mut self, i: usize, mut step: Step, now_ms: u64) -> Result<(), EndReason> {
        let s = &self.flow.states[i];
        let method = s.prop_str("method").unwrap_or("GET").trim().to_uppercase();
        let content_type = s
            .prop_str("content_type")
            .unwrap_or("application/x-www-form-urlencoded;charset=utf-8")
            .trim()
            .to_owned();
        let twilio_auth = matches!(s.properties.get("add_twilio_auth"), Some(Json::Bool(true)));
        step.inputs.push(("method".into(), method.clone()));
        step.inputs
            .push(("content_type".into(), content_type.clone()));
        let mut url = self.render_prop(i, "url", &mut step, now_ms)?;
        if twilio_auth {
            step.outcome = "failed: \"Authenticate With Twilio\" needs Twilio credentials, which the playground does not have".into();
            self.leave(i, "failed", step, now_ms);
            return Ok(());
        }
        let params = self.render_pairs(i, "parameters", &mut step, now_ms)?;
        let json_body = content_type.to_ascii_lowercase().contains("json");
        let mut headers = Vec::new();
        let body = if method == "GET" {
            if !params.is_empty() {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&form_encode(&params));
            }
            None
        } else if json_body {
            headers.push(("Content-Type".to_owned(), content_type));
            Some(self.render_prop(i, "body", &mut step, now_ms)?)
        } else {
            headers.push(("Content-Type".to_owned(), content_type));
            Some(form_encode(&params))
        };
        let request = self.request(i, &method, url, headers, body);
        self.wait_http(i, request, step, now_ms);
        Ok(())
    }

    fn finish_http(
        &mut self,
        i: usize,
        request: HttpRequest,
        mut step: Step,
        response: Result<HttpResponse, TransportError>,
        now_ms: u64,
    ) {
        let (ok_event, fail_event) = match self.flow.states[i].kind {
            WidgetType::RunFunction => ("success", "fail"),
            _ => ("success", "failed"),
        };
        let event = match &response {
            Err(e) => {
                step.outcome = format!("failed: {}", e.message);
                fail_event
            }
            Ok(r) if r.body.len() > request.max_response_bytes => {
                step.outcome = format!(
                    "failed: the response body has {} bytes; Studio accepts at most {} ({} kB)",
                    r.body.len(),
                    request.max_response_bytes,
                    request.max_response_bytes / 1024
                );
                fail_event
            }
            Ok(r) => {
                let name = self.flow.states[i].name.clone();
                let previous = self.ctx["widgets"][&name]["parsed"].clone();
                let outputs = http_outputs(r, previous);
                self.set_widget(&mut step, i, outputs);
                let success = (200..400).contains(&r.status);
                step.outcome =
                    format!("HTTP {}{}", r.status, if success { "" } else { ": failed" });
                if success {
                    ok_event
                } else {
                    fail_event
                }
            }
        };
        step.detail = StepDetail::Http { request, response };
        self.leave(i, event, step, now_ms);
    }

    fn run_set_variables(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        // Every value sees the Flow Data from before the widget; they are set at the end of the step.
        let pairs = self.render_pairs(i, "variables", &mut step, now_ms)?;
        for (key, value) in &pairs {
            let value = variable_value(value);
            step.changes.push(Change {
                path: vec!["flow".into(), "variables".into(), key.clone()],
                value,
            });
        }
        for c in &step.changes {
            c.apply(&mut self.ctx);
        }
        step.outcome = format!(
            "set {} variable{}",
            pairs.len(),
            if pairs.len() == 1 { "" } else { "s" }
        );
        self.leave(i, "next", step, now_ms);
        Ok(())
    }

    fn run_split(&mut self, i: usize, mut step: Step, now_ms: u64) -> Result<(), EndReason> {
        let state: &State = &self.flow.states[i];
        let input = state.prop_str("input").unwrap_or_default().to_owned();
        let matches: Vec<(usize, Vec<flowpen_flow::Condition>)> = state
            .transitions
            .iter()
            .enumerate()
            .filter(|(_, t)| t.event == "match")
            .map(|(t, tr)| (t, tr.condition_list()))
            .collect();
        let subject = self.render(i, "input", &input, now_ms)?;
        step.inputs.push(("input".into(), subject.clone()));
        let mut comparisons = Vec::new();
        let mut chosen = None;
        for (t, conds) in matches {
            let mut all = !conds.is_empty();
            for cond in conds {
                // A condition's own argument is its subject; Studio stores the input there.
                let subject = match cond.arguments.first() {
                    Some(arg) if !arg.trim().is_empty() && *arg != input => {
                        self.render(i, "arguments", arg, now_ms)?
                    }
                    _ => subject.clone(),
                };
                let value = self.render(i, "value", &cond.value, now_ms)?;
                let eval = self.conditions.evaluate(&cond.kind, &subject, &value);
                all &= eval.matched;
                comparisons.push(Comparison {
                    transition: t,
                    kind: cond.kind,
                    value,
                    matched: eval.matched,
                    note: eval.note,
                });
            }
            if all {
                chosen = Some(t);
                break;
            }
        }
        step.outcome = match chosen {
            Some(t) => {
                let n = self.flow.states[i].transitions[..=t]
                    .iter()
                    .filter(|x| x.event == "match")
                    .count();
                format!("\"{subject}\" matched condition {n}")
            }
            None => format!("\"{subject}\" matched no condition"),
        };
        step.detail = StepDetail::Split {
            subject,
            comparisons,
        };
        match chosen {
            Some(t) => self.leave_via(i, t, step, now_ms),
            None => self.leave(i, "noMatch", step, now_ms),
        }
        Ok(())
    }

    /// Records `widgets.NAME = value` as the step's change and applies it.
    fn set_widget(&mut self, step: &mut Step, i: usize, value: Value) {
        let change = Change {
            path: vec!["widgets".into(), self.flow.states[i].name.clone()],
            value,
        };
        change.apply(&mut self.ctx);
        step.changes.push(change);
    }

    /// Leaves widget `i` through the first transition for `event` (none: the execution ends).
    fn leave(&mut self, i: usize, event: &str, step: Step, now_ms: u64) {
        match self.flow.states[i]
            .transitions
            .iter()
            .position(|t| t.event == event)
        {
            Some(t) => self.leave_via(i, t, step, now_ms),
            None => {
                let mut step = step;
                step.event = Some(event.to_owned());
                self.finish_step(step, now_ms);
                let widget = self.flow.states[i].name.clone();
                self.end(EndReason::NoNext {
                    widget,
                    event: event.to_owned(),
                });
            }
        }
    }

    fn leave_via(&mut self, i: usize, t: usize, mut step: Step, now_ms: u64) {
        let tr = &self.flow.states[i].transitions[t];
        let event = tr.event.clone();
        let next = tr.next.clone();
        step.event = Some(event.clone());
        step.next = next.clone();
        self.finish_step(step, now_ms);
        let widget = self.flow.states[i].name.clone();
        match next {
            None => self.end(EndReason::NoNext { widget, event }),
            Some(target) => match self.flow.index_of(&target) {
                Some(j) => self.phase = Phase::Enter(j),
                None => self.end(EndReason::MissingWidget {
                    widget,
                    event,
                    target,
                }),
            },
        }
    }

    fn finish_step(&mut self, mut step: Step, now_ms: u64) {
        step.index = self.steps.len();
        step.ended_ms = now_ms;
        self.steps.push(step);
    }
}

/// Run Function / Make HTTP Request outputs: `status_code`, `content_type`, `headers`, `body`, and
/// `parsed` for a JSON object body, merged into the previous `parsed` (a non-object body keeps it).
fn http_outputs(r: &HttpResponse, previous: Value) -> Value {
    let content_type = r.content_type().unwrap_or_default().to_owned();
    let headers: Map<String, Value> = r
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), json!(v)))
        .collect();
    let mut out = json!({
        "status_code": r.status,
        "content_type": content_type,
        "headers": headers,
        "body": r.body,
    });
    let fresh = content_type
        .to_ascii_lowercase()
        .contains("json")
        .then(|| serde_json::from_str::<Value>(&r.body).ok())
        .flatten()
        .filter(Value::is_object);
    let parsed = match (previous, fresh) {
        (Value::Object(mut old), Some(Value::Object(new))) => {
            for (k, v) in new {
                old.insert(k, v);
            }
            Some(Value::Object(old))
        }
        (_, Some(new)) => Some(new),
        (old @ Value::Object(_), None) => Some(old),
        _ => None,
    };
    if let Some(parsed) = parsed {
        out["parsed"] = parsed;
    }
    out
}

/// A Set Variables value as Studio stores it: trimmed; a number when it reads as one; the text
/// inside double quotes when quoted (`"5"` stays the string `5`).
fn variable_value(rendered: &str) -> Value {
    let t = rendered.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        return json!(t[1..t.len() - 1]);
    }
    let numeric = !t.is_empty()
        && t.trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|&c| c == '.').count() <= 1
        && t.trim_start_matches('-')
            .starts_with(|c: char| c.is_ascii_digit())
        && !t.ends_with('.');
    if numeric {
        if let Ok(n) = t.parse::<i64>() {
            return json!(n);
        }
        if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    json!(t)
}

/// `application/x-www-form-urlencoded` as browsers write it.
pub fn form_encode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (n, (k, v)) in pairs.iter().enumerate() {
        if n > 0 {
            out.push('&');
        }
        encode_component(&mut out, k);
        out.push('=');
        encode_component(&mut out, v);
    }
    out
}

fn encode_component(out: &mut String, s: &str) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push_str(&format!("{b:02X}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{form_encode, http_outputs, variable_value};
    use crate::io::HttpResponse;

    #[test]
    fn set_variables_values_are_numbers_unless_quoted() {
        assert_eq!(variable_value(" 1 "), json!(1));
        assert_eq!(variable_value("2.5"), json!(2.5));
        assert_eq!(variable_value("-3"), json!(-3));
        assert_eq!(variable_value("\"5\""), json!("5"));
        assert_eq!(variable_value("abc"), json!("abc"));
        assert_eq!(variable_value("1.2.3"), json!("1.2.3"));
        assert_eq!(variable_value("1e5"), json!("1e5"));
        assert_eq!(variable_value(""), json!(""));
    }

    #[test]
    fn form_encoding_matches_browsers() {
        let pairs = vec![
            ("a b".to_owned(), "x&y=z é".to_owned()),
            ("n".to_owned(), "1".to_owned()),
        ];
        assert_eq!(form_encode(&pairs), "a+b=x%26y%3Dz+%C3%A9&n=1");
    }

    fn response(status: u16, content_type: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// The three executions of the Run Function seed's table, row for row.
    #[test]
    fn parsed_merges_across_runs_as_documented() {
        let first = http_outputs(
            &response(200, "application/json", r#"{ "foo": "bar" }"#),
            json!(null),
        );
        assert_eq!(first["body"], json!(r#"{ "foo": "bar" }"#));
        assert_eq!(first["status_code"], json!(200));
        assert_eq!(first["content_type"], json!("application/json"));
        assert_eq!(first["parsed"], json!({"foo": "bar"}));
        let second = http_outputs(
            &response(404, "text/plain", "not found"),
            first["parsed"].clone(),
        );
        assert_eq!(second["body"], json!("not found"));
        assert_eq!(second["status_code"], json!(404));
        assert_eq!(second["content_type"], json!("text/plain"));
        assert_eq!(second["parsed"], json!({"foo": "bar"}));
        let third = http_outputs(
            &response(201, "application/json", r#"{ "created": true }"#),
            second["parsed"].clone(),
        );
        assert_eq!(third["body"], json!(r#"{ "created": true }"#));
        assert_eq!(third["status_code"], json!(201));
        assert_eq!(third["parsed"], json!({"foo": "bar", "created": true}));
    }

    #[test]
    fn arrays_and_non_json_are_not_parsed() {
        assert!(
            http_outputs(&response(200, "application/json", "[1,2]"), json!(null))
                .get("parsed")
                .is_none()
        );
        assert!(
            http_outputs(&response(200, "text/plain", r#"{"a":1}"#), json!(null))
                .get("parsed")
                .is_none()
        );
        assert_eq!(
            http_outputs(
                &response(200, "application/json; charset=utf-8", r#"{"a":1}"#),
                json!(null)
            )["parsed"],
            json!({"a": 1})
        );
    }
}
