//! When JavaScriptCore compiles the UI's code, chosen from `make bench`
//! (scripts/bench_startup.py).
//!
//! By default JavaScriptCore hands a function to its baseline JIT after about 500 runs, so
//! starting the UI already pulls the JIT compilers into the web process. Sluice's start-up
//! code runs a few times and is done; on the reference machine raising the threshold 40-fold
//! left about 5 MiB less PSS in the web process and painted no later, while code that really
//! is hot (sorting a large preview, scrolling thousands of rows) still reaches the JIT within
//! milliseconds. A variable the user has set is left alone.

/// The variables and values Sluice sets, unless the user has set them.
const THRESHOLDS: [(&str, &str); 2] = [
    ("JSC_thresholdForJITAfterWarmUp", "20000"),
    ("JSC_thresholdForJITSoon", "2000"),
];

/// The environment variables to set before WebKitGTK starts, given the current environment.
pub fn jit_env(get: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, &'static str)> {
    THRESHOLDS
        .into_iter()
        .filter(|(key, _)| get(key).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_set_unless_the_user_chose() {
        let none = jit_env(|_| None);
        assert_eq!(none.len(), 2);
        assert!(none.contains(&("JSC_thresholdForJITAfterWarmUp", "20000")));
        let mine = jit_env(|k| (k == "JSC_thresholdForJITSoon").then(|| "10".to_string()));
        assert_eq!(mine, vec![("JSC_thresholdForJITAfterWarmUp", "20000")]);
    }
}
