//! How a test says what text it expects: a glob (`*` any text, `?` one character, `\` makes the
//! next character literal) or a regular expression (`{regex: "…"}`), both against the whole text.
//!
//! Both run in time bounded by the lengths of the pattern and the text, whatever they are: the glob
//! is the two-pointer wildcard match (it backtracks only to the last `*`, so at most
//! pattern × text steps, never exponential), and regexes use `regex-lite` (a PikeVM: no
//! backtracking blow-up) with a size limit on the compiled program.

use std::fmt;

use regex_lite::{Regex, RegexBuilder};

/// The longest regex pattern accepted, in bytes.
pub const MAX_REGEX_LEN: usize = 1000;
/// The compiled size limit given to `regex-lite`.
const REGEX_SIZE_LIMIT: usize = 256 * 1024;

/// One part of a glob.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`
    One,
    /// `*`
    Any,
}

/// A glob pattern, compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    source: String,
    tokens: Vec<Token>,
}

impl Glob {
    pub fn new(source: &str) -> Glob {
        let mut tokens = Vec::new();
        let mut chars = source.chars();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' => {
                    if tokens.last() == Some(&Token::Any) {
                        continue;
                    }
                    Token::Any
                }
                '?' => Token::One,
                '\\' => Token::Char(chars.next().unwrap_or('\\')),
                c => Token::Char(c),
            });
        }
        Glob {
            source: source.to_owned(),
            tokens,
        }
    }

    /// A glob that matches exactly `text` (its `*`, `?` and `\` escaped).
    pub fn literal(text: &str) -> Glob {
        Glob::new(&escape(text))
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let t: Vec<char> = text.chars().collect();
        let p = &self.tokens;
        let (mut ti, mut pi) = (0usize, 0usize);
        // Where the last `*` was, and the text position it currently stands for.
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            match p.get(pi) {
                Some(Token::Char(c)) if *c == t[ti] => {
                    ti += 1;
                    pi += 1;
                }
                Some(Token::One) => {
                    ti += 1;
                    pi += 1;
                }
                Some(Token::Any) => {
                    star = Some((pi, ti));
                    pi += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        pi = sp + 1;
                        ti = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        p[pi.min(p.len())..].iter().all(|t| *t == Token::Any)
    }
}

/// `text` with the glob's special characters escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A text expectation: a glob or a regex, against the whole text.
#[derive(Clone, Debug)]
pub enum TextMatch {
    Glob(Glob),
    Regex { source: String, regex: Regex },
}

impl PartialEq for TextMatch {
    fn eq(&self, other: &TextMatch) -> bool {
        match (self, other) {
            (TextMatch::Glob(a), TextMatch::Glob(b)) => a == b,
            (TextMatch::Regex { source: a, .. }, TextMatch::Regex { source: b, .. }) => a == b,
            _ => false,
        }
    }
}

impl TextMatch {
    pub fn glob(source: &str) -> TextMatch {
        TextMatch::Glob(Glob::new(source))
    }

    /// A regex that must match the whole text.
    pub fn regex(source: &str) -> Result<TextMatch, String> {
        if source.len() > MAX_REGEX_LEN {
            return Err(format!(
                "the regex has {} bytes; at most {MAX_REGEX_LEN} are accepted",
                source.len()
            ));
        }
        let regex = RegexBuilder::new(&format!("^(?:{source})$"))
            .size_limit(REGEX_SIZE_LIMIT)
            .nest_limit(64)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(TextMatch::Regex {
            source: source.to_owned(),
            regex,
        })
    }

    pub fn matches(&self, text: &str) -> bool {
        match self {
            TextMatch::Glob(g) => g.matches(text),
            TextMatch::Regex { regex, .. } => regex.is_match(text),
        }
    }

    /// Whether this is a glob without wildcards (an exact text).
    pub fn is_exact(&self) -> bool {
        match self {
            TextMatch::Glob(g) => g.tokens.iter().all(|t| matches!(t, Token::Char(_))),
            TextMatch::Regex { .. } => false,
        }
    }
}

impl fmt::Display for TextMatch {
    /// `"glob"` or `regex /…/`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextMatch::Glob(g) => write!(f, "\"{}\"", g.source),
            TextMatch::Regex { source, .. } => write!(f, "regex /{source}/"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{escape, Glob, TextMatch};

    #[test]
    fn globs_match_the_whole_text() {
        let g = Glob::new("Hi! I pick random numbers*");
        assert!(g.matches("Hi! I pick random numbers. What is the smallest?"));
        assert!(!g.matches("Oh, Hi! I pick random numbers"));
        assert!(Glob::new("a?c").matches("abc"));
        assert!(!Glob::new("a?c").matches("ac"));
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("").matches(""));
        assert!(!Glob::new("").matches("x"));
        assert!(Glob::new("*b*b*").matches("abcbd"));
        assert!(!Glob::new("*b*b*").matches("abcd"));
        assert!(Glob::new("é*ü").matches("éxxü"));
        assert!(Glob::new("a\\*b").matches("a*b"));
        assert!(!Glob::new("a\\*b").matches("axb"));
    }

    #[test]
    fn escaped_text_matches_itself_only() {
        for text in ["50% off? *now*", "back\\slash", "", "plain"] {
            let g = Glob::new(&escape(text));
            assert!(g.matches(text), "{text}");
            assert!(!g.matches(&format!("{text}x")), "{text}");
        }
        assert!(TextMatch::Glob(Glob::literal("a*")).is_exact());
        assert!(!TextMatch::glob("a*").is_exact());
    }

    #[test]
    fn pathological_globs_stay_fast() {
        // Exponential for a naive backtracking matcher.
        let text = "a".repeat(20_000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!Glob::new(&pattern).matches(&text));
    }

    #[test]
    fn regexes_match_the_whole_text_within_limits() {
        let r = TextMatch::regex("Your random number is [0-9]+\\.").expect("regex");
        assert!(r.matches("Your random number is 4."));
        assert!(!r.matches("Your random number is 4. Bye"));
        assert!(TextMatch::regex("a|b").expect("alternation").matches("b"));
        assert!(TextMatch::regex("(").is_err());
        assert!(TextMatch::regex(&"a".repeat(2000)).is_err());
        assert!(
            TextMatch::regex("(((a{100}){100}){100})").is_err(),
            "too big"
        );
        let evil = TextMatch::regex("(a+)+$").expect("regex");
        assert!(!evil.matches(&format!("{}!", "a".repeat(5000))));
    }
}
