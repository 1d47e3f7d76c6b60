//! Send Message and Send & Wait For Reply: the message effect, the wait for delivery or for the
//! contact's reply, and `widgets.NAME.outbound` / `.inbound`.

use flowpen_flow::Json;
use serde_json::{json, Value};

use super::{Engine, Phase, Waiting};
use crate::io::{Effect, EndReason, InboundMessage, MessageId, OutboundMessage};
use crate::step::Step;

impl Engine {
    pub(crate) fn run_send(
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
            .map_or(self.setup.config.default_reply_timeout_s, |n| n as u64)
    }

    /// The contact's reply reached a waiting Send & Wait For Reply: `incomingMessage`.
    pub(crate) fn reply_received(
        &mut self,
        state: usize,
        mut step: Step,
        outbound: Value,
        message: &InboundMessage,
        now_ms: u64,
    ) {
        let inbound = self.message_params(message);
        step.outcome = format!("reply: \"{}\"", message.body);
        self.set_widget(
            &mut step,
            state,
            json!({ "outbound": outbound, "inbound": inbound }),
        );
        self.leave(state, "incomingMessage", step, now_ms);
    }

    /// Send Message's message was sent: `sent`.
    pub(crate) fn message_sent(
        &mut self,
        state: usize,
        mut step: Step,
        mut outbound: Value,
        now_ms: u64,
    ) {
        outbound["Status"] = json!("sent");
        step.outcome = "sent".into();
        self.set_widget(&mut step, state, json!({ "outbound": outbound }));
        self.leave(state, "sent", step, now_ms);
    }

    /// A message could not be sent (Send Message: `failed`) or delivered (Send & Wait For Reply:
    /// `deliveryFailure`).
    pub(crate) fn message_failed(
        &mut self,
        state: usize,
        mut step: Step,
        mut outbound: Value,
        waited_for_reply: bool,
        error: &str,
        now_ms: u64,
    ) {
        let (event, outcome) = if waited_for_reply {
            ("deliveryFailure", format!("delivery failed: {error}"))
        } else {
            ("failed", format!("failed to send: {error}"))
        };
        outbound["Status"] = json!("failed");
        step.outcome = outcome;
        self.set_widget(&mut step, state, json!({ "outbound": outbound }));
        self.leave(state, event, step, now_ms);
    }

    /// No reply before Send & Wait For Reply's timeout: `timeout`.
    pub(crate) fn reply_timed_out(
        &mut self,
        state: usize,
        mut step: Step,
        outbound: Value,
        now_ms: u64,
    ) {
        step.outcome = "no reply before the timeout".into();
        self.set_widget(&mut step, state, json!({ "outbound": outbound }));
        self.leave(state, "timeout", step, now_ms);
    }
}
