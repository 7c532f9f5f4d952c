//! The destination as one CloudFormation template: parameters with patterns, the bucket
//! with its settings, the TLS-only bucket policy, the writer, its inline policy, its key and
//! a Secrets Manager secret for it; with an import, every resource to adopt is Retain and
//! the resource-import identifiers are in the comments.

use super::cloudformation as cfn;
use super::node::Node;
use super::setup_parts::{header, kms_key, policy_tree};
use super::vars::{split, Var, ALL};
use super::CodeFormat;
use crate::error::Result;
use crate::setup::design::Design;
use crate::setup::record::SetupRecord;
use crate::setup::spec::Valid;

fn cfn_parameters(v: &Valid) -> Node {
    let mut params = vec![
        ("BucketName", cfn::parameter("The destination bucket.", Some(&v.bucket), Some("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"), false)),
        ("Prefix", cfn::parameter("The key prefix the vendor writes under, without slashes at either end; empty for the whole bucket.", Some(&v.prefix), Some("^(?!.*\\$\\{)([^/*?]+(/[^/*?]+)*)?$"), false)),
        ("Suffix", cfn::parameter("The file ending the writer may create.", Some(&v.suffix), Some("^(?!.*\\$\\{)[^/*?]*$"), false)),
        ("UserName", cfn::parameter("The IAM user that writes (created under /sluice/).", Some(&v.user), Some("^[A-Za-z0-9+=,.@_-]{1,64}$"), false)),
        ("Region", cfn::parameter("The bucket's region: deploy the stack there.", Some(&v.region), Some("^[a-z]+(-[a-z]+)+-[0-9]+$"), false)),
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
    lines.push(
        "CloudFormation cannot import an access key or a Secrets Manager secret, so this template"
            .into(),
    );
    lines.push(
        "leaves them out: the key Sluice made stays in use; to hand the key to the stack, export"
            .into(),
    );
    lines.push("without --import, deploy the change, move the vendor to the new key, then delete the old one.".into());
    lines
}

pub(super) fn cloudformation(
    v: &Valid,
    d: &Design,
    record: Option<&SetupRecord>,
) -> Result<String> {
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
    // CloudFormation cannot import a key or a secret: an import template leaves them out
    // (the key Sluice made stays the vendor's until it is rotated).
    let outputs = if record.is_none() {
        key_and_secret(v, &mut resources)
    } else {
        Node::map(Vec::<(&str, Node)>::new())
    };
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
    if record.is_none() {
        comments.push(
            "The secret key goes to Secrets Manager (output AccessKeySecretArn), never to an output."
                .into(),
        );
    }
    if let Some(r) = record {
        comments.extend(cfn_import_comments(r, d));
    }
    Ok(super::yaml::document(&comments, &root))
}

/// The writer's access key, a Secrets Manager secret holding it, and the outputs naming both.
fn key_and_secret(v: &Valid, resources: &mut Vec<(&str, Node)>) -> Node {
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
    Node::map([
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
    ])
}
