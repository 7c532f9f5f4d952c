//! A small HCL writer for Terraform: blocks, attributes and expressions, laid out the way
//! `terraform fmt` would (two-space indent, the `=` of neighbouring attributes aligned).
//! Strings are escaped so nothing in a value is read as an interpolation: `${` becomes
//! `$${` and `%{` becomes `%%{` (an IAM policy variable such as `${aws:username}` stays
//! text); variables are written as expressions.

use super::vars::Seg;

/// An expression on the right of `=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A string, or a bare reference when it is exactly one variable.
    Text(Vec<Seg>),
    /// An expression written as it is: `aws_s3_bucket.destination.id`, `true`.
    Raw(String),
    List(Vec<Expr>),
    /// An object with quoted keys (tags).
    Object(Vec<(String, Expr)>),
}

/// A line in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Attr(String, Expr),
    Block(Block),
    Comment(String),
    Blank,
}

/// `kind "label" "label" { … }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub items: Vec<Item>,
}

impl Block {
    pub fn new(kind: &str, labels: &[&str]) -> Self {
        Self {
            kind: kind.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            items: Vec::new(),
        }
    }

    pub fn attr(mut self, name: &str, value: Expr) -> Self {
        self.items.push(Item::Attr(name.into(), value));
        self
    }

    pub fn block(mut self, inner: Block) -> Self {
        self.items.push(Item::Block(inner));
        self
    }

    pub fn comment(mut self, text: &str) -> Self {
        self.items.push(Item::Comment(text.into()));
        self
    }
}

/// A literal string.
pub fn s(text: &str) -> Expr {
    Expr::Text(if text.is_empty() {
        Vec::new()
    } else {
        vec![Seg::Lit(text.into())]
    })
}

/// A reference or keyword written as it is.
pub fn raw(text: &str) -> Expr {
    Expr::Raw(text.into())
}

/// A list of literal strings.
pub fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Expr {
    Expr::List(items.into_iter().map(s).collect())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn expr(e: &Expr, depth: usize) -> String {
    match e {
        Expr::Text(segs) => match segs.as_slice() {
            [Seg::Var(v)] => v.terraform().to_string(),
            _ => {
                let mut inner = String::new();
                for (i, seg) in segs.iter().enumerate() {
                    match seg {
                        Seg::Lit(t) => {
                            let text = escape(t);
                            // A `$` right before an interpolation would make `$${`, an
                            // escape: write that one `$` as an interpolation of its own.
                            match text.strip_suffix('$') {
                                Some(head) if matches!(segs.get(i + 1), Some(Seg::Var(_))) => {
                                    inner.push_str(head);
                                    inner.push_str("${\"$\"}");
                                }
                                _ => inner.push_str(&text),
                            }
                        }
                        Seg::Var(v) => inner.push_str(&format!("${{{}}}", v.terraform())),
                    }
                }
                format!("\"{inner}\"")
            }
        },
        Expr::Raw(r) => r.clone(),
        Expr::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| expr(i, depth)).collect();
            let one_line = format!("[{}]", parts.join(", "));
            if one_line.len() + depth * 2 <= 100 {
                one_line
            } else {
                let pad = "  ".repeat(depth + 1);
                let lines: Vec<String> = parts.iter().map(|p| format!("{pad}{p},")).collect();
                format!("[\n{}\n{}]", lines.join("\n"), "  ".repeat(depth))
            }
        }
        Expr::Object(pairs) => {
            if pairs.is_empty() {
                return "{}".into();
            }
            let keys: Vec<String> = pairs
                .iter()
                .map(|(k, _)| format!("\"{}\"", escape(k)))
                .collect();
            let width = keys.iter().map(String::len).max().unwrap_or(0);
            let pad = "  ".repeat(depth + 1);
            let lines: Vec<String> = keys
                .iter()
                .zip(pairs)
                .map(|(k, (_, v))| format!("{pad}{k:<width$} = {}", expr(v, depth + 1)))
                .collect();
            format!("{{\n{}\n{}}}", lines.join("\n"), "  ".repeat(depth))
        }
    }
}

fn body(out: &mut String, items: &[Item], depth: usize) {
    let pad = "  ".repeat(depth);
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Attr(..) => {
                // A run of attributes shares one `=` column.
                let run: Vec<(&String, &Expr)> = items[i..]
                    .iter()
                    .map_while(|it| match it {
                        Item::Attr(k, v) => Some((k, v)),
                        _ => None,
                    })
                    .collect();
                let width = run.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                for (k, v) in &run {
                    out.push_str(&format!("{pad}{k:<width$} = {}\n", expr(v, depth)));
                }
                i += run.len();
                continue;
            }
            Item::Block(b) => write_block(out, b, depth),
            Item::Comment(c) if c.is_empty() => out.push_str(&format!("{pad}#\n")),
            Item::Comment(c) => out.push_str(&format!("{pad}# {}\n", super::comment_line(c))),
            Item::Blank => out.push('\n'),
        }
        i += 1;
    }
}

fn write_block(out: &mut String, b: &Block, depth: usize) {
    let pad = "  ".repeat(depth);
    let labels: String = b
        .labels
        .iter()
        .map(|l| format!(" \"{}\"", escape(l)))
        .collect();
    out.push_str(&format!("{pad}{}{labels} {{\n", b.kind));
    body(out, &b.items, depth + 1);
    out.push_str(&format!("{pad}}}\n"));
}

/// A whole file: top-level items, a blank line between blocks.
pub fn file(items: &[Item]) -> String {
    let mut out = String::new();
    let mut previous_block = false;
    for item in items {
        let is_block = matches!(item, Item::Block(_));
        if is_block && previous_block {
            out.push('\n');
        }
        body(&mut out, std::slice::from_ref(item), 0);
        previous_block = is_block;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::vars::{split, ALL};

    #[test]
    fn a_dollar_before_a_variable_stays_a_dollar() {
        use crate::iac::vars::{Seg, Var};
        let e = Expr::Text(vec![Seg::Lit("cost$".into()), Seg::Var(Var::Bucket)]);
        assert_eq!(expr(&e, 0), "\"cost${\"$\"}${var.bucket}\"");
        assert_eq!(expr(&s("a\u{2028}b"), 0), "\"a\\u2028b\"");
    }

    #[test]
    fn interpolation_is_escaped_and_variables_are_references() {
        let arn = format!(
            "arn:aws:s3:::{}/home/${{aws:username}}",
            crate::iac::vars::Var::Bucket.marker()
        );
        let b = Block::new("resource", &["aws_iam_user", "writer"])
            .attr(
                "name",
                Expr::Text(split(crate::iac::vars::Var::User.marker(), &ALL)),
            )
            .attr("resource", Expr::Text(split(&arn, &ALL)))
            .attr("quote", s("say \"hi\" 100%{x}"))
            .block(Block::new("rule", &[]).attr("on", raw("true")));
        let text = file(&[Item::Comment("top".into()), Item::Block(b)]);
        assert_eq!(
            text,
            "# top\nresource \"aws_iam_user\" \"writer\" {\n  name     = var.user\n  resource = \"arn:aws:s3:::${var.bucket}/home/$${aws:username}\"\n  quote    = \"say \\\"hi\\\" 100%%{x}\"\n  rule {\n    on = true\n  }\n}\n"
        );
    }
}
