//! The destination setup as one Terraform module and one CloudFormation template: the
//! bucket with Block Public Access, ownership enforced, default encryption and the TLS-only
//! statement, the `/sluice/` writer with its tags, the sink-writer inline policy and the
//! access key — every value read from `setup::design`, the description `apply` carries out.
//! The validation write and the teardown order, which IaC tools do not run, are comments.
//! `setup_parts` holds what both languages share; `setup_terraform` and
//! `setup_cloudformation` write each; this file picks one.

use super::setup_parts::marked;
use super::{setup_cloudformation, setup_terraform, CodeFormat, GeneratedCode};
use crate::error::{CoreError, Result};
use crate::setup::design::design;
use crate::setup::record::SetupRecord;
use crate::setup::spec::Valid;

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
        CodeFormat::Terraform => setup_terraform::terraform(v, &d, record)?,
        CodeFormat::Cloudformation => setup_cloudformation::cloudformation(v, &d, record)?,
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
        // CloudFormation cannot import a key or a secret: the import template has neither.
        assert!(!cf.text.contains("AWS::IAM::AccessKey") && !cf.text.contains("Outputs:"));
        let plain = setup_code(&v, CodeFormat::Cloudformation, None).expect("cfn");
        assert!(plain.text.contains("AWS::IAM::AccessKey"));
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
