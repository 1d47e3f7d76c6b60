//! `event`, `context`, Twilio's globals, `require`, the console, and routing.

use flowpen_engine::HttpRequest;
use flowpen_web::functions::{FunctionsHost, Runtime};
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{
    content_type_only, form_post, get, json_body, project, request, run, url, LIMIT_MS, TEXT_HTML,
};

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
    let call = FunctionsHost::with_runtime(Runtime::bundled())
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
    let call = FunctionsHost::with_runtime(Runtime::bundled())
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
    let host = FunctionsHost::with_runtime(Runtime::bundled());
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
    let call = get(
        &FunctionsHost::with_runtime(Runtime::bundled()),
        &functions,
        "/main",
    )
    .await;
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
    let host = FunctionsHost::with_runtime(Runtime::bundled());
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
