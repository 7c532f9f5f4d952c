//! PutRecords batches: at most 500 records and 5 MiB (data plus partition keys) per call.

use std::ops::Range;

pub const MAX_BATCH_RECORDS: usize = 500;
pub const MAX_BATCH_BYTES: usize = 5 << 20;

/// Consecutive ranges of `sizes` (each record's bytes) that fit in one call each.
pub fn batches(sizes: &[usize]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && (i - start == MAX_BATCH_RECORDS || bytes + size > MAX_BATCH_BYTES) {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_the_count_and_the_byte_limit() {
        let small = vec![100; 1201];
        let b = batches(&small);
        assert_eq!(b, vec![0..500, 500..1000, 1000..1201]);
        let big = vec![1 << 20; 12];
        let b = batches(&big);
        assert_eq!(b, vec![0..5, 5..10, 10..12]);
        assert!(batches(&[]).is_empty());
    }
}
