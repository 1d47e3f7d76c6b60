//! The seeds' Functions: the random number Function (000) and the dog-breed Function (002).

use flowpen_playground::functions::{FakeFetchResponse, Invocation, InvokeOptions};
use flowpen_web::functions::{FunctionsHost, Runtime};
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{form_post, json_body, project, run, url, APPLICATION_JSON, LIMIT_MS};

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
    let host = FunctionsHost::with_runtime(Runtime::bundled());
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
    FunctionsHost::with_runtime(Runtime::bundled())
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
