//! `impl Sluice` for infrastructure as code: render a policy or a destination as Terraform or
//! CloudFormation, and save it to a file the user chose. Nothing here calls AWS: a
//! destination's code needs only the spec (and, to import, Sluice's record of it).

use std::path::Path;

use super::policy_code::policy_code;
use super::setup_code::setup_code;
use super::{CodeRequest, GeneratedCode};
use crate::context::Sluice;
use crate::error::{CoreError, Result};

impl Sluice {
    /// The code for a policy template or a destination.
    pub async fn generate_code(&self, request: &CodeRequest) -> Result<GeneratedCode> {
        match request {
            CodeRequest::Policy {
                request,
                format,
                attach,
            } => policy_code(request, *format, attach.unwrap_or_default()),
            CodeRequest::Setup {
                spec,
                format,
                import,
            } => {
                let v = self.setup_spec(spec).await?;
                let record = if *import {
                    let record = self.setup_record(&v.user)?.ok_or_else(|| {
                        CoreError::invalid(
                            "import",
                            format!(
                                "Sluice has set up no destination for '{}': there is nothing of Sluice's to import",
                                v.user
                            ),
                        )
                    })?;
                    if !record.created_bucket {
                        return Err(CoreError::invalid(
                            "import",
                            format!(
                                "s3://{} existed before Sluice set it up: its policy and encryption belong to whoever manages it, so Sluice writes no import that would take them over; export without --import",
                                record.bucket
                            ),
                        ));
                    }
                    if record.bucket != v.bucket
                        || record.prefix != v.prefix
                        || record.suffix != v.suffix
                        || record.region != v.region
                    {
                        return Err(CoreError::invalid(
                            "import",
                            format!(
                                "'{}' writes to s3://{}/{} (suffix '{}', {}), not the destination given",
                                v.user, record.bucket, record.prefix, record.suffix, record.region
                            ),
                        ));
                    }
                    Some(record)
                } else {
                    None
                };
                setup_code(&v, *format, record.as_ref())
            }
        }
    }

    /// Saves the code to `path`; an existing file is replaced only when asked.
    pub async fn save_code(
        &self,
        request: &CodeRequest,
        path: &Path,
        replace: bool,
    ) -> Result<String> {
        let code = self.generate_code(request).await?;
        self.save_user_file(path, code.text.as_bytes(), replace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::CodeFormat;
    use crate::setup::SinkSpec;

    fn spec() -> SinkSpec {
        SinkSpec {
            bucket: "strm-export".into(),
            prefix: Some("events".into()),
            suffix: None,
            user: "strm-writer".into(),
            region: Some("eu-west-1".into()),
            kms_key_arn: None,
            tls_only: None,
        }
    }

    #[tokio::test]
    async fn import_needs_a_destination_sluice_made_and_saving_never_replaces_unasked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = crate::context::test_context(dir.path());
        let with_import = CodeRequest::Setup {
            spec: spec(),
            format: CodeFormat::Terraform,
            import: true,
        };
        let e = s.generate_code(&with_import).await.expect_err("no record");
        assert!(
            e.to_string().contains("nothing of Sluice's to import"),
            "{e}"
        );
        let plain = CodeRequest::Setup {
            spec: spec(),
            format: CodeFormat::Cloudformation,
            import: false,
        };
        let path = dir.path().join("dest.yaml");
        s.save_code(&plain, &path, false).await.expect("saved");
        assert!(std::fs::read_to_string(&path)
            .expect("read")
            .contains("AWS::S3::Bucket"));
        assert!(s.save_code(&plain, &path, false).await.is_err());
        // A recorded destination whose bucket Sluice adopted, or in another region: no import.
        let store = crate::setup::record::RecordStore::beside(s.settings().path());
        let mut record = crate::setup::record::SetupRecord {
            user: "strm-writer".into(),
            bucket: "strm-export".into(),
            prefix: "events".into(),
            suffix: ".jsonl".into(),
            region: "eu-west-1".into(),
            policy_name: "sluice-sink-writer-strm-export".into(),
            created_bucket: false,
            ..Default::default()
        };
        store.save(&record).expect("record");
        let e = s.generate_code(&with_import).await.expect_err("adopted");
        assert!(e.to_string().contains("existed before Sluice"), "{e}");
        record.created_bucket = true;
        record.region = "us-east-2".into();
        store.save(&record).expect("record");
        let e = s.generate_code(&with_import).await.expect_err("region");
        assert!(e.to_string().contains("us-east-2"), "{e}");
        record.region = "eu-west-1".into();
        store.save(&record).expect("record");
        let code = s.generate_code(&with_import).await.expect("imports");
        assert!(code.text.contains("to = aws_s3_bucket.destination"));

        let bad = CodeRequest::Setup {
            spec: SinkSpec {
                bucket: "Bad_Bucket".into(),
                ..spec()
            },
            format: CodeFormat::Terraform,
            import: false,
        };
        assert!(s.generate_code(&bad).await.is_err());
    }
}
