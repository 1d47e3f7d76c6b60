//! The reducer Yew holds: a thin wrapper around the pure [`EditorState`], which decides
//! everything. A no-op action keeps the same `Rc`, so nothing re-renders.

use std::ops::Deref;
use std::rc::Rc;

use flowpen_playground::editor::{Action, EditorState};
use yew::Reducible;

/// The editor as Yew's reducer.
#[derive(Clone, Debug, PartialEq)]
pub struct Editor(pub EditorState);

impl Deref for Editor {
    type Target = EditorState;

    fn deref(&self) -> &EditorState {
        &self.0
    }
}

impl Reducible for Editor {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = self.0.clone();
        if next.update(action) {
            Rc::new(Editor(next))
        } else {
            self
        }
    }
}
