//! The destination setup as one Terraform module and one CloudFormation template: the
//! bucket with Block Public Access, ownership enforced, default encryption and the TLS-only
//! statement, the `/sluice/` writer with its tags, the sink-writer inline policy and the
//! access key — every value read from `setup::design`, the description `apply` carries out.
//! The validation write and the teardown order, which IaC tools do not run, are comments.

use super::cloudformation as cfn;
use super::hcl::{self, raw, s, Block, Expr, Item};
use super::node::{self, Node};
use super::terraform as tf;
use super::vars::{split, Var, ALL};
use super::{CodeFormat, GeneratedCode};
use crate::error::{CoreError, Result};
use crate::setup::design::{design, Design};
use crate::setup::record::SetupRecord;
use crate::setup::spec::{Encryption, Valid};

/// The spec with every value a variable can set replaced by its marker.
fn marked(v: &Valid) -> Valid {
    Valid {
        bucket: Var::Bucket.marker().into(),
        prefix: Var::Prefix.marker().into(),
        suffix: Var::Suffix.marker().into(),
        user: Var::User.marker().into(),
        region: Var::Region.marker().into(),
        encryption: match v.encryption {
            Encryption::SseS3 => Encryption::SseS3,
            Encryption::SseKms { .. } => Encryption::SseKms {
                key_arn: Var::KmsKey.marker().into(),
            },
        },
        tls_only: v.tls_only,
    }
}

fn kms_key(v: &Valid) -> Option<&str> {
    match &v.encryption {
        Encryption::SseKms { key_arn } => Some(key_arn),
        Encryption::SseS3 => None,
    }
}

fn policy_tree(text: &str) -> Result<Node> {
    node::policy(text, &ALL).ok_or_else(|| CoreError::Internal {
        detail: "the destination's policy is not JSON".into(),
    })
}

fn header(v: &Valid, format: CodeFormat) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Sluice destination for a vendor's writer, as {}: what `sluice sink apply` carries out",
            format.label()
        ),
        format!(
            "for bucket {}, prefix '{}', suffix '{}', user {} in {}.",
            v.bucket, v.prefix, v.suffix, v.user, v.region
        ),
        String::new(),
        "Validation (not run by this code): with the new key, put an empty object under the prefix"
            .into(),
        "and check that listing the bucket is denied, e.g. with the key as profile 'writer':"
            .into(),
        format!(
            "  aws --profile writer s3api put-object --bucket {} --key {}.strm_test_$(uuidgen){}",
            v.bucket,
            v.key_prefix(),
            v.suffix
        ),
        "      must succeed (IAM takes a few seconds to accept a new key: retry for a minute)"
            .into(),
        format!(
            "  aws --profile writer s3api list-objects-v2 --bucket {}",
            v.bucket
        ),
        "      must fail with AccessDenied".into(),
        String::new(),
        "Teardown order (as `sluice sink teardown`): the access key, the inline policy, the user;"
            .into(),
        "the bucket last, only when it is empty (every version and delete marker included).".into(),
    ];
    lines.extend(match format {
        CodeFormat::Terraform => [
            "`terraform destroy` follows that order from the references; without force_destroy it",
            "refuses a bucket that holds data.",
        ],
        CodeFormat::Cloudformation => [
            "Deleting the stack removes the key, the policy and the user in that order and keeps",
            "the bucket (DeletionPolicy Retain).",
        ],
    }
    .map(String::from));
    lines
}

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
            "can(regex(\"^([^/*?]+(/[^/*?]+)*)?$\", var.prefix))",
            "A prefix without a leading or trailing slash, '//' or wildcards.",
        ),
        tf::validation(
            tf::variable("suffix", "The file ending the writer may create.", Some(&v.suffix), false),
            "can(regex(\"^[^/*?$]*$\", var.suffix))",
            "A file ending such as .jsonl, without '/' or wildcards.",
        ),
        tf::validation(
            tf::variable("user", "The IAM user that writes (created under /sluice/).", Some(&v.user), false),
            "can(regex(\"^[A-Za-z0-9+=,.@_-]{1,64}$\", var.user))",
            "An IAM user name: up to 64 letters, digits and +=,.@_-.",
        ),
        tf::validation(
            tf::variable("region", "The bucket's region.", Some(&v.region), false),
            "can(regex(\"^[a-z]{2}(-[a-z]+)+-[0-9]+$\", var.region))",
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

fn terraform(v: &Valid, d: &Design, record: Option<&SetupRecord>) -> Result<String> {
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

fn cfn_parameters(v: &Valid) -> Node {
    let mut params = vec![
        ("BucketName", cfn::parameter("The destination bucket.", Some(&v.bucket), Some("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"), false)),
        ("Prefix", cfn::parameter("The key prefix the vendor writes under, without slashes at either end; empty for the whole bucket.", Some(&v.prefix), Some("^([^/*?]+(/[^/*?]+)*)?$"), false)),
        ("Suffix", cfn::parameter("The file ending the writer may create.", Some(&v.suffix), Some("^[^/*?$]*$"), false)),
        ("UserName", cfn::parameter("The IAM user that writes (created under /sluice/).", Some(&v.user), Some("^[A-Za-z0-9+=,.@_-]{1,64}$"), false)),
        ("Region", cfn::parameter("The bucket's region: deploy the stack there.", Some(&v.region), Some("^[a-z]{2}(-[a-z]+)+-[0-9]+$"), false)),
    ];
    if let Some(key) = kms_key(v) {
        params.push((
            "KmsKeyArn",
            cfn::parameter(
                "The KMS key for default encryption, in the bucket's region.",
                Some(key),
                Some("^arn:aws[a-z-]*:kms:.+$"),
                false,
            ),
        ));
    }
    Node::map(params)
}

fn retained(resource: Node) -> Node {
    let Node::Map(mut pairs) = resource else {
        return resource;
    };
    pairs.push(("DeletionPolicy".into(), Node::s("Retain")));
    pairs.push(("UpdateReplacePolicy".into(), Node::s("Retain")));
    Node::Map(pairs)
}

fn cfn_import_comments(record: &SetupRecord, d: &Design) -> Vec<String> {
    let mut ids = vec![
        serde_json::json!({"ResourceType": "AWS::S3::Bucket", "LogicalResourceId": "DestinationBucket", "ResourceIdentifier": {"BucketName": record.bucket}}),
    ];
    if d.bucket_policy.is_some() && record.put_bucket_policy {
        ids.push(serde_json::json!({"ResourceType": "AWS::S3::BucketPolicy", "LogicalResourceId": "TlsOnlyPolicy", "ResourceIdentifier": {"Bucket": record.bucket}}));
    }
    ids.push(serde_json::json!({"ResourceType": "AWS::IAM::User", "LogicalResourceId": "Writer", "ResourceIdentifier": {"UserName": record.user}}));
    if record.put_user_policy {
        ids.push(serde_json::json!({"ResourceType": "AWS::IAM::UserPolicy", "LogicalResourceId": "WriterPolicy", "ResourceIdentifier": {"PolicyName": record.policy_name, "UserName": record.user}}));
    }
    let mut lines = vec![
        String::new(),
        "Import what Sluice already created (a change set of type IMPORT; every imported resource is Retain):".into(),
        "  aws cloudformation create-change-set --change-set-type IMPORT --stack-name NAME \\".into(),
        "    --template-body file://THIS_FILE --resources-to-import file://import.json".into(),
        "with import.json holding:".into(),
    ];
    lines.extend(
        serde_json::to_string_pretty(&ids)
            .unwrap_or_default()
            .lines()
            .map(|l| format!("  {l}")),
    );
    lines.push("CloudFormation cannot import an access key or a Secrets Manager secret: leave WriterKey and WriterKeySecret".into());
    lines.push("out of the first import, then add them (a new key: rotate the vendor to it and delete the old one with Sluice).".into());
    lines
}

fn cloudformation(v: &Valid, d: &Design, record: Option<&SetupRecord>) -> Result<String> {
    let pab = d.public_access_block;
    let mut sse = vec![("SSEAlgorithm", Node::s(d.encryption.algorithm))];
    if let Some(key) = &d.encryption.kms_key_arn {
        sse.push((
            "KMSMasterKeyID",
            cfn::resolve(&Node::Text(split(key, &ALL))),
        ));
    }
    let bucket = retained(cfn::resource(
        "AWS::S3::Bucket",
        vec![
            (
                "BucketName",
                cfn::resolve(&Node::Text(split(&d.bucket, &ALL))),
            ),
            (
                "PublicAccessBlockConfiguration",
                Node::map([
                    ("BlockPublicAcls", Node::Bool(pab.block_public_acls)),
                    ("IgnorePublicAcls", Node::Bool(pab.ignore_public_acls)),
                    ("BlockPublicPolicy", Node::Bool(pab.block_public_policy)),
                    (
                        "RestrictPublicBuckets",
                        Node::Bool(pab.restrict_public_buckets),
                    ),
                ]),
            ),
            (
                "OwnershipControls",
                Node::map([(
                    "Rules",
                    Node::List(vec![Node::map([(
                        "ObjectOwnership",
                        Node::s(d.object_ownership),
                    )])]),
                )]),
            ),
            (
                "BucketEncryption",
                Node::map([(
                    "ServerSideEncryptionConfiguration",
                    Node::List(vec![Node::map([
                        ("ServerSideEncryptionByDefault", Node::map(sse)),
                        ("BucketKeyEnabled", Node::Bool(d.encryption.bucket_key)),
                    ])]),
                )]),
            ),
        ],
    ));
    let imported = |r: Node| if record.is_some() { retained(r) } else { r };
    let mut resources = vec![("DestinationBucket", bucket)];
    if let Some(policy) = &d.bucket_policy {
        resources.push((
            "TlsOnlyPolicy",
            imported(cfn::resource(
                "AWS::S3::BucketPolicy",
                vec![
                    ("Bucket", cfn::reference("DestinationBucket")),
                    ("PolicyDocument", cfn::resolve(&policy_tree(policy)?)),
                ],
            )),
        ));
    }
    let tags = d
        .user_tags
        .iter()
        .map(|(k, val)| {
            Node::map([
                ("Key", Node::s(k)),
                ("Value", cfn::resolve(&Node::Text(split(val, &ALL)))),
            ])
        })
        .collect();
    resources.push((
        "Writer",
        imported(cfn::resource(
            "AWS::IAM::User",
            vec![
                ("UserName", cfn::resolve(&Node::Text(split(&d.user, &ALL)))),
                ("Path", Node::s(d.user_path)),
                ("Tags", Node::List(tags)),
            ],
        )),
    ));
    resources.push((
        "WriterPolicy",
        imported(cfn::resource(
            "AWS::IAM::UserPolicy",
            vec![
                (
                    "PolicyName",
                    cfn::resolve(&Node::Text(split(&d.policy_name, &ALL))),
                ),
                ("UserName", cfn::reference("Writer")),
                (
                    "PolicyDocument",
                    cfn::resolve(&policy_tree(&d.writer_policy)?),
                ),
            ],
        )),
    ));
    resources.push((
        "WriterKey",
        cfn::resource(
            "AWS::IAM::AccessKey",
            vec![
                ("UserName", cfn::reference("Writer")),
                ("Status", Node::s("Active")),
            ],
        ),
    ));
    let mut secret = vec![
        ("Description", Node::map([("Fn::Sub", Node::s("The access key of the Sluice writer ${UserName}, for the vendor"))])),
        (
            "SecretString",
            Node::map([(
                "Fn::Sub",
                Node::s("{\"AccessKeyId\":\"${WriterKey}\",\"SecretAccessKey\":\"${WriterKey.SecretAccessKey}\"}"),
            )]),
        ),
    ];
    if kms_key(v).is_some() {
        secret.push(("KmsKeyId", cfn::reference(Var::KmsKey.cloudformation())));
    }
    resources.push((
        "WriterKeySecret",
        cfn::resource("AWS::SecretsManager::Secret", secret),
    ));
    let outputs = Node::map([
        (
            "AccessKeyId",
            Node::map([
                ("Description", Node::s("The writer's access key id, for the vendor.")),
                ("Value", cfn::reference("WriterKey")),
            ]),
        ),
        (
            "AccessKeySecretArn",
            Node::map([
                ("Description", Node::s("The Secrets Manager secret holding the key id and secret: hand them to the vendor over a private channel.")),
                ("Value", cfn::reference("WriterKeySecret")),
            ]),
        ),
    ]);
    let rules = Node::map([(
        "StackInTheBucketRegion",
        Node::map([(
            "Assertions",
            Node::List(vec![Node::map([
                (
                    "Assert",
                    Node::map([(
                        "Fn::Equals",
                        Node::List(vec![
                            cfn::reference("AWS::Region"),
                            cfn::reference("Region"),
                        ]),
                    )]),
                ),
                (
                    "AssertDescription",
                    Node::s("Deploy the stack in the bucket's region (the Region parameter)."),
                ),
            ])]),
        )]),
    )]);
    let conditions = Node::map([(
        cfn::HAS_PREFIX,
        Node::map([(
            "Fn::Not",
            Node::List(vec![Node::map([(
                "Fn::Equals",
                Node::List(vec![cfn::reference("Prefix"), Node::s("")]),
            )])]),
        )]),
    )]);
    let root = cfn::template(
        "Sluice destination: a secure bucket and a least-privilege writer for a vendor",
        vec![
            ("Parameters", cfn_parameters(v)),
            ("Rules", rules),
            ("Conditions", conditions),
            ("Resources", Node::map(resources)),
            ("Outputs", outputs),
        ],
    );
    let mut comments = header(v, CodeFormat::Cloudformation);
    comments.push(
        "The secret key goes to Secrets Manager (output AccessKeySecretArn), never to an output."
            .into(),
    );
    if let Some(r) = record {
        comments.extend(cfn_import_comments(r, d));
    }
    Ok(super::yaml::document(&comments, &root))
}

/// The destination `v` as code; `record` (what Sluice created for it) adds the imports.
pub fn setup_code(
    v: &Valid,
    format: CodeFormat,
    record: Option<&SetupRecord>,
) -> Result<GeneratedCode> {
    let d = design(&marked(v));
    if d.writer_policy.is_empty() {
        return Err(CoreError::Internal {
            detail: "the writer policy could not be built".into(),
        });
    }
    let text = match format {
        CodeFormat::Terraform => terraform(v, &d, record)?,
        CodeFormat::Cloudformation => cloudformation(v, &d, record)?,
    };
    Ok(GeneratedCode {
        format,
        file_name: format!("sluice-destination-{}.{}", v.bucket, format.extension()),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::spec::SinkSpec;

    fn valid(prefix: &str, kms: bool) -> Valid {
        SinkSpec {
            bucket: "strm-export".into(),
            prefix: Some(prefix.into()),
            suffix: None,
            user: "strm-writer".into(),
            region: Some("eu-west-1".into()),
            kms_key_arn: kms.then(|| "arn:aws:kms:eu-west-1:123456789012:key/abcd".into()),
            tls_only: None,
        }
        .validate("us-east-1")
        .expect("valid")
    }

    #[test]
    fn terraform_sets_what_apply_sets_with_variables() {
        let code = setup_code(&valid("events", false), CodeFormat::Terraform, None).expect("tf");
        let t = &code.text;
        assert!(!t.contains("sluicevar"), "{t}");
        assert!(t.contains("default     = \"strm-export\""));
        assert!(
            t.contains("\"arn:aws:s3:::${var.bucket}/${local.key_prefix}*${var.suffix}\""),
            "{t}"
        );
        assert!(t.contains("object_ownership = \"BucketOwnerEnforced\""));
        assert!(t.contains("sse_algorithm = \"AES256\""));
        assert!(t.contains("path = \"/sluice/\"") || t.contains("path = \"/sluice/\""));
        assert!(t.contains("\"sluice:bucket\" = var.bucket"));
        assert!(
            t.contains("name   = \"sluice-sink-writer-${var.bucket}\""),
            "{t}"
        );
        assert!(t.contains("sensitive   = true"));
        assert!(!t.contains("import {"));
    }

    #[test]
    fn kms_adds_the_key_variable_and_the_writer_statement() {
        let code = setup_code(&valid("", true), CodeFormat::Terraform, None).expect("tf");
        assert!(code.text.contains("kms_master_key_id = var.kms_key_arn"));
        assert!(code.text.contains("\"kms:GenerateDataKey\""));
        assert!(
            code.text.contains("resources = [var.kms_key_arn]"),
            "{}",
            code.text
        );
        let cf = setup_code(&valid("", true), CodeFormat::Cloudformation, None).expect("cfn");
        assert!(
            cf.text
                .contains("KMSMasterKeyID:\n                Ref: \"KmsKeyArn\""),
            "{}",
            cf.text
        );
        assert!(cf.text.contains("KmsKeyId:"));
    }

    #[test]
    fn imports_name_what_the_record_holds() {
        let v = valid("events", false);
        let record = SetupRecord {
            user: v.user.clone(),
            bucket: v.bucket.clone(),
            prefix: v.prefix.clone(),
            suffix: v.suffix.clone(),
            region: v.region.clone(),
            policy_name: crate::setup::plan::policy_name(&v),
            created_bucket: true,
            created_user: true,
            put_user_policy: true,
            put_bucket_policy: true,
            access_keys: vec![crate::setup::record::RecordedKey {
                access_key_id: "AKIAEXAMPLE".into(),
                created: String::new(),
                validated: true,
            }],
        };
        let tf = setup_code(&v, CodeFormat::Terraform, Some(&record)).expect("tf");
        assert!(tf.text.contains("to = aws_iam_user_policy.writer\n  id = \"strm-writer:sluice-sink-writer-strm-export\""), "{}", tf.text);
        assert!(tf.text.contains("id = \"AKIAEXAMPLE\""));
        let cf = setup_code(&v, CodeFormat::Cloudformation, Some(&record)).expect("cfn");
        assert!(cf.text.contains("\"LogicalResourceId\": \"WriterPolicy\""));
        assert_eq!(cf.text.matches("DeletionPolicy: \"Retain\"").count(), 4);
    }

    #[test]
    fn cloudformation_uses_parameters_and_the_prefix_condition() {
        let cf =
            setup_code(&valid("events", false), CodeFormat::Cloudformation, None).expect("cfn");
        let t = &cf.text;
        assert!(!t.contains("sluicevar"), "{t}");
        assert!(
            t.contains("\"arn:aws:s3:::${BucketName}/${KeyPrefix}*${Suffix}\""),
            "{t}"
        );
        assert!(t.contains("Type: \"AWS::IAM::UserPolicy\""));
        assert!(t.contains("ObjectOwnership: \"BucketOwnerEnforced\""));
        assert!(
            !t.contains("SecretAccessKey\n"),
            "the secret is never an output"
        );
    }
}
