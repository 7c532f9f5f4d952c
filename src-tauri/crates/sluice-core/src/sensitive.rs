//! A wrapper for secret values (secret access keys, session tokens, ExternalIds).
//!
//! `Sensitive<T>` prints `<redacted>` in `Debug` and has no `Display` or `Serialize`, so a
//! secret cannot reach a log line, a JSON payload or an error message by accident. Reading
//! the value requires an explicit, greppable call to [`Sensitive::expose`]. [`SecretString`]
//! is the same for a secret arriving from the UI or a file: it deserializes, nothing else.

use std::fmt;

use serde::Deserialize;

#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself. Call sites are the only places a secret is handled in clear.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// A secret arriving from the UI or a file: deserializable, but redacted in `Debug`.
#[derive(Clone, Deserialize)]
#[serde(from = "String")]
pub struct SecretString(Sensitive<String>);

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(Sensitive::new(value))
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl SecretString {
    pub fn into_sensitive(self) -> Sensitive<String> {
        self.0
    }

    pub fn expose(&self) -> &String {
        self.0.expose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Sensitive::new("wJalrXUtnFEMI/K7MDENG".to_string());
        let printed = format!("{s:?} {:?}", Some(&s));
        assert!(!printed.contains("wJalr"), "{printed}");
        assert_eq!(printed, "<redacted> Some(<redacted>)");
        assert_eq!(s.expose(), "wJalrXUtnFEMI/K7MDENG");
    }

    #[test]
    fn secret_string_debug_is_redacted() {
        let s = SecretString::from("topsecretvalue".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
    }
}
