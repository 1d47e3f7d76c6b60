//! The example flows shipped with the app (`www/examples/*.json`), compiled in.

/// An example: its file name, a title for the menu and the Flow JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    pub file: &'static str,
    pub title: &'static str,
    pub json: &'static str,
}

/// Every example, the one opened on first load first.
pub const EXAMPLES: &[Example] = &[
    Example {
        file: "random-number.json",
        title: "Random number (Run Function)",
        json: include_str!("../../../../www/examples/random-number.json"),
    },
    Example {
        file: "dog-breed.json",
        title: "Dog breed pictures (Run Function)",
        json: include_str!("../../../../www/examples/dog-breed.json"),
    },
    Example {
        file: "retry-counter.json",
        title: "Retry counter (Set Variables + Split)",
        json: include_str!("../../../../www/examples/retry-counter.json"),
    },
];

/// The flow opened when nothing was saved.
pub const FIRST: Example = EXAMPLES[0];
