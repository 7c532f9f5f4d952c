//! Reading offload, JSONL and line files a record at a time.

use super::*;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn offload_files_become_records_and_bad_rows_name_their_line() {
    let dir = tempfile::tempdir().expect("dir");
    let p = write(
        dir.path(),
        "DMA35712_Data_1.csv",
        "35712;1743;7017;idx;0.1;2019-11-25T15:10:00;1574694600;0;d;e;p\n\
         35712;1743;7018;idx;0.2;2019-11-25T15:10:00;not-a-time;0;d;e;p\n\
         35712;1743;7019;idx;0.3;2019-11-25T15:10:00;1574694600;0;d;e;p\n",
    );
    let f = read_file(&p, PublishFormat::Dataminer, None, None).expect("read");
    assert_eq!(
        (f.data_type, f.rows, f.records.len()),
        (Some(DataType::Data), 3, 2)
    );
    assert_eq!(f.records[1].partition_key, "35712/1743/7019");
    assert_eq!(f.records[1].index, 3, "known by its line");
    assert_eq!(f.problems.len(), 1);
    assert_eq!(f.problems[0].line, 2);
    assert!(
        f.problems[0].reason.contains("TIMESTAMP_UNIX"),
        "{:?}",
        f.problems
    );
    let err = read_file(
        &write(dir.path(), "x.csv", "1,2,3\n"),
        PublishFormat::Dataminer,
        None,
        None,
    )
    .expect_err("no type");
    assert!(err.to_string().contains("choose Data, DataAvg or Alarm"));
}

#[test]
fn putrecords_lines_keep_their_data_and_key() {
    let dir = tempfile::tempdir().expect("dir");
    let p = write(
        dir.path(),
        "custom.jsonl",
        "{\"Data\":\"aGVsbG8=\",\"PartitionKey\":\"k1\"}\n{\"Data\":{\"a\":1}}\n\nnot json\n",
    );
    let f = read_file(&p, PublishFormat::Jsonl, None, None).expect("read");
    assert_eq!(f.records[0].data, b"hello");
    assert_eq!(f.records[0].partition_key, "k1");
    assert_eq!(f.records[1].data, b"{\"a\":1}");
    assert_eq!(f.problems[0].line, 4);
    assert_eq!(
        fill_template("{DMAID}-x", &|f| (f == "DMAID").then(|| "7".into())),
        Ok("7-x".into())
    );
    assert!(fill_template("{NOPE}", &|_| None).is_err());
}

#[test]
fn a_line_longer_than_a_record_is_skipped_without_being_held() {
    let mut input = std::io::Cursor::new(b"short\n0123456789abcdef\nlast".to_vec());
    let mut buf = Vec::new();
    assert_eq!(
        read_line_bounded(&mut input, &mut buf, 8).expect("read"),
        (6, true)
    );
    assert_eq!(buf, b"short\n");
    assert_eq!(
        read_line_bounded(&mut input, &mut buf, 8).expect("read"),
        (17, false)
    );
    assert_eq!(buf.len(), 8, "only the limit is kept");
    assert_eq!(
        read_line_bounded(&mut input, &mut buf, 8).expect("read"),
        (4, true)
    );
    assert_eq!(buf, b"last");
    assert_eq!(
        read_line_bounded(&mut input, &mut buf, 8).expect("read"),
        (0, true)
    );

    let dir = tempfile::tempdir().expect("dir");
    let long = "x".repeat(MAX_LINE_BYTES + 10);
    let p = write(dir.path(), "lines.txt", &format!("a\n{long}\nb\n"));
    let f = read_file(&p, PublishFormat::Lines, None, None).expect("read");
    let data: Vec<&[u8]> = f.records.iter().map(|r| r.data.as_slice()).collect();
    assert_eq!(data, [b"a".as_slice(), b"b".as_slice()]);
    assert_eq!((f.problems[0].line, f.rows), (2, 3));
    assert_eq!(
        f.records[1].partition_key, "1",
        "keys count records, not lines"
    );
}

#[test]
fn unreadable_rows_before_the_first_good_one_are_reported_first() {
    let dir = tempfile::tempdir().expect("dir");
    let p = dir.path().join("DMA1_Data_1.csv");
    let mut bytes = b"\xff\xfe,1,2,3,4,5,6,7,8,9,10\n".to_vec();
    bytes.extend_from_slice(b"35712,1743,7017,idx,0.1,2019-11-25T15:10:00,1574694600,0,d,e,p\n");
    std::fs::write(&p, &bytes).expect("write");
    let mut stream = FileStream::open(&p, PublishFormat::Dataminer, None, None).expect("open");
    assert_eq!(stream.data_type, Some(DataType::Data));
    assert!(matches!(
        stream.next_item(),
        Ok(Some(Item::Problem(RowProblem { line: 1, .. })))
    ));
    let second = stream.next_item();
    assert!(
        matches!(second, Ok(Some(Item::Record(OutRecord { line: 2, .. })))),
        "{second:?}"
    );
    assert!(matches!(stream.next_item(), Ok(None)));
    assert_eq!((stream.rows, stream.records), (1, 1));
    assert_eq!(stream.bytes_read, bytes.len() as u64);

    let empty = write(dir.path(), "DMA1_Alarm_1.csv", "");
    let f = read_file(&empty, PublishFormat::Dataminer, None, None).expect("read");
    assert_eq!((f.rows, f.records.len(), f.problems.len()), (0, 0, 0));
}
