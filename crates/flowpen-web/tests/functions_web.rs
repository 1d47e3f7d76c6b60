//! The in-browser Functions host in headless Chromium: the sandbox, the worker protocol, and
//! Twilio's contract (functions-runtime.md §2.5–§2.7) row by row.
#![cfg(target_arch = "wasm32")]

use flowpen_engine::{form_encode, HttpRequest, HttpResponse, RequestId};
use flowpen_playground::functions::{FakeFetchResponse, Invocation, InvokeOptions, LogLine};
use flowpen_playground::project::{FunctionDef, FunctionsProject};
use flowpen_web::functions::FunctionsHost;
use serde_json::{json, Value};
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
    get(&FunctionsHost::new(), &project(&[("/f", code)]), "/f").await
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
    let host = FunctionsHost::new();

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
    let host = FunctionsHost::new();
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
    let host = FunctionsHost::new();
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
    let host = FunctionsHost::new();
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
    let host = FunctionsHost::new();

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
    let host = FunctionsHost::new();
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
    let host = FunctionsHost::new();
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
    let host = FunctionsHost::new();
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

// --- event, context, globals, require, console -------------------------------------------------------

#[wasm_bindgen_test]
async fn event_merges_query_and_form_body_with_request_headers_and_cookies() {
    let mut request = form_post(
        &url("/f?min=0&q=1"),
        &[
            ("min".to_owned(), "1".to_owned()),
            ("max".to_owned(), "10".to_owned()),
            ("Body".to_owned(), "héllo wörld & co".to_owned()),
        ],
    );
    request.headers.extend(
        [
            ("X-Forwarded-For", "1.2.3.4"),
            ("Cookie", "session=abc; prefs=j:{\"a\":1}"),
            ("X-Custom", "a"),
            ("x-custom", "b"),
            ("I-Twilio-Idempotency-Token", "token"),
        ]
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
    );
    let functions = project(&[(
        "/f",
        "exports.handler = (context, event, callback) => callback(null, event);",
    )]);
    let call = FunctionsHost::new()
        .invoke(&functions, &request, LIMIT_MS)
        .await;
    assert_eq!(
        json_body(&call.response),
        json!({
            "request": {
                "headers": {
                    "content-type": "application/x-www-form-urlencoded",
                    "cookie": "session=abc; prefs=j:{\"a\":1}",
                    "x-custom": ["a", "b"]
                },
                "cookies": {"session": "abc", "prefs": {"a": 1}}
            },
            "min": "1",
            "q": "1",
            "max": "10",
            "Body": "héllo wörld & co"
        })
    );
}

#[wasm_bindgen_test]
async fn event_takes_json_bodies() {
    let request = HttpRequest {
        headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
        body: Some(r#"{"color": "orange", "age": 7, "nested": {"ok": true}}"#.to_owned()),
        ..request("POST", &url("/f?age=42&firstName=Rick"))
    };
    let functions = project(&[(
        "/f",
        "exports.handler = (context, event, callback) => {
           const { request, ...parameters } = event;
           callback(null, parameters);
         };",
    )]);
    let call = FunctionsHost::new()
        .invoke(&functions, &request, LIMIT_MS)
        .await;
    assert_eq!(
        json_body(&call.response),
        json!({"age": 7, "firstName": "Rick", "color": "orange", "nested": {"ok": true}})
    );
}

#[wasm_bindgen_test]
async fn context_has_path_domain_env_and_a_client_that_explains_itself() {
    let mut functions = project(&[(
        "/ctx",
        "exports.handler = (context, event, callback) => {
           let client;
           try { context.getTwilioClient(); client = 'created'; } catch (error) { client = error.message; }
           const sid = context.SERVICE_SID;
           callback(null, {
             PATH: context.PATH,
             DOMAIN_NAME: context.DOMAIN_NAME,
             GREETING: context.GREETING,
             client,
             sid: sid === undefined ? 'undefined' : sid,
             keys: Object.keys(context),
           });
         };",
    )]);
    functions.env = vec![("GREETING".to_owned(), "ahoy".to_owned())];
    let host = FunctionsHost::new();
    let call = get(&host, &functions, "/ctx").await;
    let body = json_body(&call.response);
    assert_eq!(body["PATH"], "/ctx");
    assert_eq!(body["DOMAIN_NAME"], "flowpen.local");
    assert_eq!(body["GREETING"], "ahoy");
    assert_eq!(body["sid"], "undefined");
    assert_eq!(
        body["keys"],
        json!([
            "PATH",
            "DOMAIN_NAME",
            "SERVICE_SID",
            "ENVIRONMENT_SID",
            "GREETING",
            "getTwilioClient"
        ])
    );
    let client = body["client"].as_str().unwrap_or_default();
    assert!(
        client.starts_with("context.getTwilioClient() is not available in the Flowpen playground")
            && client.contains("no Twilio credentials"),
        "{client}"
    );
    assert_eq!(call.logs.len(), 1);
    assert_eq!(call.logs[0].level, "warn");
    assert!(
        call.logs[0].text.contains("SERVICE_SID"),
        "{}",
        call.logs[0].text
    );

    // Environment variables are spread after the defaults, so they may override them.
    functions
        .env
        .push(("DOMAIN_NAME".to_owned(), "example.twil.io".to_owned()));
    let overridden = get(&host, &functions, "/ctx").await;
    assert_eq!(
        json_body(&overridden.response)["DOMAIN_NAME"],
        "example.twil.io"
    );
}

#[wasm_bindgen_test]
async fn runtime_functions_require_and_missing_modules() {
    let functions = project(&[
        (
            "/main",
            "const helpers = require(Runtime.getFunctions()['lib/helpers'].path);
             exports.handler = (context, event, callback) => {
               let missing;
               try { require('lodash'); } catch (error) { missing = `${error.code}: ${error.message}`; }
               callback(null, {
                 functions: Runtime.getFunctions(),
                 sameAsGlobal: Functions.main.path === Runtime.getFunctions().main.path,
                 shout: helpers.shout('hi'),
                 missing,
                 assets: Runtime.getAssets(),
                 twilioModule: typeof require('twilio').twiml.VoiceResponse,
                 axiosModule: typeof require('axios').get,
               });
             };",
        ),
        ("lib/helpers", "exports.shout = (text) => `${text.toUpperCase()}!`;"),
    ]);
    let call = get(&FunctionsHost::new(), &functions, "/main").await;
    let body = json_body(&call.response);
    assert_eq!(
        body["functions"],
        json!({"main": {"path": "functions/main.js"}, "lib/helpers": {"path": "functions/lib/helpers.js"}})
    );
    assert_eq!(body["sameAsGlobal"], true);
    assert_eq!(body["shout"], "HI!");
    assert_eq!(body["assets"], json!({}));
    assert_eq!(body["twilioModule"], "function");
    assert_eq!(body["axiosModule"], "function");
    let missing = body["missing"].as_str().unwrap_or_default();
    assert!(
        missing.starts_with("MODULE_NOT_FOUND: module 'lodash' is not available in the browser"),
        "{missing}"
    );
}

#[wasm_bindgen_test]
async fn console_output_is_the_log() {
    let call = run(
        "exports.handler = (context, event, callback) => {
           console.log('plain', 42, { a: 1, b: 'x', nested: { deep: { deeper: { deepest: 1 } } } }, [1, 2]);
           console.info('info %s has %d items', 'cart', 3);
           console.warn('warned');
           console.error(new Error('shown'));
           console.debug('debugging');
           callback(null, 'ok');
         };",
    )
    .await;
    assert_eq!(call.response.body, "ok");
    let lines: Vec<(&str, &str)> = call
        .logs
        .iter()
        .map(|line| (line.level.as_str(), line.text.as_str()))
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(
        lines[0],
        (
            "log",
            "plain 42 { a: 1, b: 'x', nested: { deep: { deeper: [Object] } } } [ 1, 2 ]"
        )
    );
    assert_eq!(lines[1], ("info", "info cart has 3 items"));
    assert_eq!(lines[2], ("warn", "warned"));
    assert_eq!(lines[3].0, "error");
    assert!(lines[3].1.starts_with("Error: shown\n") && lines[3].1.contains("functions/f.js"));
    assert_eq!(lines[4], ("log", "debugging"));
}

// --- routing ---------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn unknown_paths_are_404_and_options_answers_without_invoking() {
    let functions = project(&[(
        "/f",
        "exports.handler = (c, e, callback) => { console.log('invoked'); callback(null, 'ran'); };",
    )]);
    let host = FunctionsHost::new();
    let missing = get(&host, &functions, "/nope").await;
    assert_eq!(missing.response.status, 404);
    assert_eq!(missing.response.headers, content_type_only(TEXT_HTML));
    assert_eq!(missing.response.body, "Could not find requested resource");

    let mut request = request("GET", &url("/f"));
    request.method = "OPTIONS".to_owned();
    let preflight = host.invoke(&functions, &request, LIMIT_MS).await;
    assert_eq!(preflight.response.status, 204);
    assert_eq!(
        preflight.response.header("access-control-allow-origin"),
        Some("*")
    );
    assert_eq!(
        preflight.response.header("access-control-allow-methods"),
        Some("GET, POST, OPTIONS")
    );
    assert_eq!(preflight.response.body, "");
    assert!(preflight.logs.is_empty(), "the Function did not run");
    assert!(host.frame().is_none(), "no sandbox was needed");
}

// --- the seeds: the random number Function (000) and the dog-breed Function (002) -----------------

/// The random number Function of seed 000, with the same calls (the native test
/// `seed_handlers_match_the_browser_tests` checks them against ../shared).
const RANDOM_NUMBER: &str = "exports.handler = function (context, event, callback) {
  const min = Math.ceil(event.min);
  const max = Math.floor(event.max);
  const randomNum = Math.floor(Math.random() * (max - min + 1)) + min;
  return callback(null, { number: randomNum });
};";

#[wasm_bindgen_test]
async fn the_random_number_function_returns_a_number_in_range() {
    let functions = project(&[("/random", RANDOM_NUMBER)]);
    let host = FunctionsHost::new();
    for (min, max) in [(1, 6), (1, 6), (1, 6), (10, 12), (5, 5), (-3, 3)] {
        let request = form_post(
            &url("/random"),
            &[
                ("min".to_owned(), min.to_string()),
                ("max".to_owned(), max.to_string()),
            ],
        );
        let call = host.invoke(&functions, &request, LIMIT_MS).await;
        assert_eq!(call.response.status, 200);
        assert_eq!(call.response.content_type(), Some(APPLICATION_JSON));
        let body = json_body(&call.response);
        let number = body["number"].as_i64().unwrap_or(i64::MIN);
        assert!(
            (min..=max).contains(&number),
            "{number} not in [{min}, {max}]"
        );
        assert_eq!(body.as_object().map(|object| object.len()), Some(1));
    }
}

/// A minimal dog-breed Function making the same axios calls as seed 002's first sample.
const DOG_BREED: &str = "const axios = require('axios');

exports.handler = async (context, event, callback) => {
  let dogBreed = event.breed.toLowerCase().trim();
  if (dogBreed.includes(' ')) {
    const [subBreed, breed] = dogBreed.split(' ');
    dogBreed = `${breed}/${subBreed}`;
  }
  const dogApiUrl = `https://dog.ceo/api/breed/${dogBreed}/images/random`;
  try {
    const response = await axios.get(dogApiUrl);
    return callback(null, {
      text: `A ${event.breed}`,
      url: response.data.message,
    });
  } catch (error) {
    if (error.response && error.response.status === 404) {
      return callback(null, { text: `No ${event.breed}s` });
    }
    return callback(error);
  }
};";

fn dog_api() -> InvokeOptions {
    let json = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    InvokeOptions {
        timeout_ms: LIMIT_MS,
        fake_fetch: Some(vec![
            FakeFetchResponse {
                url: "https://dog.ceo/api/breed/retriever/golden/images/random".to_owned(),
                status: 200,
                headers: json.clone(),
                body: r#"{"message":"https://images.dog.ceo/breeds/retriever-golden/1.jpg","status":"success"}"#
                    .to_owned(),
            },
            FakeFetchResponse {
                url: "https://dog.ceo/api/breed/unicorn/images/random".to_owned(),
                status: 404,
                headers: json,
                body: r#"{"status":"error","message":"Breed not found (master breed does not exist)","code":404}"#
                    .to_owned(),
            },
        ]),
    }
}

async fn ask_for(breed: &str) -> Invocation {
    let request = form_post(&url("/dog"), &[("breed".to_owned(), breed.to_owned())]);
    FunctionsHost::new()
        .invoke_with(&project(&[("/dog", DOG_BREED)]), &request, &dog_api())
        .await
}

#[wasm_bindgen_test]
async fn the_dog_breed_function_gets_an_image_through_axios() {
    let call = ask_for("Golden Retriever").await;
    assert_eq!(call.response.status, 200, "{}", call.response.body);
    assert_eq!(
        json_body(&call.response),
        json!({"text": "A Golden Retriever", "url": "https://images.dog.ceo/breeds/retriever-golden/1.jpg"})
    );
}

#[wasm_bindgen_test]
async fn the_dog_breed_function_handles_a_404_from_axios() {
    let call = ask_for("Unicorn").await;
    assert_eq!(call.response.status, 200, "{}", call.response.body);
    assert_eq!(json_body(&call.response), json!({"text": "No Unicorns"}));
}

#[wasm_bindgen_test]
async fn the_dog_breed_function_reports_a_network_error() {
    // The fake fetch has no answer for this URL, so it fails like a network error.
    let call = ask_for("Poodle").await;
    assert_eq!(call.response.status, 500);
    let body = json_body(&call.response);
    assert_eq!(
        (body["name"].as_str(), body["message"].as_str()),
        (Some("AxiosError"), Some("Network Error"))
    );
}

#[wasm_bindgen_test]
async fn axios_posts_json_with_params_and_reports_status_errors() {
    let call = run(
        "const axios = require('axios');
         exports.handler = async (context, event, callback) => {
           const seen = [];
           // A stand-in for fetch: axios only needs status, headers and text().
           self.fetch = async (url, init) => {
             seen.push({ url, method: init.method, type: init.headers['Content-Type'], body: init.body });
             const status = url.includes('broken') ? 503 : 201;
             return { status, statusText: 'x', headers: new Headers({ 'content-type': 'application/json' }),
                      text: async () => '{\"id\":7}' };
           };
           const created = await axios.post('https://api.example.com/items', { name: 'x' },
             { params: { page: 2 }, headers: { 'X-Key': 'k' } });
           const api = axios.create({ baseURL: 'https://api.example.com/v1/' });
           await api.get('/things');
           let failure;
           try { await axios.get('https://api.example.com/broken'); }
           catch (error) { failure = [error.response.status, error.code, error.message, axios.isAxiosError(error)]; }
           callback(null, { seen, status: created.status, data: created.data, failure });
         };",
    )
    .await;
    assert_eq!(
        json_body(&call.response),
        json!({
            "seen": [
                {"url": "https://api.example.com/items?page=2", "method": "POST",
                 "type": "application/json", "body": "{\"name\":\"x\"}"},
                {"url": "https://api.example.com/v1/things", "method": "GET"},
                {"url": "https://api.example.com/broken", "method": "GET"}
            ],
            "status": 201,
            "data": {"id": 7},
            "failure": [503, "ERR_BAD_RESPONSE", "Request failed with status code 503", true]
        })
    );
}

// --- the sandbox -------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn function_code_cannot_reach_the_apps_storage_cookies_or_dom() {
    // The app has a secret in its storage and its cookies.
    let planted = js_sys::Function::new_no_args(
        "localStorage.setItem('flowpen-secret', 's3cret-value');
         document.cookie = 'flowpen-secret=s3cret-value; path=/';
         return localStorage.getItem('flowpen-secret') + ' ' + document.cookie;",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .ok()
    .and_then(|value| value.as_string())
    .unwrap_or_default();
    assert!(
        planted.matches("s3cret-value").count() >= 2,
        "the app sees its own secret: {planted}"
    );

    let app_url = web_sys::window()
        .and_then(|window| window.location().href().ok())
        .unwrap_or_default();
    let functions = project(&[(
        "/probe",
        "exports.handler = async (context, event, callback) => {
           const tries = {};
           const attempt = (name, read) => {
             try { tries[name] = `read: ${String(read())}`; } catch (error) { tries[name] = `blocked: ${error.name}`; }
           };
           attempt('localStorage', () => localStorage.getItem('flowpen-secret'));
           attempt('document.cookie', () => document.cookie);
           attempt('parent.document', () => parent.document.cookie);
           attempt('top.location', () => top.location.href);
           attempt('indexedDB', () => indexedDB.open('flowpen-probe'));
           attempt('cookieStore', () => cookieStore.get('flowpen-secret'));
           try {
             const page = await fetch(event.app, { credentials: 'include' });
             tries.appPage = `read: ${(await page.text()).slice(0, 60)}`;
           } catch (error) { tries.appPage = `blocked: ${error.name}`; }
           tries.origin = self.origin;
           callback(null, tries);
         };",
    )]);
    let host = FunctionsHost::new();
    let request = form_post(&url("/probe"), &[("app".to_owned(), app_url)]);
    let call = host.invoke(&functions, &request, LIMIT_MS).await;
    let tries = json_body(&call.response);
    assert!(
        !call.response.body.contains("s3cret-value"),
        "{}",
        call.response.body
    );
    assert_eq!(tries["origin"], "null", "the worker's origin is opaque");
    let attempts = tries
        .as_object()
        .map(|object| object.len())
        .unwrap_or_default();
    assert_eq!(attempts, 8, "{tries}");
    for (name, outcome) in tries.as_object().into_iter().flatten() {
        if name != "origin" {
            let outcome = outcome.as_str().unwrap_or_default();
            assert!(outcome.starts_with("blocked: "), "{name}: {outcome}");
        }
    }

    // The frame itself: scripts only, and cross-origin to the app (its document is unreachable).
    let frame = host.frame().expect("the call created the sandbox frame");
    assert_eq!(
        frame.get_attribute("sandbox").as_deref(),
        Some("allow-scripts")
    );
    assert!(
        frame.content_document().is_none(),
        "the sandbox's document is not the app's"
    );
    assert!(frame.is_connected());

    // Dropping the host removes its frame.
    drop(host);
    assert!(!frame.is_connected());
    let still_there =
        js_sys::Function::new_no_args("return localStorage.getItem('flowpen-secret');")
            .call0(&wasm_bindgen::JsValue::NULL)
            .ok()
            .and_then(|value| value.as_string());
    assert_eq!(still_there.as_deref(), Some("s3cret-value"));
}

#[wasm_bindgen_test]
async fn a_removed_frame_is_recreated_and_calls_can_overlap() {
    let functions = project(&[(
        "/slow",
        "exports.handler = (context, event, callback) => setTimeout(() => callback(null, event.n), 50);",
    )]);
    let host = FunctionsHost::new();
    let first = get(&host, &functions, "/slow?n=0").await;
    assert_eq!(first.response.body, "0");
    let frame = host.frame().expect("a frame");
    frame.remove();

    // Three calls at once, each in its own worker, each answered with its own event.
    let calls = (1..=3).map(|n| {
        let host = host.clone();
        let functions = functions.clone();
        async move { get(&host, &functions, &format!("/slow?n={n}")).await }
    });
    let mut answers = Vec::new();
    for call in calls.collect::<Vec<_>>() {
        answers.push(wasm_bindgen_futures::JsFuture::from(
            wasm_bindgen_futures::future_to_promise(async move {
                Ok(wasm_bindgen::JsValue::from_str(&call.await.response.body))
            }),
        ));
    }
    let mut bodies = Vec::new();
    for answer in answers {
        bodies.push(
            answer
                .await
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default(),
        );
    }
    assert_eq!(bodies, ["1", "2", "3"]);
    let new_frame = host.frame().expect("a new frame");
    assert!(new_frame.is_connected() && !frame.is_connected());
}
