//! The call leg an execution is on, and what the call widgets share: the call parameters Twilio
//! sends with every call webhook, and Twilio's date formats.

use serde_json::{json, Map, Value};

use super::Engine;
use crate::call::{CallInfo, InboundCall};
use crate::io::EndReason;
use crate::step::Step;

/// The call of an execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CallLeg {
    pub(crate) sid: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) direction: String,
    pub(crate) live: bool,
    /// Geographic webhook parameters of the incoming call (`FromCity`, `CallerZip`, …).
    pub(crate) geo: Vec<(String, String)>,
}

impl CallLeg {
    pub(crate) fn inbound(sid: String, call: &InboundCall) -> CallLeg {
        let geo = call
            .parameters
            .iter()
            .filter(|(k, _)| {
                ["City", "Country", "State", "Zip"]
                    .iter()
                    .any(|suffix| k.ends_with(suffix))
            })
            .cloned()
            .collect();
        CallLeg {
            sid,
            from: call.from.clone(),
            to: call.to.clone(),
            direction: "inbound".into(),
            live: true,
            geo,
        }
    }

    /// The call a subflow started on its own gets from its parent's `trigger.call`.
    pub(crate) fn from_params(params: &Map<String, Value>) -> CallLeg {
        let text = |k: &str| {
            params
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        CallLeg {
            sid: text("CallSid"),
            from: text("From"),
            to: text("To"),
            direction: match text("Direction") {
                d if d.is_empty() => "inbound".to_owned(),
                d => d,
            },
            live: true,
            geo: Vec::new(),
        }
    }

    pub(crate) fn info(&self) -> CallInfo {
        CallInfo {
            sid: self.sid.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            direction: self.direction.clone(),
            live: self.live,
        }
    }

    /// The parameters of a call webhook (all strings, as Twilio sends them), with `status` as
    /// `CallStatus`.
    pub(crate) fn params(&self, account_sid: &str, status: &str) -> Map<String, Value> {
        let mut o = Map::new();
        o.insert("AccountSid".into(), json!(account_sid));
        o.insert("ApiVersion".into(), json!("2010-04-01"));
        o.insert("CallSid".into(), json!(self.sid));
        o.insert("CallStatus".into(), json!(status));
        o.insert("Called".into(), json!(self.to));
        o.insert("Caller".into(), json!(self.from));
        o.insert("Direction".into(), json!(self.direction));
        o.insert("From".into(), json!(self.from));
        o.insert("To".into(), json!(self.to));
        for (k, v) in &self.geo {
            o.insert(k.clone(), json!(v));
        }
        o
    }
}

impl Engine {
    /// The call a call widget needs, or how the execution ends without one. A widget that finds
    /// the call ended logs its step (nothing happened) and ends the execution as Studio does when
    /// the call ends; a widget in an execution that never had a call is an error in the flow.
    /// Gives the step back when the call is up.
    pub(crate) fn require_call(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<Step, EndReason> {
        let live = match &self.call {
            Some(c) => c.live,
            None => {
                let state = &self.flow.states[i];
                return Err(EndReason::NoCall {
                    widget: state.name.clone(),
                    widget_type: state.kind.label().to_owned(),
                });
            }
        };
        if live {
            return Ok(step);
        }
        step.outcome = "the call has ended: the caller hung up before this widget".into();
        self.finish_step(step, now_ms);
        Err(EndReason::CallEnded {
            widget: self.flow.states[i].name.clone(),
        })
    }

    /// The live call's webhook parameters with `status` (empty without a call).
    pub(crate) fn call_params(&self, status: &str) -> Map<String, Value> {
        self.call
            .as_ref()
            .map(|c| c.params(&self.setup.config.account_sid, status))
            .unwrap_or_default()
    }

    /// The caller hung up: the call is over (call widgets that follow end the execution).
    pub(crate) fn call_ended(&mut self) {
        if let Some(c) = self.call.as_mut() {
            c.live = false;
        }
    }

    /// A fresh SID with Twilio's two-letter prefix (`CA`, `RE`, `QU`, `WT`…).
    pub(crate) fn sid(&mut self, prefix: &str) -> String {
        format!("{prefix}{:032x}", 0x2_0000 + self.new_sid())
    }
}

fn split(now_ms: u64) -> (i64, i64, i64, u64, u64, u64, usize) {
    let secs = now_ms / 1000;
    let days = (secs / 86_400) as i64;
    let (y, m, d) = flowpen_liquid::calendar::civil_from_days(days);
    let rem = secs % 86_400;
    // 1970-01-01 was a Thursday.
    let weekday = ((days + 4).rem_euclid(7)) as usize;
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60, weekday)
}

/// `2026-01-01T00:00:00Z` (Conversations' dates).
pub(crate) fn iso8601(now_ms: u64) -> String {
    let (y, m, d, hh, mm, ss, _) = split(now_ms);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
}

/// `Thu, 01 Jan 2026 00:00:00 +0000` (the Voice API's dates).
pub(crate) fn rfc2822(now_ms: u64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d, hh, mm, ss, wd) = split(now_ms);
    format!(
        "{}, {d:02} {} {y:04} {hh:02}:{mm:02}:{ss:02} +0000",
        DAYS[wd],
        MONTHS[(m - 1) as usize]
    )
}

#[cfg(test)]
mod tests {
    use super::{iso8601, rfc2822};

    #[test]
    fn dates_are_twilios() {
        // 2026-01-01T00:00:00Z, a Thursday.
        assert_eq!(iso8601(1_767_225_600_000), "2026-01-01T00:00:00Z");
        assert_eq!(
            rfc2822(1_767_225_600_000),
            "Thu, 01 Jan 2026 00:00:00 +0000"
        );
        // 2024-02-29T23:59:59.999Z, a leap day and a Thursday.
        assert_eq!(iso8601(1_709_251_199_999), "2024-02-29T23:59:59Z");
        assert_eq!(
            rfc2822(1_709_251_199_999),
            "Thu, 29 Feb 2024 23:59:59 +0000"
        );
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc2822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    }
}
