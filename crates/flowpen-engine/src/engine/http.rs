//! Run Function and Make HTTP Request: the request effect (Studio's encodings), the wait for the
//! response under the time and size limits, and the widget's outputs (`status_code`,
//! `content_type`, `headers`, `body`, `parsed` merged across runs).

use flowpen_flow::{Json, WidgetType};
use serde_json::{json, Map, Value};

use super::{Engine, Phase, Waiting};
use crate::io::{
    Effect, EndReason, HttpRequest, HttpResponse, RequestId, TransportError, TransportErrorKind,
};
use crate::step::{Step, StepDetail};

impl Engine {
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
            timeout_ms: self.setup.config.http_timeout_ms,
            max_response_bytes: self.setup.config.max_response_bytes,
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

    pub(crate) fn run_function(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
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

    pub(crate) fn run_http(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
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

    /// No response within the request's time limit: the widget fails as Studio's does.
    pub(crate) fn http_timed_out(
        &mut self,
        state: usize,
        request: HttpRequest,
        step: Step,
        now_ms: u64,
    ) {
        let error = TransportError {
            kind: TransportErrorKind::Timeout,
            message: format!("no response within {} s", request.timeout_ms / 1000),
        };
        self.finish_http(state, request, step, Err(error), now_ms);
    }

    /// Ends the step of a Run Function or Make HTTP Request with its response (or why there is
    /// none): `success` for 2xx/3xx, `fail`/`failed` otherwise.
    pub(crate) fn finish_http(
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

/// `application/x-www-form-urlencoded` as browsers write it (`URLSearchParams`): letters, digits and
/// `*-._` as they are, spaces as `+`, every other byte of the UTF-8 text as `%XX`. The workspace's one
/// form encoder: Run Function bodies, Make HTTP Request bodies and query strings, and the browser's
/// Functions host all use it.
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

    use super::{form_encode, http_outputs};
    use crate::io::HttpResponse;

    #[test]
    fn form_encoding_matches_browsers() {
        let pairs = vec![
            ("a b".to_owned(), "x&y=z é".to_owned()),
            ("n".to_owned(), "1".to_owned()),
        ];
        assert_eq!(form_encode(&pairs), "a+b=x%26y%3Dz+%C3%A9&n=1");
        assert_eq!(form_encode(&[]), "");
        let unreserved = vec![("k".to_owned(), "*-._~!'()".to_owned())];
        assert_eq!(form_encode(&unreserved), "k=*-._%7E%21%27%28%29");
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
