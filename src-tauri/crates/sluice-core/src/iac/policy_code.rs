//! A policy template as Terraform or CloudFormation, attached where it belongs: an identity
//! policy to a user, a role or as a managed policy; a trust policy as a role's
//! assume-role policy; a bucket policy to its bucket. A trust ExternalId is a variable
//! (sensitive in Terraform, `NoEcho` in CloudFormation), never its value.

use super::cloudformation as cfn;
use super::hcl::{self, raw, s, Block, Item};
use super::node::{self, Node};
use super::terraform as tf;
use super::vars::Var;
use super::{Attach, CodeFormat, GeneratedCode};
use crate::error::{CoreError, Result};
use crate::policy::templates::{Built, ExternalIdValue, TemplateRequest};
use crate::policy::PolicyKind;

/// What the exporters need from a template.
struct Source {
    built: Built,
    doc: Node,
    /// The trust policy requires an ExternalId (a variable in the code).
    external_id: bool,
    /// The bucket of a bucket policy.
    bucket: Option<String>,
}

fn source(request: &TemplateRequest) -> Result<Source> {
    let external_id = matches!(request, TemplateRequest::Trust(t) if t.external_id_name.is_some());
    let built =
        request.build(external_id.then_some(ExternalIdValue::Secret(Var::ExternalId.marker())))?;
    let vars: &[Var] = if external_id { &[Var::ExternalId] } else { &[] };
    let doc = node::policy(&built.document.to_pretty_json(), vars).ok_or_else(|| {
        CoreError::Internal {
            detail: "a template wrote a policy that is not JSON".into(),
        }
    })?;
    let bucket = match request {
        TemplateRequest::BucketPolicy(b) => Some(b.bucket.trim().to_string()),
        _ => None,
    };
    Ok(Source {
        built,
        doc,
        external_id,
        bucket,
    })
}

fn header(src: &Source, format: CodeFormat, attach: Attach) -> Vec<String> {
    let template = src.built.template;
    let mut lines = vec![
        format!(
            "Sluice's {template} policy ({}) as {}.",
            src.built.kind.label(),
            format.label()
        ),
        format!("The document Sluice shows, lints and applies for this form (sluice policy {template})."),
        String::new(),
    ];
    lines.extend(
        src.built
            .explanations
            .iter()
            .map(|e| format!("{}: {}", e.sid, e.sentence)),
    );
    if src.external_id {
        lines.push(String::new());
        lines.push(match format {
            CodeFormat::Terraform => "The ExternalId is the sensitive variable external_id: pass it when you apply (TF_VAR_external_id) and never commit its value.".into(),
            CodeFormat::Cloudformation => "The ExternalId is the NoEcho parameter ExternalId: pass it when you deploy and never commit its value.".into(),
        });
    }
    if src.built.kind == PolicyKind::Identity && attach == Attach::Managed {
        lines.push(
            "A customer managed policy: attach it to the users, groups or roles that need it."
                .into(),
        );
    }
    lines
}

/// A Terraform name from a template name: `sink-writer` → `sink_writer`.
fn ident(template: &str) -> String {
    template.replace('-', "_")
}

fn terraform(src: &Source, attach: Attach) -> Result<String> {
    let name = ident(src.built.template);
    let mut items: Vec<Item> = header(src, CodeFormat::Terraform, attach)
        .into_iter()
        .map(Item::Comment)
        .collect();
    items.push(Item::Blank);
    items.push(tf::requirements());
    let policy = tf::document_json(&name);
    let target = match (src.built.kind, attach) {
        (PolicyKind::Identity, Attach::User) => {
            items.push(Item::Block(tf::variable(
                "user_name",
                "The IAM user that gets this inline policy.",
                None,
                false,
            )));
            Block::new("resource", &["aws_iam_user_policy", &name])
                .attr("name", s(&src.built.suggested_name))
                .attr("user", raw("var.user_name"))
                .attr("policy", policy)
        }
        (PolicyKind::Identity, Attach::Role) => {
            items.push(Item::Block(tf::variable(
                "role_name",
                "The IAM role that gets this inline policy.",
                None,
                false,
            )));
            Block::new("resource", &["aws_iam_role_policy", &name])
                .attr("name", s(&src.built.suggested_name))
                .attr("role", raw("var.role_name"))
                .attr("policy", policy)
        }
        (PolicyKind::Identity, Attach::Managed) => {
            Block::new("resource", &["aws_iam_policy", &name])
                .attr("name", s(&src.built.suggested_name))
                .attr("policy", policy)
        }
        (PolicyKind::Trust, _) => {
            items.push(Item::Block(tf::variable(
                "role_name",
                "The IAM role this trust policy lets the principal assume.",
                None,
                false,
            )));
            Block::new("resource", &["aws_iam_role", &name])
                .attr("name", raw("var.role_name"))
                .attr("assume_role_policy", policy)
        }
        (PolicyKind::Resource, _) => Block::new("resource", &["aws_s3_bucket_policy", &name])
            .attr("bucket", s(src.bucket.as_deref().unwrap_or_default()))
            .attr("policy", policy),
    };
    if src.external_id {
        items.push(Item::Block(tf::variable(
            "external_id",
            "The ExternalId the trusted party must pass (kept out of the code).",
            None,
            true,
        )));
    }
    items.push(Item::Block(tf::policy_document(&name, &src.doc)?));
    items.push(Item::Block(target));
    Ok(hcl::file(&items))
}

/// A CloudFormation logical id from a template name: `sink-writer` → `SinkWriter`.
fn logical(template: &str) -> String {
    template
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn cloudformation(src: &Source, attach: Attach) -> Result<String> {
    let id = logical(src.built.template);
    let doc = cfn::resolve(&src.doc);
    let mut parameters = Vec::new();
    let (kind, properties): (&str, Vec<(&str, Node)>) = match (src.built.kind, attach) {
        (PolicyKind::Identity, Attach::User | Attach::Role) => {
            let (param, list, what) = if attach == Attach::User {
                ("UserName", "Users", "user")
            } else {
                ("RoleName", "Roles", "role")
            };
            parameters.push((
                param,
                cfn::parameter(
                    &format!("The IAM {what} that gets this inline policy."),
                    None,
                    None,
                    false,
                ),
            ));
            (
                "AWS::IAM::Policy",
                vec![
                    ("PolicyName", Node::s(&src.built.suggested_name)),
                    ("PolicyDocument", doc),
                    (list, Node::List(vec![cfn::reference(param)])),
                ],
            )
        }
        (PolicyKind::Identity, Attach::Managed) => (
            "AWS::IAM::ManagedPolicy",
            vec![
                ("ManagedPolicyName", Node::s(&src.built.suggested_name)),
                ("PolicyDocument", doc),
            ],
        ),
        (PolicyKind::Trust, _) => {
            parameters.push((
                "RoleName",
                cfn::parameter(
                    "The IAM role this trust policy lets the principal assume.",
                    None,
                    None,
                    false,
                ),
            ));
            (
                "AWS::IAM::Role",
                vec![
                    ("RoleName", cfn::reference("RoleName")),
                    ("AssumeRolePolicyDocument", doc),
                ],
            )
        }
        (PolicyKind::Resource, _) => (
            "AWS::S3::BucketPolicy",
            vec![
                ("Bucket", Node::s(src.bucket.as_deref().unwrap_or_default())),
                ("PolicyDocument", doc),
            ],
        ),
    };
    if src.external_id {
        parameters.push((
            "ExternalId",
            cfn::parameter(
                "The ExternalId the trusted party must pass (kept out of the template).",
                None,
                Some("[\\w+=,.@:/-]{2,1224}"),
                true,
            ),
        ));
    }
    let root = cfn::template(
        &format!("Sluice {} policy", src.built.template),
        vec![
            ("Parameters", Node::map(parameters)),
            (
                "Resources",
                Node::map([(id, cfn::resource(kind, properties))]),
            ),
        ],
    );
    Ok(super::yaml::document(
        &header(src, CodeFormat::Cloudformation, attach),
        &root,
    ))
}

/// The template's policy as code.
pub fn policy_code(
    request: &TemplateRequest,
    format: CodeFormat,
    attach: Attach,
) -> Result<GeneratedCode> {
    let src = source(request)?;
    let text = match format {
        CodeFormat::Terraform => terraform(&src, attach)?,
        CodeFormat::Cloudformation => cloudformation(&src, attach)?,
    };
    Ok(GeneratedCode {
        format,
        file_name: format!("sluice-{}.{}", src.built.template, format.extension()),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::templates::{BucketPolicyInput, SinkWriterInput, TrustInput};

    fn sink() -> TemplateRequest {
        TemplateRequest::SinkWriter(SinkWriterInput {
            bucket: "strm-export".into(),
            prefix: Some("events".into()),
            suffix: None,
        })
    }

    #[test]
    fn an_identity_policy_goes_where_it_is_attached() {
        let user = policy_code(&sink(), CodeFormat::Terraform, Attach::User).expect("tf");
        assert_eq!(user.file_name, "sluice-sink-writer.tf");
        assert!(user
            .text
            .contains("resource \"aws_iam_user_policy\" \"sink_writer\""));
        assert!(user
            .text
            .contains("\"arn:aws:s3:::strm-export/events/*.jsonl\""));
        let role = policy_code(&sink(), CodeFormat::Cloudformation, Attach::Role).expect("cfn");
        assert!(role.text.contains("Type: \"AWS::IAM::Policy\""));
        assert!(role.text.contains("Roles:\n        - Ref: \"RoleName\""));
        let managed = policy_code(&sink(), CodeFormat::Terraform, Attach::Managed).expect("tf");
        assert!(managed.text.contains("resource \"aws_iam_policy\""));
    }

    #[test]
    fn a_trust_external_id_is_a_variable_never_a_value() {
        let trust = TemplateRequest::Trust(TrustInput {
            principal: "352302322568".into(),
            external_id_name: Some("acme".into()),
        });
        let tf = policy_code(&trust, CodeFormat::Terraform, Attach::User).expect("tf");
        assert!(
            tf.text.contains("values   = [var.external_id]"),
            "{}",
            tf.text
        );
        assert!(tf.text.contains("sensitive   = true"));
        assert!(tf.text.contains("resource \"aws_iam_role\" \"trust\""));
        let cf = policy_code(&trust, CodeFormat::Cloudformation, Attach::User).expect("cfn");
        assert!(
            cf.text
                .contains("\"sts:ExternalId\":\n                  Ref: \"ExternalId\""),
            "{}",
            cf.text
        );
        assert!(cf.text.contains("NoEcho: true"));
        for text in [&tf.text, &cf.text] {
            assert!(!text.contains("sluicevar"), "{text}");
        }
    }

    #[test]
    fn a_bucket_policy_names_its_bucket() {
        let req = TemplateRequest::BucketPolicy(BucketPolicyInput {
            bucket: "mm-data".into(),
            reader_principal: None,
        });
        let tf = policy_code(&req, CodeFormat::Terraform, Attach::User).expect("tf");
        assert!(tf.text.contains("bucket = \"mm-data\""));
        let cf = policy_code(&req, CodeFormat::Cloudformation, Attach::User).expect("cfn");
        assert!(cf.text.contains("Type: \"AWS::S3::BucketPolicy\""));
    }
}
