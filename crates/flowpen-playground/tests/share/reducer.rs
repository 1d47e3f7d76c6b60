//! The reducer opening links: at once when nothing would be lost, after asking when the project
//! has changes no file holds; the project it replaces put aside for Recent; a broken link keeps
//! everything; a view link is read-only until Fork.

use std::rc::Rc;

use flowpen_flow::edit;
use flowpen_playground::editor::{persist, Action, EditorState, Level, Overlay, Panel};
use flowpen_playground::project::examples;
use flowpen_playground::project::{FunctionsProject, ProjectRef};
use flowpen_playground::share::LinkKind;

use super::broken::v2_of_text;
use super::{flow, fragment};

/// A link (with its `#`) to the dog breed example with an edited Function.
fn dog_link(kind: LinkKind) -> (String, FunctionsProject) {
    let dog = examples::example("dog-breed.json").expect("example");
    let mut functions = dog.project();
    functions.functions[0].code.push_str("\n// edited 🐾\n");
    let f = flow(dog.json);
    let link = format!("#{}", fragment(ProjectRef::of(&f, &functions), kind, false));
    (link, functions)
}

/// An editor with the user's own work: the random number example with a renamed widget (changes
/// no file holds).
fn edited() -> EditorState {
    let mut s = EditorState::default();
    assert!(
        !s.unsaved_to_file(),
        "the example on first load is held by the app"
    );
    s.update(Action::Rename {
        index: 1,
        name: "lowest".into(),
    });
    assert!(s.unsaved_to_file());
    s
}

#[test]
fn a_link_opens_at_once_when_nothing_would_be_lost_and_undo_brings_the_project_back() {
    let (link, shared) = dog_link(LinkKind::Edit);
    let mut s = EditorState::default();
    let before = s.doc.flow.to_pretty_string();
    let undo_len = s.doc.history.undo_len();
    s.update(Action::OpenShared(link));
    assert_eq!(
        s.chrome.overlay, None,
        "no question: the example is not lost"
    );
    assert_eq!(*s.project.functions, shared);
    assert!(s.doc.flow.state("get-doge-image").is_some());
    assert_eq!(s.doc.history.undo_len(), undo_len + 1, "one undo step");
    assert!(
        s.project.outgoing.is_empty(),
        "an untouched example is not kept in Recent"
    );
    assert!(!s.unsaved_to_file(), "the link holds it");
    let notice = s.chrome.notice.clone().expect("a notice");
    assert_eq!(notice.level, Level::Info);
    assert!(
        notice.text.starts_with(
            "Opened a shared project — Undo brings yours back. Its Function does not run until you look at it in the Functions tab and choose Trust and run."
        ),
        "{}",
        notice.text
    );
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.to_pretty_string(), before);
    assert_eq!(*s.project.functions, examples::FIRST.project());
    assert_eq!(s.untrusted(), None, "the user's own project is trusted");
    s.update(Action::Redo);
    assert_eq!(*s.project.functions, shared);
    assert!(
        s.untrusted().is_some(),
        "redo brings the shared code back, untrusted"
    );
}

#[test]
fn a_link_asks_first_when_the_project_has_changes_no_file_holds() {
    let (link, shared) = dog_link(LinkKind::Edit);
    let mut s = edited();
    let mine = s.saved_project_text();
    s.update(Action::OpenShared(link.clone()));
    let Some(Overlay::ConfirmShared(pending)) = s.chrome.overlay.clone() else {
        panic!("a question, found {:?}", s.chrome.overlay)
    };
    assert_eq!(pending.0.kind, LinkKind::Edit);
    assert!(s.doc.flow.state("lowest").is_some(), "nothing replaced yet");
    // Declined: everything stays.
    s.update(Action::CloseOverlay);
    assert_eq!(s.saved_project_text(), mine);
    assert!(s.project.outgoing.is_empty());
    // Asked again and accepted: the project is put aside for Recent, then replaced.
    s.update(Action::OpenShared(link));
    s.update(Action::ConfirmShared);
    assert_eq!(s.chrome.overlay, None);
    assert_eq!(*s.project.functions, shared);
    let out = s.project.outgoing.last().expect("put aside");
    assert_eq!(out.title, "Random number generator");
    assert_eq!(out.reason, "before opening a shared link");
    assert_eq!(out.text, mine);
    assert_eq!(out.serial, 1);
}

#[test]
fn every_way_of_replacing_the_project_puts_it_aside() {
    let mut s = edited();
    let mut serial = 0;
    let mut expect = |s: &mut EditorState, action: Action, reason: &str| {
        s.update(Action::Rename {
            index: 1,
            name: format!("mine_{serial}"),
        });
        let mine = s.saved_project_text();
        s.update(action);
        serial += 1;
        let out = s.project.outgoing.last().expect("put aside");
        assert_eq!((out.serial, out.reason.as_str()), (serial, reason));
        assert_eq!(out.text, mine);
    };
    expect(
        &mut s,
        Action::OpenExample("dog-breed.json".into()),
        "before opening the example \"Dog breed pictures (Run Function)\"",
    );
    expect(&mut s, Action::ConfirmNewFlow, "before New");
    expect(
        &mut s,
        Action::Open {
            text: examples::FIRST.json.into(),
            source: "\"flow.json\"".into(),
        },
        "before opening \"flow.json\"",
    );
    let recent = EditorState::default().saved_project_text();
    expect(
        &mut s,
        Action::OpenRecent {
            text: recent,
            title: "Random number generator".into(),
        },
        "before opening \"Random number generator\" from Recent",
    );
    expect(
        &mut s,
        Action::Open {
            text: examples::FIRST.json.into(),
            source: "the version another tab saved".into(),
        },
        "before opening the version another tab saved",
    );
    assert_eq!(s.project.outgoing.len(), 5);
    // Only the last few are kept in the state; the shell handles them at once.
    for i in 0..10 {
        expect(&mut s, Action::ConfirmNewFlow, "before New");
        assert!(s.project.outgoing.len() <= 8, "{i}");
    }
}

#[test]
fn a_broken_link_changes_nothing_but_the_notice() {
    let (link, _) = dog_link(LinkKind::Edit);
    let mut s = edited();
    let kept = s.clone();
    for broken in [
        "#share=3.e30".to_owned(),
        "#share=2.%%%".to_owned(),
        link[..link.len() - 7].to_owned(),
        v2_of_text("[]"),
        format!("#share=2.{}", "A".repeat(2_000_004)),
    ] {
        s.update(Action::OpenShared(broken.clone()));
        let notice = s.chrome.notice.clone().expect("a notice");
        assert_eq!(notice.level, Level::Error, "{broken:.40}");
        assert!(
            notice.text.starts_with("Could not open the shared link: ")
                && notice.text.ends_with(". Your project was kept."),
            "{}",
            notice.text
        );
        assert_eq!(s.doc.flow, kept.doc.flow);
        assert_eq!(s.project.functions, kept.project.functions);
        assert_eq!(s.doc.history, kept.doc.history);
        assert_eq!(s.doc.flow_rev, kept.doc.flow_rev);
        assert_eq!(s.project.outgoing, kept.project.outgoing);
        assert_eq!(s.chrome.overlay, None);
        assert!(s.unsaved_to_file());
    }
}

#[test]
fn a_plain_flow_link_keeps_the_functions_but_not_without_consent() {
    let mut s = EditorState::default();
    let retry = examples::example("retry-counter.json").expect("example");
    let link = format!(
        "#share=1.{}",
        flowpen_playground::share::encode(retry.json.as_bytes())
    );
    s.update(Action::OpenShared(link));
    assert_eq!(
        *s.project.functions,
        examples::FIRST.project(),
        "the Functions stay"
    );
    let pending = s.untrusted().expect("consent first").clone();
    assert!(!pending.shared_code);
    let notice = s.chrome.notice.clone().expect("notice").text;
    assert!(
        notice.contains("It does not call your own Functions until you choose Trust and run"),
        "{notice}"
    );
    assert!(
        notice.contains("It calls /flaky on flowpen.local, which this project does not have"),
        "{notice}"
    );
    // Undo brings back the user's flow, trusted again.
    s.update(Action::Undo);
    assert_eq!(s.untrusted(), None);
    // A plain flow from a file keeps what already waits for consent.
    let (link, _) = dog_link(LinkKind::Edit);
    s.update(Action::OpenShared(link));
    let waiting = s.untrusted().cloned().expect("shared code");
    s.update(Action::Open {
        text: retry.json.into(),
        source: "\"retry.json\"".into(),
    });
    assert_eq!(
        s.untrusted(),
        Some(&waiting),
        "a file does not make shared code trusted"
    );
}

#[test]
fn a_view_link_is_read_only_until_fork() {
    let (link, shared) = dog_link(LinkKind::View);
    let mut s = edited();
    let mine = s.saved_project_text();
    s.update(Action::OpenShared(link));
    assert_eq!(
        s.chrome.overlay, None,
        "a view replaces nothing the user keeps: no question"
    );
    assert!(s.chrome.view_only);
    assert_eq!(s.chrome.panel, Panel::Simulator);
    assert_eq!(*s.project.functions, shared);
    assert!(s.chrome.notice.as_ref().is_some_and(|n| n
        .text
        .starts_with("Viewing a shared project, read-only: Fork makes a copy you can edit.")));
    // The user's project is put aside (the shell keeps it in Recent when the fork is saved).
    assert_eq!(
        s.project.outgoing.last().map(|o| o.text.clone()),
        Some(mine)
    );
    // Nothing edits it.
    let flow_before = s.doc.flow.clone();
    let history = (s.doc.history.undo_len(), s.doc.history.can_redo());
    for action in [
        Action::Delete,
        Action::SelectAll,
        Action::Delete,
        Action::Rename {
            index: 1,
            name: "x".into(),
        },
        Action::Paste {
            text: r#"{"states": []}"#.into(),
        },
        Action::AddFunction,
        Action::SetFunctionCode {
            index: 0,
            code: "x".into(),
        },
        Action::Undo,
        Action::ConfirmNewFlow,
        Action::OpenExample("random-number.json".into()),
        Action::BeginDrag { index: 1 },
        Action::EndDrag,
    ] {
        s.update(action.clone());
        assert_eq!(s.doc.flow, flow_before, "{action:?}");
        assert_eq!(*s.project.functions, shared, "{action:?}");
        assert_eq!(
            (s.doc.history.undo_len(), s.doc.history.can_redo()),
            history,
            "{action:?}"
        );
        assert!(s.chrome.view_only);
    }
    assert!(s.chrome.notice.as_ref().is_some_and(|n| n
        .text
        .contains("read-only view of a shared project: Fork makes a copy")));
    // Looking, selecting and running are allowed.
    assert!(s.update(Action::Select {
        index: 1,
        mode: flowpen_playground::editor::SelectMode::Only
    }));
    assert!(s.update(Action::ShowPanel(Panel::Functions)));
    assert!(!s.update(Action::ShowPanel(Panel::Inspector)));
    assert!(s.update(Action::ShowOverlay(Overlay::Share)));
    // The debugger is the simulator's: breakpoints, a widget's menu, Run from here. A stub or a
    // flow test would change the project: not in a view.
    assert!(s.update(Action::ToggleBreakpoint(1)));
    assert!(!s.project.breakpoints.is_empty());
    assert!(s.update(Action::ShowOverlay(Overlay::CardMenu {
        index: 1,
        at: None
    })));
    assert!(s.update(Action::ShowOverlay(Overlay::RunFromHere(1))));
    let tests = Rc::clone(&s.project.tests);
    s.update(Action::ShowOverlay(Overlay::SaveAsTest));
    assert_ne!(s.chrome.overlay, Some(Overlay::SaveAsTest));
    s.update(Action::SetTests("tests: []".into()));
    assert!(Rc::ptr_eq(&tests, &s.project.tests));
    s.update(Action::CloseOverlay);
    // Fork: editable, and not held by any file yet.
    s.update(Action::Fork);
    assert!(!s.chrome.view_only);
    assert!(s.unsaved_to_file());
    s.update(Action::Rename {
        index: 1,
        name: "forked".into(),
    });
    assert!(s.doc.flow.state("forked").is_some());
    // Undo goes back to before the view opened: the user's own project.
    s.update(Action::Undo);
    s.update(Action::Undo);
    assert!(s.doc.flow.state("lowest").is_some());
}

#[test]
fn the_autosave_text_notes_consent_and_files_and_a_reload_keeps_them() {
    let (link, _) = dog_link(LinkKind::Edit);
    let mut s = EditorState::default();
    s.update(Action::OpenShared(link));
    let text = s.saved_project_text();
    let meta = persist::read_meta(&text);
    assert_eq!(meta.untrusted.as_ref(), s.untrusted());
    assert!(meta.saved_to_file);
    // A reload restores both: shared code still waits for consent.
    let restored = EditorState::restore_saved(Some(&text), None, None, None).state;
    assert_eq!(restored.untrusted(), s.untrusted());
    assert!(!restored.unsaved_to_file());
    // Edited: no file holds it any more, and a reload says so.
    s.update(Action::Rename {
        index: 1,
        name: "edited".into(),
    });
    let restored =
        EditorState::restore_saved(Some(&s.saved_project_text()), None, None, None).state;
    assert!(restored.unsaved_to_file());
    // Export project holds it again.
    s.update(Action::SavedToFile);
    assert!(!s.unsaved_to_file());
    // The project file that Export project writes has no such notes.
    assert!(!s.project_text().contains(persist::META_KEY));
    // After consent the note stays (the key is what is trusted).
    s.update(Action::TrustFunctions);
    assert_eq!(s.untrusted(), None);
    assert!(persist::read_meta(&s.saved_project_text())
        .untrusted
        .is_some());
    assert_eq!(s.project.trusted.len(), 1);
    // Unreadable notes are no notes.
    assert_eq!(persist::read_meta("{"), persist::Meta::default());
    let _ = Rc::clone(&s.project.trusted);
}

#[test]
fn export_of_just_a_flow_counts_as_saved_only_without_functions() {
    let mut s = EditorState::new(edit::new_flow());
    assert!(s.is_just_a_flow());
    s.update(Action::AddFunction);
    assert!(!s.is_just_a_flow());
}

/// The dog breed example's Run Function call, as the engine asks for it.
fn doge_call() -> flowpen_engine::HttpRequest {
    flowpen_engine::HttpRequest {
        id: flowpen_engine::RequestId(1),
        widget: "get-doge-image".into(),
        method: "POST".into(),
        url: "https://flowpen.local/get-doge".into(),
        headers: Vec::new(),
        body: None,
        timeout_ms: 10_000,
        max_response_bytes: 64 * 1024,
    }
}

/// Every shell that runs Functions (the simulator, the Tests panel) asks the editor whether a
/// call may run: not while a link's content waits for consent, and again after Trust and run.
#[test]
fn function_calls_are_refused_until_trust_and_run() {
    let request = doge_call();
    let mut s = EditorState::default();
    assert_eq!(
        s.refuses_function_call(&request),
        None,
        "the user's own project"
    );
    let (link, _) = dog_link(LinkKind::Edit);
    s.update(Action::OpenShared(link));
    let refused = s.refuses_function_call(&request).expect("refused");
    assert!(
        refused.message.contains("came with a shared link"),
        "{}",
        refused.message
    );
    s.update(Action::TrustFunctions);
    assert_eq!(s.refuses_function_call(&request), None);
}

/// Consent can be taken back: the link's content waits for consent again, and its Functions are
/// refused again; the stored consents no longer hold its key.
#[test]
fn stop_trusting_takes_consent_back() {
    let request = doge_call();
    let mut s = EditorState::default();
    assert!(!s.update(Action::ForgetTrust), "nothing to take back");
    let (link, _) = dog_link(LinkKind::Edit);
    s.update(Action::OpenShared(link));
    let pending = s.untrusted().cloned().expect("waits for consent");
    assert_eq!(s.trusted_link(), None);
    s.update(Action::TrustFunctions);
    assert_eq!(s.trusted_link(), Some(&pending));
    assert_eq!(s.refuses_function_call(&request), None);
    s.update(Action::ForgetTrust);
    assert_eq!(s.untrusted(), Some(&pending));
    assert_eq!(s.trusted_link(), None);
    assert!(s.refuses_function_call(&request).is_some());
    assert!(!s.project.trusted.contains(&pending.key));
    assert!(s
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| n.text.starts_with("No longer trusted")));
}
