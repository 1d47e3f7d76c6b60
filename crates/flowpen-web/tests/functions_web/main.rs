//! The in-browser Functions host in headless Chromium: the sandbox, the worker protocol, and
//! Twilio's contract (functions-runtime.md §2.5–§2.7) row by row.
#![cfg(target_arch = "wasm32")]

use flowpen_engine::{form_encode, HttpRequest, HttpResponse, RequestId};
use flowpen_playground::functions::{Invocation, LogLine};
use flowpen_playground::project::{FunctionDef, FunctionsProject};
use flowpen_web::functions::{FunctionsHost, Runtime};
use serde_json::Value;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A generous limit for calls that should finish at once (a broken one fails in 5 s, not 10).
const LIMIT_MS: u32 = 5_000;
const TEXT_PLAIN: &str = "text/plain; charset=utf-8";
const TEXT_HTML: &str = "text/html; charset=utf-8";
const TEXT_XML: &str = "text/xml; charset=utf-8";
const APPLICATION_JSON: &str = "application/json; charset=utf-8";

fn project(functions: &[(&str, &str)]) -> FunctionsProject {
    FunctionsProject {
        functions: functions
            .iter()
            .map(|(path, code)| FunctionDef {
                path: (*path).to_owned(),
                code: (*code).to_owned(),
            })
            .collect(),
        env: Vec::new(),
    }
}

/// A request as the engine makes it: `method` to `url`, without headers or body.
fn request(method: &str, url: &str) -> HttpRequest {
    HttpRequest {
        id: RequestId(1),
        widget: "test".to_owned(),
        method: method.to_owned(),
        url: url.to_owned(),
        headers: Vec::new(),
        body: None,
        timeout_ms: 10_000,
        max_response_bytes: 64 * 1024,
    }
}

/// What Studio's Run Function widget sends: a form-encoded `POST` of the widget's parameters.
fn form_post(url: &str, params: &[(String, String)]) -> HttpRequest {
    HttpRequest {
        headers: vec![(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )],
        body: Some(form_encode(params)),
        ..request("POST", url)
    }
}

fn url(path: &str) -> String {
    format!("https://flowpen.local{path}")
}

/// Runs a project's Function with a GET request to `path`.
async fn get(host: &FunctionsHost, project: &FunctionsProject, path: &str) -> Invocation {
    host.invoke(project, &request("GET", &url(path)), LIMIT_MS)
        .await
}

/// Runs one Function, served at `/f`, with a GET request.
async fn run(code: &str) -> Invocation {
    get(
        &FunctionsHost::with_runtime(Runtime::bundled()),
        &project(&[("/f", code)]),
        "/f",
    )
    .await
}

fn json_body(response: &HttpResponse) -> Value {
    serde_json::from_str(&response.body)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", response.body))
}

fn content_type_only(value: &str) -> Vec<(String, String)> {
    vec![("Content-Type".to_owned(), value.to_owned())]
}

// --- §2.5: callback(err, payload) → HTTP ---------------------------------------------------------

#[wasm_bindgen_test]
async fn callback_with_a_string_is_text_plain() {
    let call =
        run("exports.handler = (context, event, callback) => callback(null, 'This is fine');")
            .await;
    assert_eq!(call.response.status, 200);
    assert_eq!(call.response.headers, content_type_only(TEXT_PLAIN));
    assert_eq!(call.response.body, "This is fine");
    assert!(call.duration_ms > 0.0, "{}", call.duration_ms);
}

#[wasm_bindgen_test]
async fn callback_with_twiml_is_xml() {
    let mut functions = project(&[
        (
            "/sms",
            "exports.handler = (context, event, callback) => {
               const twiml = new Twilio.twiml.MessagingResponse();
               twiml.message({ to: context.MY_NUMBER }, `${event.From}: ${event.Body}`);
               const reply = twiml.message('Tom & Jerry <3');
               reply.media('https://demo.twilio.com/owl.png');
               return callback(null, twiml);
             };",
        ),
        (
            "/voice",
            "exports.handler = (context, event, callback) => {
               const twiml = new Twilio.twiml.VoiceResponse();
               twiml.say({ voice: 'alice' }, 'Never gonna give you up');
               twiml.play('https://demo.twilio.com/docs/classic.mp3');
               const gather = twiml.gather({ numDigits: 1, action: '/menu' });
               gather.say('Press 1');
               twiml.dial({ callerId: '+15550100' }).number('+15550101');
               twiml.hangup();
               return callback(null, twiml);
             };",
        ),
        (
            "/empty",
            "exports.handler = (c, e, callback) => callback(null, new Twilio.twiml.MessagingResponse());",
        ),
    ]);
    functions.env = vec![("MY_NUMBER".to_owned(), "+15550100".to_owned())];
    let host = FunctionsHost::with_runtime(Runtime::bundled());

    let sms = get(&host, &functions, "/sms?From=%2B15550199&Body=Ahoy").await;
    assert_eq!(sms.response.status, 200);
    assert_eq!(sms.response.headers, content_type_only(TEXT_XML));
    assert_eq!(
        sms.response.body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message to=\"+15550100\">+15550199: \
         Ahoy</Message><Message>Tom &amp; Jerry &lt;3<Media>https://demo.twilio.com/owl.png</Media>\
         </Message></Response>"
    );

    let voice = get(&host, &functions, "/voice").await;
    assert_eq!(voice.response.headers, content_type_only(TEXT_XML));
    assert_eq!(
        voice.response.body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say voice=\"alice\">Never gonna give \
         you up</Say><Play>https://demo.twilio.com/docs/classic.mp3</Play><Gather numDigits=\"1\" \
         action=\"/menu\"><Say>Press 1</Say></Gather><Dial callerId=\"+15550100\"><Number>+15550101\
         </Number></Dial><Hangup/></Response>"
    );

    let empty = get(&host, &functions, "/empty").await;
    assert_eq!(
        empty.response.body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"
    );
}

#[wasm_bindgen_test]
async fn callback_with_an_object_array_or_boolean_is_json() {
    let functions = project(&[
        (
            "/object",
            "exports.handler = (c, e, callback) => callback(null, { result: 'winner winner!', n: 1.5 });",
        ),
        ("/array", "exports.handler = (c, e, callback) => callback(null, [1, 'two', null]);"),
        ("/boolean", "exports.handler = (c, e, callback) => callback(null, false);"),
    ]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    for (path, body) in [
        ("/object", r#"{"result":"winner winner!","n":1.5}"#),
        ("/array", r#"[1,"two",null]"#),
        ("/boolean", "false"),
    ] {
        let call = get(&host, &functions, path).await;
        assert_eq!(call.response.status, 200, "{path}");
        assert_eq!(
            call.response.headers,
            content_type_only(APPLICATION_JSON),
            "{path}"
        );
        assert_eq!(call.response.body, body, "{path}");
    }
}

#[wasm_bindgen_test]
async fn callback_without_a_payload_is_an_empty_200() {
    let functions = project(&[
        ("/none", "exports.handler = (c, e, callback) => callback();"),
        (
            "/null",
            "exports.handler = (c, e, callback) => callback(null);",
        ),
        (
            "/falsy-error",
            "exports.handler = (c, e, callback) => callback(0, 'kept');",
        ),
    ]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    for path in ["/none", "/null"] {
        let call = get(&host, &functions, path).await;
        assert_eq!(call.response.status, 200, "{path}");
        assert_eq!(
            call.response.headers,
            content_type_only(APPLICATION_JSON),
            "{path}"
        );
        assert_eq!(call.response.body, "", "{path}");
    }
    // twilio-run tests `if (err)`: a falsy error is a success.
    let falsy = get(&host, &functions, "/falsy-error").await;
    assert_eq!(
        (falsy.response.status, falsy.response.body.as_str()),
        (200, "kept")
    );
}

#[wasm_bindgen_test]
async fn callback_with_a_number_is_an_explained_500() {
    let call = run("exports.handler = (c, e, callback) => callback(null, 42);").await;
    assert_eq!(call.response.status, 500);
    assert_eq!(call.response.content_type(), Some(TEXT_PLAIN));
    assert!(
        call.response.body.contains("callback(null, 42)"),
        "{}",
        call.response.body
    );
}

#[wasm_bindgen_test]
async fn callback_with_an_error_is_500_json_with_a_clean_stack() {
    let call = run(
        "exports.handler = (context, event, callback) => {\n  return callback(new TypeError('bad breed'));\n};",
    )
    .await;
    assert_eq!(call.response.status, 500);
    assert_eq!(call.response.headers, content_type_only(APPLICATION_JSON));
    let body = json_body(&call.response);
    assert_eq!(body["message"], "bad breed");
    assert_eq!(body["name"], "TypeError");
    let stack = body["stack"].as_str().unwrap_or_default();
    assert!(stack.starts_with("TypeError: bad breed"), "{stack}");
    assert!(
        stack.contains("functions/f.js:2:"),
        "the Function's own frame and line: {stack}"
    );
    assert!(
        !stack.contains("blob:"),
        "the runtime's frames are removed: {stack}"
    );
    assert!(
        call.logs.is_empty(),
        "callback(err) is a response, not a crash: {:?}",
        call.logs
    );
}

#[wasm_bindgen_test]
async fn callback_with_a_string_or_object_error_is_500() {
    let functions = project(&[
        (
            "/string",
            "exports.handler = (c, e, callback) => callback('Something went very, very wrong.');",
        ),
        (
            "/object",
            "exports.handler = (c, e, callback) => callback({ code: 42 });",
        ),
    ]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    let string = get(&host, &functions, "/string").await;
    assert_eq!(string.response.status, 500);
    assert_eq!(string.response.headers, content_type_only(TEXT_HTML));
    assert_eq!(string.response.body, "Something went very, very wrong.");
    let object = get(&host, &functions, "/object").await;
    assert_eq!(object.response.status, 500);
    assert_eq!(object.response.headers, content_type_only(APPLICATION_JSON));
    assert_eq!(object.response.body, r#"{"code":42}"#);
}

// --- §2.6: Twilio.Response -----------------------------------------------------------------------

#[wasm_bindgen_test]
async fn twilio_response_sends_its_status_headers_and_body() {
    let call = run("exports.handler = (context, event, callback) => {
           const response = new Twilio.Response();
           const chained = response
             .setStatusCode(201)
             .appendHeader('Content-Type', 'application/json')
             .setBody({ everything: 'is alright' })
             .setCookie('session', 'abc', ['Path=/', 'HttpOnly'])
             .setCookie('theme', 'dark')
             .removeCookie('theme')
             .appendHeader('X-Multi', 'a')
             .appendHeader('X-Multi', ['b', 'c']);
           return callback(null, chained === response ? response : 'not chainable');
         };")
    .await;
    let expected: Vec<(String, String)> = [
        ("Set-Cookie", "session=abc;Path=/;HttpOnly"),
        ("Set-Cookie", "theme=;Max-Age=0"),
        ("Content-Type", APPLICATION_JSON),
        ("X-Multi", "a"),
        ("X-Multi", "b"),
        ("X-Multi", "c"),
    ]
    .iter()
    .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
    .collect();
    assert_eq!(call.response.status, 201);
    assert_eq!(call.response.headers, expected);
    assert_eq!(call.response.body, r#"{"everything":"is alright"}"#);
}

#[wasm_bindgen_test]
async fn twilio_response_rules() {
    let functions = project(&[
        (
            "/set-headers",
            "exports.handler = (c, e, callback) => callback(null, new Twilio.Response()
               .appendHeader('X-Old', '1')
               .setHeaders({ 'Access-Control-Allow-Origin': 'example.com', 'set-cookie': ['a=1', 'b=2'] })
               .setBody('This is fine'));",
        ),
        (
            "/object-header",
            "exports.handler = (c, e, callback) => {
               try { new Twilio.Response().appendHeader('X-Bad', { no: 'objects' }); }
               catch (error) { return callback(null, error.message); }
               return callback(null, 'no error');
             };",
        ),
        (
            "/no-content",
            "exports.handler = (c, e, callback) => {
               const response = new Twilio.Response();
               response.setStatusCode(204);
               return callback(null, response);
             };",
        ),
        (
            "/options",
            "exports.handler = (c, e, callback) => callback(null,
               new Response({ statusCode: 418, body: { teapot: true }, headers: { 'Set-Cookie': 'x=1' } }));",
        ),
        (
            "/json-string",
            "exports.handler = (c, e, callback) => callback(null, new Twilio.Response()
               .appendHeader('Content-Type', 'application/json').setBody('already text'));",
        ),
    ]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());

    // setHeaders replaces the headers; a string body without a type is HTML (Express's default).
    let replaced = get(&host, &functions, "/set-headers").await;
    assert_eq!(
        replaced.response.headers,
        [
            ("Access-Control-Allow-Origin", "example.com"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("Content-Type", TEXT_HTML),
        ]
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect::<Vec<_>>()
    );
    assert_eq!(replaced.response.body, "This is fine");

    let object_header = get(&host, &functions, "/object-header").await;
    assert_eq!(
        object_header.response.body,
        "Header value cannot be an object"
    );

    let no_content = get(&host, &functions, "/no-content").await;
    assert_eq!(
        no_content.response,
        HttpResponse {
            status: 204,
            headers: Vec::new(),
            body: String::new()
        }
    );

    // The global Response is Twilio.Response; the constructor takes options.
    let options = get(&host, &functions, "/options").await;
    assert_eq!(options.response.status, 418);
    assert_eq!(options.response.header_values("set-cookie"), ["x=1"]);
    assert_eq!(options.response.content_type(), Some(APPLICATION_JSON));
    assert_eq!(options.response.body, r#"{"teapot":true}"#);

    // serialize(): a JSON Content-Type turns even a string body into JSON text.
    let json_string = get(&host, &functions, "/json-string").await;
    assert_eq!(json_string.response.body, r#""already text""#);
}

// --- §2.7: exceptions, double callbacks, the time limit --------------------------------------------

#[wasm_bindgen_test]
async fn thrown_errors_and_rejections_are_500() {
    let functions = project(&[
        (
            "/sync",
            "exports.handler = () => { throw new RangeError('sync boom'); };",
        ),
        (
            "/async",
            "exports.handler = async () => { await null; throw new Error('async boom'); };",
        ),
        (
            "/promise",
            "exports.handler = () => Promise.reject(new Error('rejected'));",
        ),
        (
            "/timer",
            "exports.handler = () => { setTimeout(() => { throw new Error('late boom'); }, 0); };",
        ),
        ("/plain", "exports.handler = () => { throw 'plain text'; };"),
        (
            "/client",
            "exports.handler = (context) => { context.getTwilioClient(); };",
        ),
    ]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    for (path, name, message, note) in [
        (
            "/sync",
            "RangeError",
            "sync boom",
            "the handler threw RangeError: sync boom",
        ),
        (
            "/async",
            "Error",
            "async boom",
            "the handler threw Error: async boom",
        ),
        (
            "/promise",
            "Error",
            "rejected",
            "the handler threw Error: rejected",
        ),
        (
            "/timer",
            "Error",
            "late boom",
            "an uncaught error ended the Function: Error: late boom",
        ),
    ] {
        let call = get(&host, &functions, path).await;
        assert_eq!(call.response.status, 500, "{path}");
        assert_eq!(
            call.response.content_type(),
            Some(APPLICATION_JSON),
            "{path}"
        );
        let body = json_body(&call.response);
        assert_eq!(
            (body["name"].as_str(), body["message"].as_str()),
            (Some(name), Some(message))
        );
        assert_eq!(call.logs, [LogLine::new("error", note)], "{path}");
    }
    let plain = get(&host, &functions, "/plain").await;
    assert_eq!(
        (plain.response.status, plain.response.body.as_str()),
        (500, "plain text")
    );

    // An uncaught getTwilioClient() error is a 500 that says why.
    let client = get(&host, &functions, "/client").await;
    assert_eq!(client.response.status, 500);
    let message = json_body(&client.response)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("no Twilio credentials"), "{message}");
}

#[wasm_bindgen_test]
async fn missing_handler_and_syntax_errors_are_500() {
    let functions = project(&[
        ("/missing", "exports.notTheHandler = () => {};"),
        (
            "/syntax",
            "exports.handler = (context, event, callback) => { callback(null, 'x' };",
        ),
    ]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    let missing = get(&host, &functions, "/missing").await;
    assert_eq!(missing.response.status, 500);
    assert_eq!(
        json_body(&missing.response)["message"],
        "Could not find a \"handler\" function in file functions/missing.js"
    );
    let syntax = get(&host, &functions, "/syntax").await;
    assert_eq!(syntax.response.status, 500);
    assert_eq!(json_body(&syntax.response)["name"], "SyntaxError");
    assert!(syntax.logs[0]
        .text
        .starts_with("the Function's code failed to load: SyntaxError"));
}

#[wasm_bindgen_test]
async fn the_first_callback_wins_and_execution_ends_there() {
    let call = run("exports.handler = (context, event, callback) => {
           console.log('before');
           callback(null, 'first');
           console.log('after');
           callback(null, 'second');
           throw new Error('after the callback');
         };")
    .await;
    assert_eq!(call.response.status, 200);
    assert_eq!(call.response.body, "first");
    assert_eq!(call.logs, [LogLine::new("log", "before")]);
}

#[wasm_bindgen_test]
async fn a_function_that_never_calls_back_is_stopped_with_a_504() {
    let functions = project(&[
        (
            "/spin",
            "exports.handler = () => { console.log('spinning'); while (true) {} };",
        ),
        ("/idle", "exports.handler = async () => {};"),
        (
            "/ok",
            "exports.handler = (c, e, callback) => callback(null, 'still here');",
        ),
    ]);
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    let limit = 300;
    for path in ["/spin", "/idle"] {
        let call = host
            .invoke(&functions, &request("GET", &url(path)), limit)
            .await;
        assert_eq!(call.response.status, 504, "{path}");
        assert!(
            call.response.body.contains("300 ms"),
            "{}",
            call.response.body
        );
        // Stopped by the frame's timer at the limit, not by the app's later safety net.
        assert!(
            call.duration_ms >= f64::from(limit) && call.duration_ms < 1_500.0,
            "{path}: {} ms",
            call.duration_ms
        );
        assert_eq!(
            call.logs.last().map(|line| line.level.as_str()),
            Some("error")
        );
    }
    // The busy worker was terminated: the same sandbox still answers.
    let after = get(&host, &functions, "/ok").await;
    assert_eq!(after.response.body, "still here");
}

mod runtime;
mod sandbox;
mod seeds;
