//! The destination as one Terraform module: variables with validations, the bucket and its
//! settings as the AWS provider's separate resources, the policies as
//! `aws_iam_policy_document`s, outputs, and `import` blocks for what Sluice created.

use super::hcl::{self, raw, s, Block, Expr, Item};
use super::setup_parts::{header, kms_key, policy_tree};
use super::terraform as tf;
use super::vars::{split, ALL};
use super::CodeFormat;
use crate::error::Result;
use crate::setup::design::Design;
use crate::setup::record::SetupRecord;
use crate::setup::spec::Valid;

fn text(s: &str) -> Expr {
    Expr::Text(split(s, &ALL))
}

fn flag(b: bool) -> Expr {
    raw(if b { "true" } else { "false" })
}

fn terraform_variables(v: &Valid) -> Vec<Item> {
    let mut vars = vec![
        tf::validation(
            tf::variable("bucket", "The destination bucket.", Some(&v.bucket), false),
            "can(regex(\"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$\", var.bucket))",
            "A bucket name: 3-63 lowercase letters, digits, dots and hyphens.",
        ),
        tf::validation(
            tf::variable("prefix", "The key prefix the vendor writes under, without slashes at either end; empty for the whole bucket.", Some(&v.prefix), false),
            "can(regex(\"^([^/*?]+(/[^/*?]+)*)?$\", var.prefix)) && !can(regex(\"\\\\$\\\\{\", var.prefix))",
            "A prefix without a leading or trailing slash, '//' or wildcards.",
        ),
        tf::validation(
            tf::variable("suffix", "The file ending the writer may create.", Some(&v.suffix), false),
            "!can(regex(\"[/*?]|\\\\$\\\\{\", var.suffix))",
            "A file ending such as .jsonl, without '/' or wildcards.",
        ),
        tf::validation(
            tf::variable("user", "The IAM user that writes (created under /sluice/).", Some(&v.user), false),
            "can(regex(\"^[A-Za-z0-9+=,.@_-]{1,64}$\", var.user))",
            "An IAM user name: up to 64 letters, digits and +=,.@_-.",
        ),
        tf::validation(
            tf::variable("region", "The bucket's region.", Some(&v.region), false),
            "can(regex(\"^[a-z]+(-[a-z]+)+-[0-9]+$\", var.region)) && length(var.region) <= 32",
            "An AWS region such as eu-west-1.",
        ),
    ];
    if let Some(key) = kms_key(v) {
        vars.push(tf::validation(
            tf::variable(
                "kms_key_arn",
                "The KMS key for default encryption, in the bucket's region.",
                Some(key),
                false,
            ),
            "can(regex(\"^arn:aws[a-z-]*:kms:\", var.kms_key_arn))",
            "A KMS key ARN: arn:aws:kms:REGION:ACCOUNT:key/KEY-ID.",
        ));
    }
    vars.into_iter().map(Item::Block).collect()
}

fn terraform_imports(record: &SetupRecord, d: &Design) -> Vec<Item> {
    let import = |to: &str, id: &str| {
        Item::Block(
            Block::new("import", &[])
                .attr("to", raw(to))
                .attr("id", s(id)),
        )
    };
    let mut items = vec![
        Item::Comment(
            "Adopt what Sluice created into the Terraform state; `terraform plan` then shows no change."
                .into(),
        ),
        import("aws_s3_bucket.destination", &record.bucket),
        import("aws_s3_bucket_public_access_block.destination", &record.bucket),
        import("aws_s3_bucket_ownership_controls.destination", &record.bucket),
        import("aws_s3_bucket_server_side_encryption_configuration.destination", &record.bucket),
    ];
    if d.bucket_policy.is_some() && record.put_bucket_policy {
        items.push(import("aws_s3_bucket_policy.tls_only", &record.bucket));
    }
    items.push(import("aws_iam_user.writer", &record.user));
    if record.put_user_policy {
        items.push(import(
            "aws_iam_user_policy.writer",
            &format!("{}:{}", record.user, record.policy_name),
        ));
    }
    if let Some(key) = record.current_key() {
        items.push(Item::Comment(
            "An imported key leaves its secret out of the state (secret_access_key stays empty):"
                .into(),
        ));
        items.push(Item::Comment(
            "the secret is in the OS keyring of the machine that ran `sluice sink apply`.".into(),
        ));
        items.push(import("aws_iam_access_key.writer", &key.access_key_id));
    }
    items
}

pub(super) fn terraform(v: &Valid, d: &Design, record: Option<&SetupRecord>) -> Result<String> {
    let bucket_ref = raw("aws_s3_bucket.destination.id");
    let mut items: Vec<Item> = header(v, CodeFormat::Terraform)
        .into_iter()
        .map(Item::Comment)
        .collect();
    items.push(Item::Blank);
    items.push(tf::requirements());
    items.push(Item::Block(
        Block::new("provider", &["aws"]).attr("region", text(&d.region)),
    ));
    items.extend(terraform_variables(v));
    items.push(Item::Block(Block::new("locals", &[]).attr(
        "key_prefix",
        raw("var.prefix == \"\" ? \"\" : \"${var.prefix}/\""),
    )));
    items.push(Item::Block(
        Block::new("resource", &["aws_s3_bucket", "destination"]).attr("bucket", text(&d.bucket)),
    ));
    let pab = d.public_access_block;
    items.push(Item::Block(
        Block::new(
            "resource",
            &["aws_s3_bucket_public_access_block", "destination"],
        )
        .attr("bucket", bucket_ref.clone())
        .attr("block_public_acls", flag(pab.block_public_acls))
        .attr("ignore_public_acls", flag(pab.ignore_public_acls))
        .attr("block_public_policy", flag(pab.block_public_policy))
        .attr("restrict_public_buckets", flag(pab.restrict_public_buckets)),
    ));
    items.push(Item::Block(
        Block::new(
            "resource",
            &["aws_s3_bucket_ownership_controls", "destination"],
        )
        .attr("bucket", bucket_ref.clone())
        .block(Block::new("rule", &[]).attr("object_ownership", s(d.object_ownership))),
    ));
    let mut default = Block::new("apply_server_side_encryption_by_default", &[])
        .attr("sse_algorithm", s(d.encryption.algorithm));
    if let Some(key) = &d.encryption.kms_key_arn {
        default = default.attr("kms_master_key_id", text(key));
    }
    items.push(Item::Block(
        Block::new(
            "resource",
            &[
                "aws_s3_bucket_server_side_encryption_configuration",
                "destination",
            ],
        )
        .attr("bucket", bucket_ref.clone())
        .block(
            Block::new("rule", &[])
                .block(default)
                .attr("bucket_key_enabled", flag(d.encryption.bucket_key)),
        ),
    ));
    if let Some(policy) = &d.bucket_policy {
        items.push(Item::Block(tf::policy_document(
            "tls_only",
            &policy_tree(policy)?,
        )?));
        items.push(Item::Block(
            Block::new("resource", &["aws_s3_bucket_policy", "tls_only"])
                .attr("bucket", bucket_ref.clone())
                .attr("policy", tf::document_json("tls_only"))
                .comment("Block Public Access is on before the policy is put.")
                .attr(
                    "depends_on",
                    Expr::List(vec![raw("aws_s3_bucket_public_access_block.destination")]),
                ),
        ));
    }
    items.push(Item::Block(
        Block::new("resource", &["aws_iam_user", "writer"])
            .attr("name", text(&d.user))
            .attr("path", s(d.user_path))
            .attr(
                "tags",
                Expr::Object(
                    d.user_tags
                        .iter()
                        .map(|(k, val)| (k.clone(), text(val)))
                        .collect(),
                ),
            ),
    ));
    items.push(Item::Block(tf::policy_document(
        "writer",
        &policy_tree(&d.writer_policy)?,
    )?));
    items.push(Item::Block(
        Block::new("resource", &["aws_iam_user_policy", "writer"])
            .attr("name", text(&d.policy_name))
            .attr("user", raw("aws_iam_user.writer.name"))
            .attr("policy", tf::document_json("writer")),
    ));
    items.push(Item::Block(
        Block::new("resource", &["aws_iam_access_key", "writer"])
            .attr("user", raw("aws_iam_user.writer.name")),
    ));
    items.push(Item::Block(
        Block::new("output", &["access_key_id"])
            .attr(
                "description",
                s("The writer's access key id, for the vendor."),
            )
            .attr("value", raw("aws_iam_access_key.writer.id")),
    ));
    items.push(Item::Block(
        Block::new("output", &["secret_access_key"])
            .attr("description", s("The writer's secret key: hand it to the vendor over a private channel. It is in the state file; keep the state encrypted."))
            .attr("value", raw("aws_iam_access_key.writer.secret"))
            .attr("sensitive", raw("true")),
    ));
    if let Some(r) = record {
        items.push(Item::Blank);
        items.extend(terraform_imports(r, d));
    }
    Ok(hcl::file(&items))
}
