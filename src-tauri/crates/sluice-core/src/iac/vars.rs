//! Variables in exported code. The exporters build the destination and the policies with
//! the very functions `apply` uses, fed with marker values; every string is then split at
//! the markers, so `arn:aws:s3:::<bucket>/<prefix>/*` becomes
//! `arn:aws:s3:::${var.bucket}/${local.key_prefix}*` in Terraform and an `Fn::Sub` in
//! CloudFormation. The shape of every document comes from one place; only the values vary.

/// A value the admin may set when deploying the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Bucket,
    Prefix,
    /// `PREFIX/`, or nothing when the prefix is empty.
    KeyPrefix,
    Suffix,
    User,
    Region,
    KmsKey,
    ExternalId,
}

/// Every variable, the longer marker of two that share a start first.
pub const ALL: [Var; 8] = [
    Var::Bucket,
    Var::KeyPrefix,
    Var::Prefix,
    Var::Suffix,
    Var::User,
    Var::Region,
    Var::KmsKey,
    Var::ExternalId,
];

impl Var {
    /// The marker fed to the builders. Each passes the validation of the field it stands
    /// for (a bucket name, a prefix, a `.suffix`, an IAM name, an ExternalId) and is
    /// nothing a person would type.
    pub fn marker(self) -> &'static str {
        match self {
            Self::Bucket => "sluicevar0bucket",
            Self::Prefix => "sluicevar1prefix",
            Self::KeyPrefix => "sluicevar1prefix/",
            Self::Suffix => ".sluicevar2suffix",
            Self::User => "sluicevar3user",
            Self::Region => "sluicevar4region",
            Self::KmsKey => "sluicevar5kmskey",
            Self::ExternalId => "sluicevar6externalid",
        }
    }

    /// The Terraform expression for the value.
    pub fn terraform(self) -> &'static str {
        match self {
            Self::Bucket => "var.bucket",
            Self::Prefix => "var.prefix",
            Self::KeyPrefix => "local.key_prefix",
            Self::Suffix => "var.suffix",
            Self::User => "var.user",
            Self::Region => "var.region",
            Self::KmsKey => "var.kms_key_arn",
            Self::ExternalId => "var.external_id",
        }
    }

    /// The CloudFormation parameter (or `Fn::Sub` variable) for the value.
    pub fn cloudformation(self) -> &'static str {
        match self {
            Self::Bucket => "BucketName",
            Self::Prefix => "Prefix",
            Self::KeyPrefix => "KeyPrefix",
            Self::Suffix => "Suffix",
            Self::User => "UserName",
            Self::Region => "Region",
            Self::KmsKey => "KmsKeyArn",
            Self::ExternalId => "ExternalId",
        }
    }
}

/// A piece of a string: text as it is, or a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Lit(String),
    Var(Var),
}

/// Splits `text` at the markers of `vars` (only those: a policy exported on its own has
/// literal values, and a bucket a person named after a marker stays a literal).
pub fn split(text: &str, vars: &[Var]) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        // The earliest marker; on a tie the longer one (KeyPrefix before Prefix).
        let next = vars
            .iter()
            .filter_map(|v| rest.find(v.marker()).map(|at| (at, *v)))
            .min_by_key(|(at, v)| (*at, usize::MAX - v.marker().len()));
        let Some((at, var)) = next else {
            if !rest.is_empty() {
                out.push(Seg::Lit(rest.to_string()));
            }
            return out;
        };
        if at > 0 {
            out.push(Seg::Lit(rest[..at].to_string()));
        }
        out.push(Seg::Var(var));
        rest = &rest[at + var.marker().len()..];
    }
}

/// The text itself when it holds no variable.
pub fn literal(segs: &[Seg]) -> Option<String> {
    segs.iter()
        .map(|s| match s {
            Seg::Lit(t) => Some(t.as_str()),
            Seg::Var(_) => None,
        })
        .collect::<Option<Vec<_>>>()
        .map(|parts| parts.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_split_into_variables_the_key_prefix_first() {
        let arn = format!(
            "arn:aws:s3:::{}/{}*{}",
            Var::Bucket.marker(),
            Var::KeyPrefix.marker(),
            Var::Suffix.marker()
        );
        assert_eq!(
            split(&arn, &ALL),
            vec![
                Seg::Lit("arn:aws:s3:::".into()),
                Seg::Var(Var::Bucket),
                Seg::Lit("/".into()),
                Seg::Var(Var::KeyPrefix),
                Seg::Lit("*".into()),
                Seg::Var(Var::Suffix),
            ]
        );
        assert_eq!(
            split(Var::Prefix.marker(), &ALL),
            vec![Seg::Var(Var::Prefix)]
        );
        assert_eq!(
            literal(&split(Var::Bucket.marker(), &[Var::ExternalId])).as_deref(),
            Some(Var::Bucket.marker())
        );
        assert!(split("", &ALL).is_empty());
    }

    #[test]
    fn every_marker_passes_the_validation_of_its_field() {
        assert!(crate::validate::bucket_name(Var::Bucket.marker()).is_ok());
        assert!(crate::validate::iam_name("user", Var::User.marker()).is_ok());
        assert!(crate::validate::external_id(Var::ExternalId.marker()).is_ok());
        assert!(crate::policy::templates::sink_writer(
            Var::Bucket.marker(),
            Var::Prefix.marker(),
            Var::Suffix.marker()
        )
        .is_ok());
    }
}
