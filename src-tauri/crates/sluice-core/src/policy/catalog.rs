//! What AWS says each action is: the linter's knowledge of services, actions, resource types
//! and condition keys.
//!
//! `catalog.json` is generated from the AWS Service Authorization Reference by
//! `scripts/gen_iam_catalog.py` and committed; it holds every service prefix and, for the
//! services Sluice writes policies for, every action with the resource types it accepts.
//! It is parsed once, on first use, and never changes afterwards.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

const CATALOG_JSON: &str = include_str!("catalog.json");

#[derive(Debug, Deserialize)]
struct RawCatalog {
    prefixes: Vec<String>,
    services: BTreeMap<String, RawService>,
}

#[derive(Debug, Deserialize)]
struct RawService {
    name: String,
    resources: BTreeMap<String, String>,
    /// Condition key → its type (`String`, `ARN`, `Bool`, `Date`, `Numeric`, `IPAddress`…).
    conditions: BTreeMap<String, String>,
    actions: BTreeMap<String, RawAction>,
}

#[derive(Debug, Deserialize)]
struct RawAction {
    resources: Vec<String>,
}

/// One service the linter knows in detail.
#[derive(Debug)]
pub struct Service {
    pub prefix: String,
    pub name: String,
    /// Resource type → its ARN pattern.
    pub resources: BTreeMap<String, ArnPattern>,
    /// Lower-cased condition keys (e.g. `s3:prefix`, `s3:requestobjecttag/<key>`) and types.
    conditions: Vec<(String, String)>,
    /// Lower-cased action name → (canonical name, resource types it accepts).
    actions: BTreeMap<String, Action>,
}

/// An action as the Service Authorization Reference lists it.
#[derive(Debug)]
pub struct Action {
    pub name: String,
    /// Resource types this action can be limited to; empty means only `"*"` works.
    pub resource_types: Vec<String>,
}

/// The catalog: every service prefix, and the detailed services.
#[derive(Debug)]
pub struct Catalog {
    prefixes: Vec<String>,
    services: BTreeMap<String, Service>,
}

/// Types of the global condition keys policies use most (AWS global condition context keys).
const GLOBAL_KEY_TYPES: [(&str, &str); 17] = [
    ("aws:CurrentTime", "Date"),
    ("aws:EpochTime", "Date"),
    ("aws:TokenIssueTime", "Date"),
    ("aws:SecureTransport", "Bool"),
    ("aws:MultiFactorAuthPresent", "Bool"),
    ("aws:ViaAWSService", "Bool"),
    ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:SourceIp", "IPAddress"),
    ("aws:PrincipalArn", "ARN"),
    ("aws:SourceArn", "ARN"),
    ("aws:PrincipalAccount", "String"),
    ("aws:PrincipalOrgID", "String"),
    ("aws:SourceAccount", "String"),
    ("aws:SourceVpc", "String"),
    ("aws:SourceVpce", "String"),
    ("aws:RequestedRegion", "String"),
    ("aws:username", "String"),
];

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::parse(CATALOG_JSON));

/// The bundled catalog.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    fn parse(text: &str) -> Self {
        // The file is generated and committed; a test proves it parses.
        let raw: RawCatalog = serde_json::from_str(text).unwrap_or(RawCatalog {
            prefixes: Vec::new(),
            services: BTreeMap::new(),
        });
        let services = raw
            .services
            .into_iter()
            .map(|(prefix, s)| {
                let service = Service {
                    prefix: prefix.clone(),
                    name: s.name,
                    resources: s
                        .resources
                        .into_iter()
                        .map(|(name, arn)| (name, ArnPattern::new(&arn)))
                        .collect(),
                    conditions: s
                        .conditions
                        .into_iter()
                        .map(|(key, kind)| (key.to_ascii_lowercase(), kind))
                        .collect(),
                    actions: s
                        .actions
                        .into_iter()
                        .map(|(name, a)| {
                            (
                                name.to_ascii_lowercase(),
                                Action {
                                    name,
                                    resource_types: a.resources,
                                },
                            )
                        })
                        .collect(),
                };
                (prefix, service)
            })
            .collect();
        Self {
            prefixes: raw.prefixes,
            services,
        }
    }

    /// Whether `prefix` is any AWS service prefix at all.
    pub fn is_service(&self, prefix: &str) -> bool {
        let prefix = prefix.to_ascii_lowercase();
        self.prefixes.contains(&prefix)
    }

    /// Whether any detailed service documents this condition key (STS documents the
    /// identity providers' keys, such as `saml:aud`).
    pub fn documents_condition_key(&self, key: &str) -> bool {
        self.services.values().any(|s| s.has_condition_key(key))
    }

    /// The documented type of a condition key (`String`, `ARN`, `Bool`, `Date`, `Numeric`,
    /// `IPAddress`, `ArrayOf…`), from the common global keys or any detailed service.
    pub fn condition_type(&self, key: &str) -> Option<&str> {
        let lower = key.to_ascii_lowercase();
        GLOBAL_KEY_TYPES
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&lower))
            .map(|(_, t)| *t)
            .or_else(|| {
                self.services
                    .values()
                    .find_map(|s| s.condition_type(&lower))
            })
            .filter(|t| !t.is_empty())
    }

    /// The detailed entry for a service Sluice checks action by action.
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.get(&prefix.to_ascii_lowercase())
    }
}

impl Service {
    /// The action named exactly (case-insensitive).
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.get(&name.to_ascii_lowercase())
    }

    /// Actions matching an IAM wildcard such as `Get*` or `Put?bject`.
    pub fn matching_actions<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a Action> {
        let pattern = pattern.to_ascii_lowercase();
        self.actions
            .iter()
            .filter(move |(lower, _)| wildcard_match(&pattern, lower))
            .map(|(_, a)| a)
    }

    /// Whether the service documents this condition key (tag keys and other `${…}`
    /// placeholders match any text).
    pub fn has_condition_key(&self, key: &str) -> bool {
        self.condition_type(key).is_some()
    }

    /// The type the service gives this condition key ("" when it names none).
    pub fn condition_type(&self, key: &str) -> Option<&str> {
        let key = key.to_ascii_lowercase();
        self.conditions
            .iter()
            .find(|(known, _)| *known == key || template_match(known, &key))
            .map(|(_, kind)| kind.as_str())
    }
}

/// Plain IAM wildcard matching: `*` any run, `?` one character.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// `known` with `${…}` or `<…>` placeholders (any text) against a concrete key.
fn template_match(known: &str, key: &str) -> bool {
    let mut pattern = String::new();
    let mut placeholder = None;
    for c in known.chars() {
        match (placeholder, c) {
            (None, '$' | '<') => placeholder = Some(if c == '$' { '}' } else { '>' }),
            (None, '*' | '?') => {}
            (None, c) => pattern.push(c),
            (Some(end), c) if c == end => {
                pattern.push('*');
                placeholder = None;
            }
            (Some(_), _) => {}
        }
    }
    pattern != known && wildcard_match(&pattern, key)
}

/// One piece of an ARN pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Literal(char),
    /// `${Name}`: one segment (no `:` or `/`).
    Segment,
    /// `${ObjectName}`, `${…WithPath}`: any text.
    Path,
}

/// A resource type's ARN pattern, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
#[derive(Debug, Clone)]
pub struct ArnPattern {
    pub text: String,
    pieces: Vec<Piece>,
}

impl ArnPattern {
    pub fn new(text: &str) -> Self {
        let mut pieces = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("${") {
                let end = after.find('}').unwrap_or(after.len());
                let name = &after[..end];
                let spans_path = name.contains("Path") || name == "ObjectName";
                pieces.push(if spans_path {
                    Piece::Path
                } else {
                    Piece::Segment
                });
                rest = after.get(end + 1..).unwrap_or("");
            } else {
                let mut chars = rest.chars();
                if let Some(c) = chars.next() {
                    pieces.push(Piece::Literal(c));
                }
                rest = chars.as_str();
            }
        }
        Self {
            text: text.to_string(),
            pieces,
        }
    }

    /// Whether a policy's resource (which may hold `*`, `?` and `${aws:…}` variables)
    /// can name a resource of this type.
    pub fn admits(&self, resource: &str) -> bool {
        admits_all(&resource_tokens(resource), &self.pieces)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`: any one character.
    One,
    /// `*` or a `${…}` policy variable: any run of characters.
    Any,
}

fn resource_tokens(resource: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = resource;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            tokens.push(Token::Any);
            rest = after.find('}').map_or("", |end| &after[end + 1..]);
            continue;
        }
        let mut chars = rest.chars();
        match chars.next() {
            Some('*') => tokens.push(Token::Any),
            Some('?') => tokens.push(Token::One),
            Some(c) => tokens.push(Token::Char(c)),
            None => {}
        }
        rest = chars.as_str();
    }
    tokens
}

fn in_piece(piece: Piece, c: char) -> bool {
    match piece {
        Piece::Segment => c != ':' && c != '/',
        Piece::Path => true,
        Piece::Literal(l) => l == c,
    }
}

/// Does the token string fit the pattern? A depth-first search over `(token, piece)`
/// positions with an explicit stack (no recursion, so a long resource cannot exhaust the
/// thread's stack), each position visited once.
fn admits_all(res: &[Token], pat: &[Piece]) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if !seen.insert((i, j)) {
            continue;
        }
        let Some(token) = res.get(i) else {
            if pat[j..].iter().all(|p| !matches!(p, Piece::Literal(_))) {
                return true;
            }
            continue;
        };
        let Some(&piece) = pat.get(j) else {
            // Pattern used up: only wildcards that match nothing may remain.
            if res[i..].iter().all(|t| *t == Token::Any) {
                return true;
            }
            continue;
        };
        match (token, piece) {
            (Token::Char(c), Piece::Literal(l)) => {
                if *c == l {
                    stack.push((i + 1, j + 1));
                }
            }
            (Token::One, Piece::Literal(_)) => stack.push((i + 1, j + 1)),
            (Token::Char(c), variable) => {
                stack.push((i, j + 1));
                if in_piece(variable, *c) {
                    stack.push((i + 1, j));
                }
            }
            (Token::Any | Token::One, _) => {
                stack.push((i, j + 1));
                stack.push((i + 1, j));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalog_parses_and_knows_the_services_sluice_writes() {
        let c = catalog();
        for prefix in ["s3", "kinesis", "sts", "iam", "kms"] {
            assert!(c.service(prefix).is_some(), "{prefix}");
        }
        assert!(c.is_service("ec2") && !c.is_service("s4"));
        let s3 = c.service("s3").expect("s3");
        assert_eq!(
            s3.action("putobject").map(|a| a.resource_types.clone()),
            Some(vec!["object".to_string()])
        );
        assert!(s3
            .action("ListAllMyBuckets")
            .is_some_and(|a| a.resource_types.is_empty()));
        assert!(s3.has_condition_key("s3:prefix"));
        assert!(s3.has_condition_key("s3:RequestObjectTag/team"));
        assert!(!s3.has_condition_key("s3:colour"));
        assert!(s3.matching_actions("Get*").count() > 10);
        assert!(c
            .service("sts")
            .and_then(|s| s.action("AssumeRole"))
            .is_some());
    }

    #[test]
    fn bucket_and_object_patterns_tell_their_arns_apart() {
        let s3 = catalog().service("s3").expect("s3");
        let bucket = &s3.resources["bucket"];
        let object = &s3.resources["object"];
        assert!(bucket.admits("arn:aws:s3:::my-data-stream"));
        assert!(!object.admits("arn:aws:s3:::my-data-stream"));
        assert!(object.admits("arn:aws:s3:::b/p/*.jsonl"));
        assert!(!bucket.admits("arn:aws:s3:::b/p/*.jsonl"));
        // A wildcard may stand for the slash.
        assert!(object.admits("arn:aws:s3:::b*"));
        assert!(bucket.admits("arn:aws:s3:::b*"));
        assert!(object.admits("arn:aws:s3:::b/home/${aws:username}/*"));
        let role = &catalog().service("iam").expect("iam").resources["role"];
        assert!(role.admits("arn:aws:iam::123456789012:role/path/to/r"));
        assert!(!role.admits("arn:aws:iam::123456789012:user/u"));
        // A very long resource is matched without recursion.
        let long = format!("arn:aws:s3:::b/{}", "a".repeat(200_000));
        assert!(object.admits(&long) && !bucket.admits(&long));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("get*", "getobject"));
        assert!(wildcard_match("put?bject", "putobject"));
        assert!(!wildcard_match("get*", "putobject"));
        assert!(wildcard_match("*", ""));
    }
}
