//! Reading a line without holding more of it than a record can be: the rest of a longer
//! line is consumed and dropped, so a file without line breaks never fills memory.

/// Reads one line (up to and including `\n`) into `buf`, keeping at most `limit` bytes of
/// it. Returns the bytes consumed and whether the whole line fit.
pub(super) fn read_line_bounded(
    reader: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    buf.clear();
    let mut consumed = 0;
    let mut whole = true;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok((consumed, whole));
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = limit.saturating_sub(buf.len());
        if take > room {
            whole = false;
        }
        buf.extend_from_slice(&chunk[..take.min(room)]);
        reader.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, whole));
        }
    }
}
