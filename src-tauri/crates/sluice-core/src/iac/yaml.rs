//! A small YAML writer for CloudFormation templates: block style, every string
//! double-quoted (a JSON string is a valid YAML scalar, so no value can turn into a number,
//! a boolean or a tag), keys quoted unless they are plain words. Intrinsic functions are
//! written in their long form (`Fn::Sub:`), so any YAML parser reads the template.

use super::node::Node;
use super::vars::Seg;

/// The document: `comments` (one `# ` line each) above the tree.
pub fn document(comments: &[String], root: &Node) -> String {
    let mut out = String::new();
    for line in comments {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(&super::comment_line(line));
            out.push('\n');
        }
    }
    match root {
        Node::Map(pairs) => write_pairs(&mut out, pairs, 0),
        other => {
            out.push_str(&inline(other).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// A double-quoted scalar. JSON's escapes are YAML's, but YAML also breaks lines at U+0085,
/// U+2028 and U+2029, which JSON leaves as they are: those are escaped too.
fn quote(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Plain words YAML would read as something other than a string (`Null`, `yes`, `on`).
const YAML_WORDS: [&str; 11] = [
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf",
];

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars().all(|c| c.is_ascii_alphanumeric())
        && !k.starts_with(|c: char| c.is_ascii_digit())
        && !YAML_WORDS.contains(&k.to_ascii_lowercase().as_str())
    {
        k.to_string()
    } else {
        quote(k)
    }
}

fn text(segs: &[Seg]) -> String {
    segs.iter()
        .map(|s| match s {
            Seg::Lit(t) => t.as_str(),
            // The exporters replace every variable first; a marker left over is visible.
            Seg::Var(v) => v.marker(),
        })
        .collect()
}

/// A scalar or an empty collection on one line; `None` for a collection with content.
fn inline(node: &Node) -> Option<String> {
    match node {
        Node::Text(segs) => Some(quote(&text(segs))),
        Node::Bool(b) => Some(b.to_string()),
        Node::Int(i) => Some(i.to_string()),
        Node::List(items) if items.is_empty() => Some("[]".into()),
        Node::Map(pairs) if pairs.is_empty() => Some("{}".into()),
        _ => None,
    }
}

fn pad(depth: usize) -> String {
    "  ".repeat(depth)
}

fn write_pairs(out: &mut String, pairs: &[(String, Node)], depth: usize) {
    for (k, v) in pairs {
        out.push_str(&pad(depth));
        out.push_str(&key(k));
        out.push(':');
        write_value(out, v, depth);
    }
}

/// Writes what follows `key:` or `- `.
fn write_value(out: &mut String, node: &Node, depth: usize) {
    if let Some(one) = inline(node) {
        out.push(' ');
        out.push_str(&one);
        out.push('\n');
        return;
    }
    out.push('\n');
    match node {
        Node::Map(pairs) => write_pairs(out, pairs, depth + 1),
        Node::List(items) => write_items(out, items, depth + 1),
        _ => {}
    }
}

fn write_items(out: &mut String, items: &[Node], depth: usize) {
    for item in items {
        out.push_str(&pad(depth));
        out.push('-');
        match item {
            // A map in a list: its first key on the dash line, the rest below it.
            Node::Map(pairs) if !pairs.is_empty() => {
                let mut first = true;
                for (k, v) in pairs {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&pad(depth + 1));
                    }
                    out.push_str(&key(k));
                    out.push(':');
                    write_value(out, v, depth + 1);
                }
            }
            Node::List(inner) if !inner.is_empty() => {
                out.push('\n');
                write_items(out, inner, depth + 1);
            }
            other => write_value(out, other, depth),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_separators_and_yaml_words_cannot_change_the_document() {
        let root = Node::map([
            (
                "Null",
                Node::map([("aws:MultiFactorAuthPresent", Node::s("false"))]),
            ),
            ("Prefix", Node::s("a\u{2028}Evil: yes")),
        ]);
        let text = document(&["prefix 'a\u{2028}Evil: yes'".into()], &root);
        assert_eq!(
            text,
            "# prefix 'a Evil: yes'\n\"Null\":\n  \"aws:MultiFactorAuthPresent\": \"false\"\nPrefix: \"a\\u2028Evil: yes\"\n"
        );
    }

    #[test]
    fn strings_are_quoted_and_nesting_is_block_style() {
        let root = Node::map([
            ("Description", Node::s("a \"b\"\nc")),
            (
                "List",
                Node::List(vec![
                    Node::map([("Key", Node::s("managed-by")), ("Value", Node::s("sluice"))]),
                    Node::s("yes"),
                    Node::List(vec![Node::Bool(true)]),
                ]),
            ),
            ("Fn::Sub", Node::s("${X}")),
            ("Empty", Node::List(Vec::new())),
        ]);
        let text = document(&["made by Sluice".into()], &root);
        assert_eq!(
            text,
            "# made by Sluice\nDescription: \"a \\\"b\\\"\\nc\"\nList:\n  - Key: \"managed-by\"\n    Value: \"sluice\"\n  - \"yes\"\n  -\n    - true\n\"Fn::Sub\": \"${X}\"\nEmpty: []\n"
        );
    }
}
