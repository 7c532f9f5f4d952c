//! Reading a pasted policy: JSON, with comments recognised (vendors' examples carry them,
//! IAM rejects them) so the rest of the document can still be checked.

use serde_json::Value;

/// A parsed policy and where its comments were.
#[derive(Debug)]
pub struct Source {
    pub value: Value,
    /// 1-based lines that held a comment.
    pub comment_lines: Vec<usize>,
}

/// Why the text is not a policy at all.
#[derive(Debug)]
pub struct Unreadable {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses `text`; comments outside strings are blanked out and reported by line.
pub fn read(text: &str) -> Result<Source, Unreadable> {
    let (clean, comment_lines) = strip_comments(text);
    match serde_json::from_str::<Value>(&clean) {
        Ok(value) => Ok(Source {
            value,
            comment_lines,
        }),
        Err(e) => Err(Unreadable {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }),
    }
}

/// Replaces `// …` and `/* … */` outside JSON strings with spaces (newlines kept, so
/// positions stay true) and returns the lines they were on.
pub fn strip_comments(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut lines = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut in_string, mut escaped) = (1usize, false, false);
    let note = |line: usize, lines: &mut Vec<usize>| {
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            } else if c == '\n' {
                line += 1;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                note(line, &mut lines);
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                        line += 1;
                        break;
                    }
                    out.push(' ');
                }
            }
            ('/', Some('*')) => {
                note(line, &mut lines);
                chars.next();
                out.push_str("  ");
                let mut prev = ' ';
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                        line += 1;
                        note(line, &mut lines);
                    } else {
                        out.push(' ');
                    }
                    if prev == '*' && skipped == '/' {
                        break;
                    }
                    prev = skipped;
                }
            }
            _ => {
                if c == '\n' {
                    line += 1;
                }
                out.push(c);
            }
        }
    }
    (out, lines)
}

/// A string or an array of strings, as IAM allows for Action, Resource and values.
/// `None` when the value has another shape.
pub fn strings(value: &Value) -> Option<Vec<&str>> {
    match value {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// The statements: one object or an array of objects.
pub fn statements(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![value],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_strings_only() {
        let text = "{\n \"a\": \"x//y\", // note\n /* block\n more */ \"b\": 1\n}";
        let src = read(text).expect("parses once comments are blanked");
        assert_eq!(src.value["a"], "x//y");
        assert_eq!(src.comment_lines, vec![2, 3, 4]);
        assert!(read("{\"a\": \"http://x\"}")
            .expect("ok")
            .comment_lines
            .is_empty());
    }

    #[test]
    fn unreadable_json_says_where() {
        let e = read("{\n \"Version\": \"2012-10-17\",\n}").expect_err("trailing comma");
        assert_eq!(e.line, 3);
    }
}
