//! CloudFormation pieces shared by the policy and the destination exporters: strings with
//! variables become `Ref` or `Fn::Sub` (the key prefix through the `HasPrefix` condition,
//! so an empty prefix never leaves a `//`), parameters, and the template's frame.

use super::node::Node;
use super::vars::{Seg, Var};

/// The condition that tells an empty prefix from a real one.
pub const HAS_PREFIX: &str = "HasPrefix";

fn sub_text(segs: &[Seg]) -> String {
    segs.iter()
        .map(|s| match s {
            // `${` in text would be read as a variable: `${!` writes it literally.
            Seg::Lit(t) => t.replace("${", "${!"),
            Seg::Var(v) => format!("${{{}}}", v.cloudformation()),
        })
        .collect()
}

/// A string: as it is, a `Ref` when it is one parameter, otherwise an `Fn::Sub`.
pub fn text(segs: &[Seg]) -> Node {
    match segs {
        [Seg::Var(v)] if *v != Var::KeyPrefix => Node::map([("Ref", Node::s(v.cloudformation()))]),
        _ if segs.iter().all(|s| matches!(s, Seg::Lit(_))) => Node::Text(segs.to_vec()),
        _ if segs.contains(&Seg::Var(Var::KeyPrefix)) => {
            let key_prefix = Node::map([(
                "Fn::If",
                Node::List(vec![
                    Node::s(HAS_PREFIX),
                    Node::map([("Fn::Sub", Node::s("${Prefix}/"))]),
                    Node::s(""),
                ]),
            )]);
            Node::map([(
                "Fn::Sub",
                Node::List(vec![
                    Node::s(sub_text(segs)),
                    Node::map([(Var::KeyPrefix.cloudformation(), key_prefix)]),
                ]),
            )])
        }
        _ => Node::map([("Fn::Sub", Node::s(sub_text(segs)))]),
    }
}

/// The tree with every string turned into what CloudFormation reads.
pub fn resolve(node: &Node) -> Node {
    match node {
        Node::Text(segs) => text(segs),
        Node::List(items) => Node::List(items.iter().map(resolve).collect()),
        Node::Map(pairs) => Node::Map(pairs.iter().map(|(k, v)| (k.clone(), resolve(v))).collect()),
        other => other.clone(),
    }
}

/// A `String` parameter.
pub fn parameter(
    description: &str,
    default: Option<&str>,
    pattern: Option<&str>,
    no_echo: bool,
) -> Node {
    let mut pairs = vec![
        ("Type".to_string(), Node::s("String")),
        ("Description".to_string(), Node::s(description)),
    ];
    if let Some(d) = default {
        pairs.push(("Default".into(), Node::s(d)));
    }
    if let Some(p) = pattern {
        pairs.push(("AllowedPattern".into(), Node::s(p)));
    }
    if no_echo {
        pairs.push(("NoEcho".into(), Node::Bool(true)));
    }
    Node::Map(pairs)
}

/// A resource of `kind` with `properties`.
pub fn resource(kind: &str, properties: Vec<(&str, Node)>) -> Node {
    Node::map([
        ("Type", Node::s(kind)),
        ("Properties", Node::map(properties)),
    ])
}

/// `{ "Ref": name }`.
pub fn reference(name: &str) -> Node {
    Node::map([("Ref", Node::s(name))])
}

/// The template: version, description and the sections that have content.
pub fn template(description: &str, sections: Vec<(&str, Node)>) -> Node {
    let mut pairs = vec![
        (
            "AWSTemplateFormatVersion".to_string(),
            Node::s("2010-09-09"),
        ),
        ("Description".to_string(), Node::s(description)),
    ];
    for (name, section) in sections {
        if !matches!(&section, Node::Map(p) if p.is_empty()) {
            pairs.push((name.to_string(), section));
        }
    }
    Node::Map(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::vars::{split, ALL};

    #[test]
    fn strings_become_refs_and_subs() {
        assert_eq!(
            text(&split(Var::Bucket.marker(), &ALL)),
            reference("BucketName")
        );
        assert_eq!(
            text(&split("plain ${aws:username}", &ALL)),
            Node::s("plain ${aws:username}")
        );
        let arn = format!("arn:aws:s3:::{}/${{aws:username}}", Var::Bucket.marker());
        assert_eq!(
            text(&split(&arn, &ALL)),
            Node::map([(
                "Fn::Sub",
                Node::s("arn:aws:s3:::${BucketName}/${!aws:username}")
            )])
        );
        let objects = format!(
            "arn:aws:s3:::{}/{}*",
            Var::Bucket.marker(),
            Var::KeyPrefix.marker()
        );
        let sub = text(&split(&objects, &ALL));
        let Some(Node::List(parts)) = sub.get("Fn::Sub") else {
            panic!("{sub:?}")
        };
        assert_eq!(
            parts[0],
            Node::s("arn:aws:s3:::${BucketName}/${KeyPrefix}*")
        );
        assert!(parts[1]
            .get("KeyPrefix")
            .and_then(|k| k.get("Fn::If"))
            .is_some());
    }
}
