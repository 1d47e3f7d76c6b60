//! The project around the flow, natively: Function paths, the Functions actions of the editor's
//! reducer, the saved Functions (and autosaves from before they existed), the project file that
//! Export project writes and Open… reads, and the bundled examples' Functions.
#![cfg(not(target_arch = "wasm32"))]

use flowpen_flow::Flow;
use flowpen_playground::editor::{persist, Action, EditorState, Level, Panel};
use flowpen_playground::flowtest::StubResponse;
use flowpen_playground::project::examples::{self, EXAMPLES};
use flowpen_playground::project::functions::{self, EnvField};
use flowpen_playground::project::{self, Document, Project, ProjectRef, Subflow, WidgetStub};
use flowpen_playground::project::{FunctionDef, FunctionsProject};

fn project(paths: &[&str]) -> FunctionsProject {
    FunctionsProject {
        functions: paths
            .iter()
            .map(|p| FunctionDef {
                path: (*p).to_owned(),
                code: format!("// {p}"),
            })
            .collect(),
        env: vec![],
    }
}

#[test]
fn function_paths_follow_twilios_rules_and_are_unique() {
    let p = project(&["/random", "/get-doge"]);
    assert_eq!(functions::check_path(&p, None, "dice"), Ok("/dice".into()));
    assert_eq!(
        functions::check_path(&p, None, " /v1/dice.roll_2~x "),
        Ok("/v1/dice.roll_2~x".into())
    );
    assert_eq!(
        functions::check_path(&p, Some(0), "/random"),
        Ok("/random".into()),
        "its own path"
    );
    for (bad, why) in [
        ("/random", "already has the path /random"),
        ("", "needs a path"),
        ("/", "needs a path"),
        ("/a b", "found a space"),
        ("/a?b", "found \"?\""),
        ("/a//b", "no empty parts"),
        ("/a/", "no empty parts"),
    ] {
        let e = functions::check_path(&p, Some(1), bad).expect_err(bad);
        assert!(e.to_string().contains(why), "{bad}: {e}");
    }
    assert!(functions::check_path(&p, None, &format!("/{}", "a".repeat(300))).is_err());
    assert_eq!(
        functions::function_url("random"),
        "https://flowpen.local/random"
    );
    assert_eq!(
        functions::url_path("https://flowpen.local/random?x=1"),
        Some("/random".into())
    );
    assert_eq!(functions::url_path("https://example.twil.io/random"), None);
    assert_eq!(functions::new_path(&project(&[])), "/function");
    assert_eq!(
        functions::new_path(&project(&["/function", "/function-2"])),
        "/function-3"
    );
}

#[test]
fn environment_variable_names_are_checked() {
    let mut p = FunctionsProject {
        functions: vec![],
        env: vec![
            ("API_KEY".into(), "k".into()),
            ("".into(), "x".into()),
            ("2FA".into(), "x".into()),
            ("API_KEY".into(), "later".into()),
        ],
    };
    assert_eq!(functions::env_name_problem(&p, 0), None);
    assert!(functions::env_name_problem(&p, 1).is_some_and(|e| e.to_string().contains("name")));
    assert!(functions::env_name_problem(&p, 2)
        .is_some_and(|e| e.to_string().contains("not first a digit")));
    assert!(functions::env_name_problem(&p, 3).is_some_and(|e| e.to_string().contains("set twice")));
    assert!(functions::set_env(&mut p, 1, EnvField::Name, "REGION"));
    assert!(
        !functions::set_env(&mut p, 1, EnvField::Name, "REGION"),
        "unchanged"
    );
    assert!(functions::set_env(&mut p, 1, EnvField::Value, "eu"));
    assert_eq!(p.env[1], ("REGION".into(), "eu".into()));
    assert!(!functions::set_env(&mut p, 9, EnvField::Value, "x"));
}

#[test]
fn the_reducer_adds_renames_edits_and_deletes_functions() {
    let mut s = EditorState::new(flowpen_flow::edit::new_flow());
    assert!(s.project.functions.functions.is_empty());
    let rev = s.project.functions_rev;
    s.update(Action::AddFunction);
    assert_eq!(s.project.functions.functions[0].path, "/function");
    assert_eq!(s.project.functions.functions[0].code, functions::TEMPLATE);
    assert_eq!(
        (s.project.selected_function, s.chrome.panel),
        (Some(0), Panel::Functions)
    );
    assert!(s.project.functions_rev > rev);
    s.update(Action::AddFunction);
    assert_eq!(s.project.selected_function, Some(1));
    s.update(Action::RenameFunction {
        index: 1,
        path: "dice".into(),
    });
    assert_eq!(s.project.functions.functions[1].path, "/dice");
    s.update(Action::RenameFunction {
        index: 1,
        path: "/function".into(),
    });
    assert_eq!(
        s.project.functions.functions[1].path, "/dice",
        "a taken path is refused"
    );
    assert!(s
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| n.level == Level::Error && n.text.contains("already has the path")));
    let rev = s.project.functions_rev;
    s.update(Action::SetFunctionCode {
        index: 1,
        code: "exports.handler = (c, e, cb) => cb(null, 6);".into(),
    });
    assert!(s.project.functions_rev > rev);
    let rev = s.project.functions_rev;
    s.update(Action::SetFunctionCode {
        index: 1,
        code: "exports.handler = (c, e, cb) => cb(null, 6);".into(),
    });
    assert_eq!(s.project.functions_rev, rev, "no change, no save");
    s.update(Action::AddEnv);
    s.update(Action::SetEnv {
        item: 0,
        field: EnvField::Name,
        text: "SIDES".into(),
    });
    s.update(Action::SetEnv {
        item: 0,
        field: EnvField::Value,
        text: "6".into(),
    });
    assert_eq!(
        s.project.functions.env,
        vec![("SIDES".to_owned(), "6".to_owned())]
    );
    s.update(Action::DeleteFunction(1));
    assert_eq!(s.project.functions.functions.len(), 1);
    assert_eq!(s.project.selected_function, Some(0));
    s.update(Action::DeleteFunction(0));
    assert_eq!(s.project.selected_function, None);
    s.update(Action::RemoveEnv(0));
    assert!(s.project.functions.env.is_empty());
    // Out-of-range indices are ignored.
    s.update(Action::DeleteFunction(5));
    s.update(Action::SelectFunction(5));
    s.update(Action::RemoveEnv(5));
    assert_eq!(s.project.selected_function, None);
}

#[test]
fn the_saved_functions_round_trip_and_old_autosaves_still_load() {
    let p = FunctionsProject {
        functions: vec![FunctionDef {
            path: "/random".into(),
            code: "exports.handler = () => {};\n// \"quotes\" and ünïcode".into(),
        }],
        env: vec![("A".into(), "1".into()), ("A".into(), "2".into())],
    };
    let text = project::saved_text(&p);
    assert_eq!(project::parse_saved(&text), Ok(p.clone()));
    assert!(project::parse_saved("[]").is_err());
    assert!(project::parse_saved(r#"{"functions": [{"path": "/x"}]}"#)
        .is_err_and(|e| e.to_string().contains("needs \"code\"")));
    assert!(project::parse_saved(r#"{"env": {"A": [1]}}"#)
        .is_err_and(|e| e.to_string().contains("$.env.A")));

    let dog = examples::example("dog-breed.json").expect("example");
    let flow_text = Flow::parse(dog.json).expect("flow").to_json().to_compact();
    // Saved together: exactly what was saved.
    let r = EditorState::restore_project(Some(&flow_text), None, Some(&text));
    assert_eq!(*r.state.project.functions, p);
    assert_eq!(r.state.project.selected_function, Some(0));
    // Saved before Functions existed: the bundled Functions the flow calls.
    let r = EditorState::restore(Some(&flow_text), None);
    assert_eq!(*r.state.project.functions, dog.project());
    assert!(r.unreadable_functions.is_none());
    // Unreadable Functions: none, said so, and the text is handed back to be kept.
    let r = EditorState::restore_project(Some(&flow_text), None, Some("{oops"));
    assert!(r.state.project.functions.functions.is_empty());
    assert_eq!(r.unreadable_functions.as_deref(), Some("{oops"));
    assert!(r
        .state
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains(persist::UNREADABLE_FUNCTIONS_KEY)));
    // Nothing saved: the first example with its Functions.
    let r = EditorState::restore_project(None, None, None);
    assert_eq!(*r.state.project.functions, examples::FIRST.project());
}

#[test]
fn the_project_file_round_trips_and_keeps_the_flow_exact() {
    for ex in EXAMPLES {
        let flow = Flow::parse(ex.json).expect("flow");
        let functions = ex.project();
        let text = project::project_text(ProjectRef::of(&flow, &functions));
        assert!(
            text.starts_with("{\n  \"flowpen\": 1,\n  \"flow\": {"),
            "{text}"
        );
        assert!(text.ends_with("}\n"));
        match project::parse_document(&text) {
            Ok(Document::Project(p)) => {
                assert_eq!(
                    p.flow.to_pretty_string(),
                    flow.to_pretty_string(),
                    "{}",
                    ex.file
                );
                assert_eq!(p.functions, ex.project());
                assert!(p.subflows.is_empty() && p.tests.is_empty());
            }
            other => panic!("{}: {other:?}", ex.file),
        }
        // A plain Studio export is still a flow.
        assert!(matches!(
            project::parse_document(ex.json),
            Ok(Document::Flow(_))
        ));
    }
    let s = EditorState::default();
    assert_eq!(
        s.project_file_name(),
        "random-number-generator.flowpen.json"
    );
    assert_eq!(
        project::parse_document(&s.project_text()),
        Ok(Document::Project(Box::new(Project {
            flow: (*s.doc.flow).clone(),
            functions: (*s.project.functions).clone(),
            tests: examples::FIRST.tests.to_owned(),
            ..Project::default()
        })))
    );
}

#[test]
fn a_broken_project_file_says_where() {
    let e = project::parse_document(
        "{\n  \"flowpen\": 1,\n  \"flow\": {\"states\": [{\"name\": 7}]}\n}",
    )
    .expect_err("shape");
    assert_eq!((e.line, e.column), (3, 32));
    assert_eq!(e.path, "$.flow.states[0].name");
    let e = project::parse_document("{\"flowpen\": 2, \"flow\": {}}").expect_err("version");
    assert!(e.message.contains("\"flowpen\": 1"), "{}", e.message);
    let e = project::parse_document("{\"flowpen\": 1}").expect_err("no flow");
    assert!(e.message.contains("\"flow\""));
    let e = project::parse_document(
        "{\"flowpen\": 1, \"flow\": {\"states\": []}, \"functions\": {\"path\": \"/x\"}}",
    )
    .expect_err("functions");
    assert_eq!(e.path, "$.functions");
    let e = project::parse_document("{\"flowpen\": 1,").expect_err("JSON");
    assert_eq!(e.line, 1);
}

#[test]
fn opening_a_project_replaces_the_functions_and_undo_brings_them_back() {
    let mut s = EditorState::default();
    let before_flow = s.doc.flow.to_pretty_string();
    let before = (*s.project.functions).clone();
    let dog = examples::example("dog-breed.json").expect("example");
    let (dog_flow, dog_functions) = (Flow::parse(dog.json).expect("flow"), dog.project());
    let text = project::project_text(ProjectRef::of(&dog_flow, &dog_functions));
    s.update(Action::Open {
        text,
        source: "\"dog.flowpen.json\"".into(),
    });
    assert_eq!(*s.project.functions, dog.project());
    let notice = s.chrome.notice.clone().expect("a notice");
    assert_eq!(notice.level, Level::Info);
    assert!(notice.text.contains("and 1 Function"), "{}", notice.text);
    s.update(Action::Undo);
    assert_eq!(*s.project.functions, before);
    assert_eq!(s.doc.flow.to_pretty_string(), before_flow);
    s.update(Action::Redo);
    assert_eq!(*s.project.functions, dog.project());

    // A plain Studio flow keeps the Functions, and says which paths it calls that are missing.
    let retry = examples::example("retry-counter.json").expect("example");
    s.update(Action::Open {
        text: retry.json.into(),
        source: "\"retry.json\"".into(),
    });
    assert_eq!(*s.project.functions, dog.project());
    assert!(s
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("It calls /flaky on flowpen.local")));

    // An example brings its own Functions (one undo step).
    s.update(Action::OpenExample("retry-counter.json".into()));
    assert_eq!(*s.project.functions, retry.project());
    assert_eq!(s.doc.flow.description(), Some("Retry counter"));
    s.update(Action::Undo);
    assert_eq!(*s.project.functions, dog.project());
}

#[test]
fn every_example_has_the_functions_its_flow_calls() {
    for ex in EXAMPLES {
        let flow = Flow::parse(ex.json).expect("flow");
        let called = functions::called_paths(&flow);
        assert!(!called.is_empty(), "{} calls a Function", ex.file);
        assert_eq!(
            functions::missing_paths(&flow, &ex.project()),
            Vec::<String>::new(),
            "{}",
            ex.file
        );
        assert_eq!(
            examples::functions_called_by(&flow),
            ex.project(),
            "{}",
            ex.file
        );
        for f in ex.functions {
            assert!(f.1.contains("exports.handler"), "{}: {}", ex.file, f.0);
        }
    }
}

/// `/random` is the seed's handler, and `/get-doge` keeps the seed's shape (sub-breeds, the
/// "Sorry, we couldn't find any …s" answer).
#[test]
fn the_example_functions_follow_the_seeds() {
    let Some(shared) = flowpen_testkit::shared_dir("the_example_functions_follow_the_seeds") else {
        return;
    };
    let page = std::fs::read_to_string(shared.join("seeds").join("000_413be32dd542646e.txt"))
        .expect("seed 000");
    let handler = page
        .split("```javascript")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the seed's handler");
    for line in handler.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(examples::RANDOM_JS.contains(line), "/random lacks {line:?}");
    }
    let dog = std::fs::read_to_string(shared.join("seeds").join("002_function-samples.js"))
        .expect("seed 002");
    for marker in [
        "dogBreed = `${breed}/${subBreed}`;",
        "text: `Here's an image of a ${event.breed}! 🐶`,",
        "text: `Sorry, we couldn't find any ${event.breed}s 🥲`,",
    ] {
        assert!(dog.contains(marker), "seed 002 has {marker:?}");
        assert!(
            examples::GET_DOGE_JS.contains(marker),
            "/get-doge lacks {marker:?}"
        );
    }
}

/// Subflows, flow tests and stubs travel in the project file (and so in autosave and share links) and
/// come back exactly; a project without them writes what earlier versions wrote.
#[test]
fn subflows_tests_and_stubs_travel_in_the_project_file() {
    let main = Flow::parse(examples::FIRST.json).expect("flow");
    let child = Flow::parse(EXAMPLES[2].json).expect("flow");
    let project = Project {
        flow: main.clone(),
        functions: examples::FIRST.project(),
        subflows: vec![Subflow {
            name: "Retry counter".into(),
            sid: "FW0123456789abcdef0123456789abcdef".into(),
            flow: std::rc::Rc::new(child.clone()),
        }],
        tests: "flow: random-number.json\n# a comment stays\ntests: []\n".into(),
        stubs: vec![
            WidgetStub {
                subflow: None,
                widget: "get_num".into(),
                on: true,
                response: StubResponse {
                    status: 201,
                    headers: vec![("Content-Type".into(), "application/json".into())],
                    body: "{\"n\": 4}".into(),
                    delay_ms: 250,
                    error: None,
                },
            },
            WidgetStub {
                subflow: Some("FW0123456789abcdef0123456789abcdef".into()),
                widget: "http_1".into(),
                on: false,
                response: StubResponse {
                    error: Some("connection refused".into()),
                    ..StubResponse::default()
                },
            },
        ],
    };
    let text = project::project_text(project.as_ref());
    assert!(text.contains("\"subflows\": ["), "{text}");
    match project::parse_document(&text) {
        Ok(Document::Project(p)) => {
            assert_eq!(p.subflows.len(), 1);
            assert_eq!(
                p.subflows[0].flow.to_pretty_string(),
                child.to_pretty_string()
            );
            assert_eq!(*p, project);
        }
        other => panic!("{other:?}"),
    }
    // Opening it replaces everything in one undo step, and autosave keeps all of it.
    let mut s = EditorState::default();
    s.update(Action::Open {
        text: text.clone(),
        source: "a project".into(),
    });
    assert_eq!(s.project.subflows.len(), 1);
    assert_eq!(*s.project.tests, project.tests);
    let restored = EditorState::restore_saved(Some(&s.saved_project_text()), None, None, None);
    assert_eq!(restored.state.project.subflows, s.project.subflows);
    assert_eq!(restored.state.project.tests, s.project.tests);
    assert_eq!(*restored.state.project.stubs, project.stubs);
    s.update(Action::Undo);
    assert!(s.project.subflows.is_empty() && s.project.stubs.is_empty());
    assert_eq!(
        *s.project.tests,
        examples::FIRST.tests,
        "back to the example, its tests too"
    );
    // Broken parts say where.
    let broken = text.replace("\"sid\": \"FW", "\"sid\": 7, \"x\": \"FW");
    let e = project::parse_document(&broken).expect_err("a number is not a SID");
    assert_eq!(e.path, "$.subflows[0].sid");
    let listed = text.replace(
        "\"tests\": \"flow: random-number.json",
        "\"tests\": [], \"x\": \"flow: random-number.json",
    );
    let e = project::parse_document(&listed).expect_err("tests are text");
    assert!(
        e.message.contains("the text of a test file"),
        "{}",
        e.message
    );
    for (from, to, path, says) in [
        (
            "\"status\": 201",
            "\"status\": 2000",
            "$.stubs[0].status",
            "from 0 to 999",
        ),
        (
            "\"status\": 201",
            "\"status\": -1",
            "$.stubs[0].status",
            "from 0 to 999",
        ),
        (
            "\"delay_ms\": 250",
            "\"delay_ms\": \"soon\"",
            "$.stubs[0].delay_ms",
            "a number",
        ),
        (
            "\"widget\": \"get_num\"",
            "\"widget\": \"\"",
            "$.stubs[0]",
            "names its \"widget\"",
        ),
        (
            "\"on\": true",
            "\"on\": \"yes\"",
            "$.stubs[0].on",
            "true or false",
        ),
        (
            "\"Content-Type\": \"application/json\"",
            "\"Content-Type\": 1",
            "$.stubs[0].headers",
            "must be text",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        let e = project::parse_document(&text.replacen(from, to, 1)).expect_err(to);
        assert_eq!(e.path, path, "{to}");
        assert!(e.message.contains(says), "{to}: {}", e.message);
    }
    let many = format!(
        "{{\"flowpen\": 1, \"flow\": {}, \"stubs\": [{}]}}",
        examples::FIRST.json,
        vec!["{\"widget\": \"w\"}"; project::stubs::MAX_STUBS + 1].join(",")
    );
    let e = project::parse_document(&many).expect_err("too many");
    assert!(e.message.contains("at most"), "{}", e.message);
}
