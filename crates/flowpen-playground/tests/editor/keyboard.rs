//! Keyboard shortcuts and keyboard-only editing.

use flowpen_flow::WidgetType;
use flowpen_playground::editor::keys::{key_action, Focused, KeyPress};
use flowpen_playground::editor::{Action, FocusTarget, Overlay, SelectMode};

use super::{add, empty, example, next_of};

#[test]
fn keyboard_shortcuts_map_to_actions_but_not_while_typing() {
    let mut s = example();
    let press = |key: &str, command: bool, shift: bool, focused: Focused| KeyPress {
        key: key.into(),
        command,
        shift,
        alt: false,
        repeat: false,
        focused,
    };
    assert_eq!(
        key_action(&s, &press("z", true, false, Focused::Other)),
        Some(Action::Undo)
    );
    assert_eq!(
        key_action(&s, &press("Z", true, true, Focused::Other)),
        Some(Action::Redo)
    );
    assert_eq!(
        key_action(&s, &press("z", true, false, Focused::TextField)),
        None
    );
    assert_eq!(
        key_action(&s, &press("Delete", false, false, Focused::TextField)),
        None
    );
    assert_eq!(
        key_action(&s, &press("Backspace", false, false, Focused::Control)),
        None
    );
    assert_eq!(
        key_action(&s, &press("Delete", false, false, Focused::Card(1))),
        Some(Action::Delete)
    );
    assert_eq!(
        key_action(&s, &press("k", true, false, Focused::Other)),
        Some(Action::ShowOverlay(Overlay::Search))
    );
    assert_eq!(
        key_action(&s, &press("Enter", false, false, Focused::Card(2))),
        Some(Action::OpenInspector(Some(2)))
    );
    assert_eq!(
        key_action(&s, &press("Enter", false, false, Focused::Other)),
        Some(Action::OpenInspector(None))
    );
    assert_eq!(
        key_action(&s, &press("Escape", false, false, Focused::TextField)),
        Some(Action::FocusCanvas),
        "Escape leaves a field"
    );
    assert_eq!(
        key_action(&s, &press("c", false, false, Focused::Port(3, 1))),
        Some(Action::StartConnect { from: 3, port: 1 })
    );
    // A card's first port that leads nowhere (Send & Wait: No Reply).
    assert_eq!(
        key_action(&s, &press("c", false, false, Focused::Card(1))),
        Some(Action::StartConnect { from: 1, port: 1 })
    );
    assert_eq!(
        key_action(&s, &press("ArrowLeft", false, false, Focused::Other)),
        None,
        "nothing selected"
    );
    // A focused card moves even when it is not selected.
    assert_eq!(
        key_action(&s, &press("ArrowUp", false, false, Focused::Card(4))),
        Some(Action::MoveSelection {
            focused: Some(4),
            dx: 0.0,
            dy: -20.0
        })
    );
    s.update(Action::Select {
        index: 1,
        mode: SelectMode::Only,
    });
    assert_eq!(
        key_action(&s, &press("ArrowLeft", false, true, Focused::Card(1))),
        Some(Action::MoveSelection {
            focused: Some(1),
            dx: -100.0,
            dy: 0.0
        })
    );
    s.update(Action::ShowOverlay(Overlay::Search));
    assert_eq!(
        key_action(&s, &press("Delete", false, false, Focused::Other)),
        None
    );
    assert_eq!(
        key_action(&s, &press("Escape", false, false, Focused::TextField)),
        Some(Action::CloseOverlay)
    );
}

#[test]
fn keyboard_only_connection_and_inspector_path() {
    let mut s = empty();
    let f = add(&mut s, WidgetType::RunFunction);
    let m = add(&mut s, WidgetType::SendMessage);
    s.update(Action::FocusCard(f));
    s.update(Action::StartConnect { from: f, port: 0 });
    assert_eq!(
        s.chrome.overlay,
        Some(Overlay::ConnectMenu { from: f, port: 0 })
    );
    assert_eq!(s.doc.selection.iter().copied().collect::<Vec<_>>(), vec![f]);
    s.update(Action::Connect {
        from: f,
        port: 0,
        target: Some(m),
    });
    assert_eq!(s.chrome.overlay, None);
    assert_eq!(
        next_of(&s, "function_1", "success").as_deref(),
        Some("send_message_1")
    );
    s.update(Action::MoveSelection {
        focused: Some(f),
        dx: 20.0,
        dy: 0.0,
    });
    s.update(Action::OpenInspector(Some(m)));
    assert_eq!(s.doc.selection.iter().copied().collect::<Vec<_>>(), vec![m]);
    assert_eq!(
        s.chrome.focus.as_ref().map(|f| &f.target),
        Some(&FocusTarget::Inspector)
    );
}
