//! The widgets whose outcome belongs to the outside world: a dialled party (Connect Call To, Make
//! Outgoing Call), a queue or TaskRouter (Enqueue Call, Send to Flex), a payment connector
//! (Capture Payments), Autopilot, TwiML elsewhere (TwiML Redirect), call recording (Call
//! Recording) and Dialogflow (Connect Virtual Agent). Each waits with an [`ExternalRequest`] that
//! lists the events it can end with and the variables each sets (simulated defaults the shell may
//! change); `handle_external` picks one. Fork Stream only starts or stops a stream, so it goes on
//! at once.
//!
//! Events and variables follow the widget library:
//! <https://www.twilio.com/docs/studio/widget-library/connect-call> (`DialCallStatus`,
//! `DialCallSid`, `DialCallDuration`, `RecordingUrl`),
//! <https://www.twilio.com/docs/studio/widget-library/make-outgoing-call> (`CallSid`, `CallStatus`,
//! `AnsweredBy`, `MachineDetectionDuration`),
//! <https://www.twilio.com/docs/studio/widget-library/enqueue-call> (`QueueResult` `queue-full` is
//! Failed To Enqueue, `system-error` Call Failed; `QueueSid`, `QueueTime`),
//! <https://www.twilio.com/docs/studio/widget-library/send-flex> (`TaskSid`, `Attributes`, `Age`;
//! Call Failed only on calls), <https://www.twilio.com/docs/voice/twiml/pay> results for Capture
//! Payments (`Result`, `PaymentToken`, …), <https://www.twilio.com/docs/studio/widget-library/twiml-redirect>
//! (an unparseable URL is `fail` at once; otherwise `return` with the parameters the TwiML sends
//! back, or `timeout`), <https://www.twilio.com/docs/studio/widget-library/call-recording> and
//! <https://www.twilio.com/docs/studio/widget-library/connect-virtual-agent>.
//!
//! Decisions where Studio is silent:
//! - Timeouts the engine keeps itself: Make Outgoing Call's ring timeout (→ `noAnswer`), Send to
//!   Autopilot's and TwiML Redirect's (→ `timeout`; 0 means no timeout). Connect Call To's timeout
//!   only bounds the ringing, which the simulation does not see, so the world answers.
//! - The caller hanging up: widgets with a `hangup` event follow it (Connect Call To, Capture
//!   Payments, Connect Virtual Agent on a call); Enqueue Call and Send to Flex on a call follow
//!   `callComplete` with `QueueResult` `hangup` (Twilio requests the enqueue action then); the
//!   others keep waiting for their own outcome, and the call is over for what follows.
//! - Send to Flex, TwiML Redirect and Connect Virtual Agent also work without a call (messages,
//!   conversations); the others need one.

use flowpen_flow::spec::event_label;
use flowpen_flow::{Json, WidgetType};
use serde_json::{json, Map, Value};

use super::call::{rfc2822, CallLeg};
use super::{Engine, Phase, Waiting};
use crate::call::{ExternalEvent, ExternalKind, ExternalOutcome, ExternalRequest};
use crate::io::{Effect, EndReason};
use crate::step::Step;

/// What a widget asks of the outside world, before it becomes an [`ExternalRequest`].
struct Plan {
    kind: ExternalKind,
    target: String,
    summary: String,
    events: Vec<(&'static str, Map<String, Value>)>,
    /// Seconds after which the engine ends the wait with `timeout_event` (0: never).
    timeout_s: u64,
    timeout_event: Option<&'static str>,
}

fn vars(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect()
}

fn with(mut base: Map<String, Value>, pairs: &[(&str, &str)]) -> Map<String, Value> {
    for (k, v) in pairs {
        base.insert((*k).to_owned(), json!(v));
    }
    base
}

/// Whether Twilio could redirect to `url` (an absolute http(s) URL with a host).
fn redirectable(url: &str) -> bool {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && !url.contains(char::is_whitespace)
    })
}

impl Engine {
    pub(crate) fn run_external(
        &mut self,
        i: usize,
        step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let kind = self.flow.states[i].kind.clone();
        let needs_call = match kind {
            WidgetType::ConnectCallTo
            | WidgetType::EnqueueCall
            | WidgetType::CapturePayments
            | WidgetType::RecordCall => true,
            WidgetType::SendToFlex
            | WidgetType::AddTwimlRedirect
            | WidgetType::ConnectVirtualAgent => self.call.is_some(),
            _ => false,
        };
        let mut step = if needs_call {
            self.require_call(i, step, now_ms)?
        } else {
            step
        };
        let plan = match kind {
            WidgetType::ConnectCallTo => self.plan_connect_call(i, &mut step, now_ms)?,
            WidgetType::MakeOutgoingCall => self.plan_outgoing_call(i, &mut step, now_ms)?,
            WidgetType::EnqueueCall => self.plan_enqueue(i, &mut step, now_ms)?,
            WidgetType::SendToFlex => self.plan_flex(i, &mut step, now_ms)?,
            WidgetType::CapturePayments => self.plan_payment(i, &mut step, now_ms)?,
            WidgetType::SendToAutopilot => self.plan_autopilot(i, &mut step, now_ms)?,
            WidgetType::RecordCall => self.plan_record_call(i, &mut step, now_ms)?,
            WidgetType::ConnectVirtualAgent => self.plan_virtual_agent(i, &mut step, now_ms)?,
            _ => {
                let url = self.render_prop(i, "url", &mut step, now_ms)?;
                if !redirectable(&url) {
                    step.outcome = format!(
                        "failed: \"{url}\" is not a URL Twilio can redirect to (an absolute http or https URL)"
                    );
                    self.leave(i, "fail", step, now_ms);
                    return Ok(());
                }
                self.plan_redirect(i, url, &mut step)
            }
        };
        let id = self.new_wait();
        let deadline_ms = (plan.timeout_s > 0 && plan.timeout_event.is_some())
            .then(|| now_ms.saturating_add(plan.timeout_s.saturating_mul(1000)));
        let state = &self.flow.states[i];
        let request = ExternalRequest {
            id,
            widget: state.name.clone(),
            widget_type: state.kind.as_str().to_owned(),
            kind: plan.kind,
            target: plan.target,
            summary: plan.summary,
            details: step.inputs.clone(),
            events: plan
                .events
                .into_iter()
                .map(|(event, variables)| ExternalEvent {
                    event: event.to_owned(),
                    label: event_label(&state.kind, event).to_owned(),
                    variables: variables.into_iter().collect(),
                })
                .collect(),
            deadline_ms,
            timeout_event: deadline_ms.and(plan.timeout_event).map(str::to_owned),
        };
        self.effects.push_back(Effect::External(request.clone()));
        self.phase = Phase::Waiting(Box::new(Waiting::External {
            state: i,
            request,
            step,
        }));
        Ok(())
    }

    fn plan_connect_call(
        &mut self,
        i: usize,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Plan, EndReason> {
        let noun = self.flow.states[i]
            .prop_str("noun")
            .map_or("number", str::trim)
            .to_owned();
        step.inputs.push(("noun".into(), noun.clone()));
        let to = if noun == "sip" {
            self.render_prop(i, "sip_endpoint", step, now_ms)?
        } else {
            self.render_prop(i, "to", step, now_ms)?
        };
        let caller_id = self.render_prop(i, "caller_id", step, now_ms)?;
        let record = self.flag_prop(i, "record", false);
        let timeout = self.count_prop(i, "timeout", 30, 1, 600);
        step.inputs.push(("timeout".into(), timeout.to_string()));
        let dialled = self.sid("CA");
        let mut base = self.call_params("in-progress");
        base.insert("DialCallDuration".into(), json!("60"));
        base.insert("DialCallSid".into(), json!(dialled));
        base.insert("DialCallStatus".into(), json!("completed"));
        if record {
            step.inputs.push(("record".into(), "true".into()));
            let re = self.sid("RE");
            let account = &self.setup.config.account_sid;
            base.insert(
                "RecordingUrl".into(),
                json!(format!(
                    "https://api.twilio.com/2010-04-01/Accounts/{account}/Recordings/{re}"
                )),
            );
        }
        let hangup = with(base.clone(), &[("CallStatus", "completed")]);
        let what = flowpen_flow::spec::NOUNS
            .iter()
            .find(|(v, _)| *v == noun)
            .map_or(noun.as_str(), |(_, l)| l)
            .to_lowercase();
        Ok(Plan {
            kind: ExternalKind::ConnectCall,
            summary: format!(
                "connect the call to {to} ({what}), caller ID {caller_id}, {timeout} s to answer{}",
                if record { ", recorded" } else { "" }
            ),
            target: to,
            events: vec![("callCompleted", base), ("hangup", hangup)],
            timeout_s: 0,
            timeout_event: None,
        })
    }

    fn plan_outgoing_call(
        &mut self,
        i: usize,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Plan, EndReason> {
        let to = self.render_prop(i, "to", step, now_ms)?;
        let from = self.render_prop(i, "from", step, now_ms)?;
        let timeout = self.count_prop(i, "timeout", 60, 0, 600);
        step.inputs.push(("timeout".into(), timeout.to_string()));
        let detect = self.flag_prop(i, "detect_answering_machine", false);
        if let Some(digits) = self.render_opt(i, "send_digits", step, now_ms)? {
            step.inputs.push(("send_digits".into(), digits));
        }
        let sid = self.sid("CA");
        let account = self.setup.config.account_sid.clone();
        let base = vars(&[
            ("AccountSid", &account),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", &sid),
            ("Direction", "outbound-api"),
            ("From", &from),
            ("To", &to),
        ]);
        let mut answered = with(base.clone(), &[("CallStatus", "in-progress")]);
        if detect {
            answered.insert("AnsweredBy".into(), json!("human"));
            answered.insert("MachineDetectionDuration".into(), json!("2000"));
        }
        Ok(Plan {
            kind: ExternalKind::OutgoingCall,
            summary: format!(
                "call {to} from {from}, ringing up to {timeout} s{}",
                if detect {
                    ", with answering machine detection"
                } else {
                    ""
                }
            ),
            target: to,
            events: vec![
                ("answered", answered),
                ("busy", with(base.clone(), &[("CallStatus", "busy")])),
                (
                    "noAnswer",
                    with(base.clone(), &[("CallStatus", "no-answer")]),
                ),
                ("failed", with(base, &[("CallStatus", "failed")])),
            ],
            timeout_s: timeout,
            timeout_event: Some("noAnswer"),
        })
    }

    /// Enqueue results as the `<Enqueue>` action reports them.
    fn queue_events(
        &mut self,
        mut base: Map<String, Value>,
        with_failure: bool,
    ) -> Vec<(&'static str, Map<String, Value>)> {
        base.insert("QueueSid".into(), json!(self.sid("QU")));
        let mut events = vec![
            (
                "callComplete",
                with(
                    base.clone(),
                    &[("QueueResult", "bridged"), ("QueueTime", "30")],
                ),
            ),
            (
                "failedToEnqueue",
                with(
                    base.clone(),
                    &[("QueueResult", "queue-full"), ("QueueTime", "0")],
                ),
            ),
        ];
        if with_failure {
            events.push((
                "callFailure",
                with(base, &[("QueueResult", "system-error"), ("QueueTime", "0")]),
            ));
        }
        events
    }

    fn plan_enqueue(&mut self, i: usize, step: &mut Step, now_ms: u64) -> Result<Plan, EndReason> {
        let queue = self.render_opt(i, "queue_name", step, now_ms)?;
        let workflow = self.flow.states[i]
            .prop_str("workflow_sid")
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_owned);
        if let Some(w) = &workflow {
            step.inputs.push(("workflow_sid".into(), w.clone()));
        }
        self.render_opt(i, "task_attributes", step, now_ms)?;
        let (target, summary) = match (queue, workflow) {
            (Some(q), _) => (q.clone(), format!("put the call in the queue \"{q}\"")),
            (None, Some(w)) => (
                w.clone(),
                format!("put the call in a TaskRouter task (workflow {w})"),
            ),
            (None, None) => (String::new(), "put the call in a queue".to_owned()),
        };
        let base = self.call_params("in-progress");
        Ok(Plan {
            kind: ExternalKind::Enqueue,
            target,
            summary,
            events: self.queue_events(base, true),
            timeout_s: 0,
            timeout_event: None,
        })
    }

    fn plan_flex(&mut self, i: usize, step: &mut Step, now_ms: u64) -> Result<Plan, EndReason> {
        let text = |k: &str| {
            self.flow.states[i]
                .prop_str(k)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let (workflow, channel) = (text("workflow"), text("channel"));
        step.inputs.push(("workflow".into(), workflow.clone()));
        step.inputs.push(("channel".into(), channel.clone()));
        let attributes = self
            .render_opt(i, "attributes", step, now_ms)?
            .unwrap_or_default();
        let task = vars(&[
            ("Age", "0"),
            ("Attributes", &attributes),
            ("TaskSid", &self.sid("WT")),
        ]);
        let on_call = self.call.is_some();
        let (summary, events) = if on_call {
            let mut base = self.call_params("in-progress");
            base.extend(task);
            (
                format!("put the call in a Flex task (workflow {workflow}, channel {channel})"),
                self.queue_events(base, true),
            )
        } else {
            (
                format!(
                    "hand the conversation to Flex as a task (workflow {workflow}, channel {channel})"
                ),
                vec![("callComplete", task), ("failedToEnqueue", Map::new())],
            )
        };
        Ok(Plan {
            kind: ExternalKind::Flex,
            target: workflow,
            summary,
            events,
            timeout_s: 0,
            timeout_event: None,
        })
    }

    fn plan_payment(&mut self, i: usize, step: &mut Step, now_ms: u64) -> Result<Plan, EndReason> {
        let state = &self.flow.states[i];
        let connector = state
            .prop_str("payment_connector")
            .unwrap_or("Default")
            .trim()
            .to_owned();
        let token_type = state
            .prop_str("payment_token_type")
            .unwrap_or("one-time")
            .trim()
            .to_owned();
        let cards: Vec<String> = match state.properties.get("valid_card_types") {
            Some(Json::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        step.inputs
            .push(("payment_connector".into(), connector.clone()));
        let amount = self
            .render_opt(i, "payment_amount", step, now_ms)?
            .unwrap_or_default();
        let currency = self
            .render_opt(i, "currency", step, now_ms)?
            .unwrap_or_else(|| "usd".into());
        step.inputs
            .push(("payment_token_type".into(), token_type.clone()));
        if !cards.is_empty() {
            step.inputs
                .push(("valid_card_types".into(), cards.join(", ")));
        }
        let charge = !amount.trim().is_empty() && amount.trim().parse::<f64>() != Ok(0.0);
        let mut success = self.call_params("in-progress");
        success.extend(vars(&[
            ("ExpirationDate", "1230"),
            ("PaymentCardNumber", "xxxx-xxxx-xxxx-1111"),
            ("PaymentCardType", "visa"),
            ("PaymentToken", &self.sid("tok")),
            ("Result", "success"),
        ]));
        if charge {
            success.insert("PaymentConfirmationCode".into(), json!(self.sid("ch")));
        }
        if self.flag_prop(i, "security_code", true) {
            success.insert("SecurityCode".into(), json!("xxx"));
        }
        if self.flag_prop(i, "postal_code", true) {
            success.insert("PaymentCardPostalCode".into(), json!("94103"));
        }
        let fail = |result: &str, status: &str| {
            with(
                self.call_params(status),
                &[("Result", result), ("PaymentToken", "")],
            )
        };
        Ok(Plan {
            kind: ExternalKind::Payment,
            summary: if charge {
                format!("take a payment of {amount} {currency} through {connector}")
            } else {
                format!("save a card ({token_type} token) through {connector}")
            },
            target: connector,
            events: vec![
                ("success", success),
                (
                    "maxFailedAttempts",
                    fail("too-many-failed-attempts", "in-progress"),
                ),
                (
                    "providerError",
                    fail("payment-connector-error", "in-progress"),
                ),
                (
                    "payInterrupted",
                    fail("caller-interrupted-with-star", "in-progress"),
                ),
                ("hangup", fail("caller-hung-up", "completed")),
                ("validationError", fail("validation-error", "in-progress")),
            ],
            timeout_s: 0,
            timeout_event: None,
        })
    }

    fn plan_autopilot(
        &mut self,
        i: usize,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Plan, EndReason> {
        let assistant = self.flow.states[i]
            .prop_str("autopilot_assistant_sid")
            .unwrap_or_default()
            .trim()
            .to_owned();
        step.inputs
            .push(("autopilot_assistant_sid".into(), assistant.clone()));
        let body = self.render_prop(i, "body", step, now_ms)?;
        self.render_prop(i, "from", step, now_ms)?;
        let task = self.flow.states[i]
            .prop_str("target_task")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or("goodbye")
            .to_owned();
        let timeout = self.count_prop(i, "timeout", 14_400, 0, 1_209_600);
        step.inputs.push(("timeout".into(), timeout.to_string()));
        Ok(Plan {
            kind: ExternalKind::Autopilot,
            summary: format!("hand \"{body}\" to the Autopilot assistant {assistant}"),
            target: assistant,
            events: vec![
                ("sessionEnded", vars(&[("CurrentTask", &task)])),
                ("failure", Map::new()),
                ("timeout", Map::new()),
            ],
            timeout_s: timeout,
            timeout_event: Some("timeout"),
        })
    }

    fn plan_redirect(&mut self, i: usize, url: String, step: &mut Step) -> Plan {
        let method = self.flow.states[i]
            .prop_str("method")
            .map_or("POST", str::trim)
            .to_uppercase();
        step.inputs.push(("method".into(), method.clone()));
        let timeout = self.count_prop(i, "timeout", 14_400, 0, 14_400);
        step.inputs.push(("timeout".into(), timeout.to_string()));
        let what = if self.call.is_some() {
            "the call"
        } else {
            "the message"
        };
        Plan {
            kind: ExternalKind::TwimlRedirect,
            summary: format!(
                "hand {what} to the TwiML at {url} ({method}); it comes back with FlowEvent=return and its parameters"
            ),
            target: url,
            events: vec![("return", Map::new()), ("timeout", Map::new())],
            timeout_s: timeout,
            timeout_event: Some("timeout"),
        }
    }

    fn plan_record_call(
        &mut self,
        i: usize,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Plan, EndReason> {
        let on = self.flag_prop(i, "record_call", false);
        step.inputs.push(("record_call".into(), on.to_string()));
        let channels = self.flow.states[i]
            .prop_str("recording_channels")
            .map_or("dual", str::trim)
            .to_owned();
        self.render_opt(i, "recording_status_callback", step, now_ms)?;
        let sid = self.sid("RE");
        let account = self.setup.config.account_sid.clone();
        let call = self
            .call
            .as_ref()
            .map(|c| c.sid.clone())
            .unwrap_or_default();
        let date = rfc2822(now_ms);
        let success = vars(&[
            ("AccountSid", &account),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", &call),
            ("Channels", if channels == "mono" { "1" } else { "2" }),
            ("DateCreated", &date),
            ("DateUpdated", &date),
            ("Sid", &sid),
            ("Source", "StartCallRecordingAPI"),
            ("StartTime", &date),
            ("Status", if on { "in-progress" } else { "stopped" }),
            (
                "Uri",
                &format!("/2010-04-01/Accounts/{account}/Calls/{call}/Recordings/{sid}.json"),
            ),
        ]);
        Ok(Plan {
            kind: ExternalKind::CallRecording,
            summary: if on {
                format!("start recording the call ({channels})")
            } else {
                "stop recording the call".to_owned()
            },
            target: call,
            events: vec![("success", success), ("failed", Map::new())],
            timeout_s: 0,
            timeout_event: None,
        })
    }

    fn plan_virtual_agent(
        &mut self,
        i: usize,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Plan, EndReason> {
        let connector = self.flow.states[i]
            .prop_str("connector")
            .unwrap_or_default()
            .trim()
            .to_owned();
        step.inputs.push(("connector".into(), connector.clone()));
        self.render_opt(i, "language", step, now_ms)?;
        let voice = self.call.is_some();
        let data = json!({
            "ConversationId": self.sid("df"),
            "EndUserId": self.sid("eu"),
        });
        let status = |event: &str, provider_data: Option<Value>| {
            let mut v = vars(&[
                ("VirtualAgentProvider", "DialogflowCX"),
                ("VirtualAgentStatus", event),
            ]);
            if let Some(d) = provider_data {
                v.insert("VirtualAgentProviderData".into(), d);
            }
            v
        };
        let mut handoff = data.clone();
        handoff["AgentHandoffParameters"] = json!({});
        let mut failed = status("failed", None);
        failed.insert("VirtualAgentError".into(), json!("simulated failure"));
        failed.insert("VirtualAgentErrorCode".into(), json!("32600"));
        let mut events = vec![
            ("completed", status("completed", Some(data.clone()))),
            (
                "live-agent-handoff",
                status("live-agent-handoff", Some(handoff)),
            ),
        ];
        if voice {
            let mut paused = data;
            paused["PauseParameters"] = json!({});
            events.push(("paused", status("paused", Some(paused))));
            events.push(("hangup", status("hangup", None)));
        } else {
            events.push(("timeout", status("timeout", None)));
        }
        events.push(("failed", failed));
        if self.flow.states[i]
            .transitions
            .iter()
            .any(|t| t.event == "return")
        {
            events.push(("return", Map::new()));
        }
        Ok(Plan {
            kind: ExternalKind::VirtualAgent,
            summary: format!(
                "connect {} to the Dialogflow CX agent of connector \"{connector}\"",
                if voice {
                    "the call"
                } else {
                    "the conversation"
                }
            ),
            target: connector,
            events,
            timeout_s: 0,
            timeout_event: None,
        })
    }

    /// The outside world answered: the event's variables (defaults, then the shell's) become
    /// `widgets.NAME`, and the widget leaves through the event (`note` ends the outcome).
    pub(crate) fn external_done(
        &mut self,
        state: usize,
        request: ExternalRequest,
        mut step: Step,
        outcome: ExternalOutcome,
        note: &str,
        now_ms: u64,
    ) {
        let Some(event) = request.event(&outcome.event) else {
            return;
        };
        let mut vars: Map<String, Value> = event.variables.iter().cloned().collect();
        for (k, v) in outcome.variables {
            vars.insert(k, v);
        }
        if request.kind == ExternalKind::OutgoingCall && event.event == "answered" {
            let text = |k: &str| vars.get(k).and_then(Value::as_str).unwrap_or_default();
            self.call = Some(CallLeg {
                sid: text("CallSid").to_owned(),
                from: text("From").to_owned(),
                to: text("To").to_owned(),
                direction: "outbound-api".into(),
                live: true,
                geo: Vec::new(),
            });
        }
        if event.event == "hangup"
            || vars.get("QueueResult").and_then(Value::as_str) == Some("hangup")
        {
            self.call_ended();
        }
        let key = [
            "DialCallStatus",
            "QueueResult",
            "Result",
            "AnsweredBy",
            "CallStatus",
            "CurrentTask",
            "Status",
        ]
        .iter()
        .find_map(|k| {
            vars.get(*k)
                .and_then(Value::as_str)
                .map(|v| format!("{k} {v}"))
        });
        step.outcome = format!(
            "{} ({}){}{note}",
            event.event,
            event.label,
            key.map(|k| format!(": {k}")).unwrap_or_default()
        );
        let name = event.event.clone();
        if !vars.is_empty() {
            self.set_widget(&mut step, state, Value::Object(vars));
        }
        self.leave(state, &name, step, now_ms);
    }

    /// The wait's own timeout expired.
    pub(crate) fn external_timed_out(
        &mut self,
        state: usize,
        request: ExternalRequest,
        step: Step,
        now_ms: u64,
    ) {
        let Some(event) = request.timeout_event.clone() else {
            self.phase = Phase::Waiting(Box::new(Waiting::External {
                state,
                request,
                step,
            }));
            return;
        };
        let outcome = ExternalOutcome::event(&event);
        self.external_done(
            state,
            request,
            step,
            outcome,
            " (the widget's timeout)",
            now_ms,
        );
    }

    /// The caller hung up while the widget waited for the outside world (see the module docs).
    /// Gives the wait back when it goes on.
    pub(crate) fn external_hung_up(
        &mut self,
        state: usize,
        request: ExternalRequest,
        step: Step,
        now_ms: u64,
    ) {
        let queued = matches!(request.kind, ExternalKind::Enqueue | ExternalKind::Flex)
            && request.event("callFailure").is_some();
        if request.event("hangup").is_some() {
            let outcome = ExternalOutcome::event("hangup");
            self.external_done(state, request, step, outcome, "", now_ms);
        } else if queued {
            let outcome = ExternalOutcome::event("callComplete")
                .with("QueueResult", "hangup")
                .with("CallStatus", "completed");
            self.external_done(state, request, step, outcome, "", now_ms);
        } else {
            self.phase = Phase::Waiting(Box::new(Waiting::External {
                state,
                request,
                step,
            }));
        }
    }

    /// Fork Stream: starts or stops a stream of the call's audio (simulated: nothing is
    /// streamed) and goes on (`next`).
    pub(crate) fn run_fork_stream(
        &mut self,
        i: usize,
        step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let mut step = self.require_call(i, step, now_ms)?;
        let action = self.flow.states[i]
            .prop_str("stream_action")
            .map_or("start", str::trim)
            .to_owned();
        step.inputs.push(("stream_action".into(), action.clone()));
        let name = self
            .render_opt(i, "stream_name", &mut step, now_ms)?
            .unwrap_or_default();
        step.outcome = if action == "stop" {
            format!("stopped the stream \"{name}\" (simulated)")
        } else {
            let url = self
                .render_opt(i, "stream_url", &mut step, now_ms)?
                .unwrap_or_default();
            format!("started streaming the call to {url} (simulated: no audio is sent)")
        };
        self.leave(i, "next", step, now_ms);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::redirectable;

    #[test]
    fn redirect_urls_must_be_absolute_http() {
        assert!(redirectable("https://example.com/twiml"));
        assert!(redirectable("http://example.com"));
        assert!(!redirectable("example.com/twiml"));
        assert!(!redirectable("https://"));
        assert!(!redirectable("https://exa mple.com"));
        assert!(!redirectable(""));
    }
}
