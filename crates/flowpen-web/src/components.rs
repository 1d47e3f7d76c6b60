//! The page's components. Props hold cheap-to-compare values: shared data travels as [`Ptr`],
//! whose equality is pointer identity, so a memoized component re-renders only when its data was
//! actually replaced by the reducer.

pub mod call;
pub mod canvas;
pub mod chat;
pub mod debug;
pub mod dialogs;
pub mod flow_tabs;
pub mod functions;
pub mod icons;
pub mod inspector;
pub mod notice;
pub mod palette;
pub mod problems;
pub mod recent;
pub mod runlog;
pub mod tests;
pub mod toolbar;

use std::ops::Deref;
use std::rc::Rc;

use yew::prelude::*;

use flowpen_playground::editor::Action;

use crate::state::Editor;

/// Shared data in props, compared by pointer.
#[derive(Debug)]
pub struct Ptr<T>(pub Rc<T>);

impl<T> Ptr<T> {
    pub fn new(rc: &Rc<T>) -> Ptr<T> {
        Ptr(Rc::clone(rc))
    }
}

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        Ptr(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Ptr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Ptr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The project's Functions, shared by context (the Run Function URL picker reads them).
pub type FunctionsContext = Ptr<flowpen_playground::project::FunctionsProject>;

/// The reducer's dispatcher, shared by context (it never changes, so it never re-renders
/// anything).
pub type Dispatch = UseReducerDispatcher<Editor>;

/// The dispatcher from context.
#[hook]
pub fn use_dispatch() -> Dispatch {
    use_context::<Dispatch>().expect("the App provides the dispatcher")
}

/// A callback dispatching a fixed action.
pub fn send(dispatch: &Dispatch, action: Action) -> Callback<MouseEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |_| dispatch.dispatch(action.clone()))
}
