//! Terraform pieces shared by the policy and the destination exporters: a policy document as
//! an `aws_iam_policy_document` data source (the form Terraform's own documentation and
//! checkov read best), variables, and the provider requirement.

use super::hcl::{raw, s, Block, Expr, Item};
use super::node::Node;
use crate::error::{CoreError, Result};

fn bad(detail: String) -> CoreError {
    CoreError::Internal {
        detail: format!("the policy cannot be written as Terraform: {detail}"),
    }
}

fn text(node: &Node) -> Result<Expr> {
    match node {
        Node::Text(segs) => Ok(Expr::Text(segs.clone())),
        Node::Bool(b) => Ok(s(&b.to_string())),
        Node::Int(i) => Ok(s(&i.to_string())),
        other => Err(bad(format!("expected a string, found {other:?}"))),
    }
}

fn texts(node: &Node) -> Result<Expr> {
    Ok(Expr::List(
        node.items().into_iter().map(text).collect::<Result<_>>()?,
    ))
}

fn principals(kind: &str, node: &Node) -> Result<Vec<Block>> {
    match node {
        // "Principal": "*" is written as type "*" with identifiers ["*"].
        Node::Text(_) => Ok(vec![Block::new(kind, &[])
            .attr("type", s("*"))
            .attr("identifiers", texts(node)?)]),
        Node::Map(pairs) => pairs
            .iter()
            .map(|(ty, ids)| {
                Ok(Block::new(kind, &[])
                    .attr("type", s(ty))
                    .attr("identifiers", texts(ids)?))
            })
            .collect(),
        other => Err(bad(format!("a principal {other:?}"))),
    }
}

fn statement(st: &Node) -> Result<Block> {
    let Node::Map(pairs) = st else {
        return Err(bad("a statement that is not an object".into()));
    };
    let mut b = Block::new("statement", &[]);
    for (key, value) in pairs {
        b = match key.as_str() {
            "Sid" => b.attr("sid", text(value)?),
            "Effect" => b.attr("effect", text(value)?),
            "Action" => b.attr("actions", texts(value)?),
            "NotAction" => b.attr("not_actions", texts(value)?),
            "Resource" => b.attr("resources", texts(value)?),
            "NotResource" => b.attr("not_resources", texts(value)?),
            "Principal" | "NotPrincipal" => {
                let kind = if key == "Principal" {
                    "principals"
                } else {
                    "not_principals"
                };
                principals(kind, value)?
                    .into_iter()
                    .fold(b, |b, p| b.block(p))
            }
            "Condition" => {
                let Node::Map(operators) = value else {
                    return Err(bad("a condition that is not an object".into()));
                };
                let mut b = b;
                for (test, keys) in operators {
                    let Node::Map(keys) = keys else {
                        return Err(bad(format!("condition {test}")));
                    };
                    for (variable, values) in keys {
                        b = b.block(
                            Block::new("condition", &[])
                                .attr("test", s(test))
                                .attr("variable", s(variable))
                                .attr("values", texts(values)?),
                        );
                    }
                }
                b
            }
            other => return Err(bad(format!("the statement key {other}"))),
        };
    }
    Ok(b)
}

/// `data "aws_iam_policy_document" "name" { statement { … } … }` for a policy tree.
pub fn policy_document(name: &str, doc: &Node) -> Result<Block> {
    let statements = doc
        .get("Statement")
        .ok_or_else(|| bad("no Statement".into()))?;
    let mut b = Block::new("data", &["aws_iam_policy_document", name]);
    if let Some(Node::Text(v)) = doc.get("Version") {
        b = b.attr("version", Expr::Text(v.clone()));
    }
    for st in statements.items() {
        b = b.block(statement(st)?);
    }
    Ok(b)
}

/// The reference to a policy document's JSON.
pub fn document_json(name: &str) -> Expr {
    raw(&format!("data.aws_iam_policy_document.{name}.json"))
}

/// `terraform { required_providers { aws = … } }`: import blocks need Terraform 1.5.
pub fn requirements() -> Item {
    Item::Block(
        Block::new("terraform", &[])
            .attr("required_version", s(">= 1.5.0"))
            .block(Block::new("required_providers", &[]).attr(
                "aws",
                Expr::Object(vec![
                    ("source".into(), s("hashicorp/aws")),
                    ("version".into(), s(">= 5.0")),
                ]),
            )),
    )
}

/// A variable with a description, a type and, when given, a default.
pub fn variable(name: &str, description: &str, default: Option<&str>, sensitive: bool) -> Block {
    let mut b = Block::new("variable", &[name])
        .attr("description", s(description))
        .attr("type", raw("string"));
    if let Some(d) = default {
        b = b.attr("default", s(d));
    }
    if sensitive {
        b = b.attr("sensitive", raw("true"));
    }
    b
}

/// A variable's `validation` block: `condition` must hold or Terraform says `message`.
pub fn validation(var: Block, condition: &str, message: &str) -> Block {
    var.block(
        Block::new("validation", &[])
            .attr("condition", raw(condition))
            .attr("error_message", s(message)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::hcl::file;
    use crate::iac::node::policy;

    #[test]
    fn a_trust_policy_becomes_principals_and_conditions() {
        let doc = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Trust","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::352302322568:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"sluicevar6externalid"}}},{"Sid":"Tls","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["a","b"]}]}"#,
            &crate::iac::vars::ALL,
        )
        .expect("json");
        let text = file(&[Item::Block(policy_document("trust", &doc).expect("tf"))]);
        assert!(text.contains("data \"aws_iam_policy_document\" \"trust\" {"));
        assert!(text.contains("    principals {\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::352302322568:root\"]"));
        assert!(text
            .contains("      variable = \"sts:ExternalId\"\n      values   = [var.external_id]"));
        assert!(text.contains("type        = \"*\""));
        assert!(text.contains("resources = [\"a\", \"b\"]"));
    }
}
