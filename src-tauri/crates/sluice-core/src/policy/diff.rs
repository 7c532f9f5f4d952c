//! A line diff between the policy in AWS now and the one about to replace it, so an admin
//! sees exactly what changes before confirming. Policies are small: a plain LCS suffices.

use serde::Serialize;

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    pub op: DiffOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum DiffOp {
    Same,
    Add,
    Remove,
}

/// Lines of `old` and `new` in order, each marked same, added or removed.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let line = |op, text: &str| DiffLine {
        op,
        text: text.to_string(),
    };
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(line(DiffOp::Same, a[i]));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(line(DiffOp::Remove, a[i]));
            i += 1;
        } else {
            out.push(line(DiffOp::Add, b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|t| line(DiffOp::Remove, t)));
    out.extend(b[j..].iter().map(|t| line(DiffOp::Add, t)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_lines_only() {
        let d = diff_lines("a\nb\nc", "a\nx\nc\nd");
        let ops: Vec<_> = d.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(
            ops,
            vec![
                (DiffOp::Same, "a"),
                (DiffOp::Remove, "b"),
                (DiffOp::Add, "x"),
                (DiffOp::Same, "c"),
                (DiffOp::Add, "d"),
            ]
        );
        assert!(diff_lines("", "a").iter().all(|l| l.op == DiffOp::Add));
    }
}
