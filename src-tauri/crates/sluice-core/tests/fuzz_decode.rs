//! Property tests for the decode chain: any bytes decode without panicking into at least one
//! row that keeps their size; any set of records survives KPL aggregation exactly.

use proptest::prelude::*;
use sluice_core::decode::{self, kpl, RecordSource};

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_decode_into_rows(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let rows = decode::decode(&RecordSource::default(), &data);
        prop_assert!(!rows.is_empty());
        prop_assert!(rows.iter().all(|r| !r.fields.is_empty()));
    }

    #[test]
    fn bytes_behind_the_kpl_magic_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut data = kpl::MAGIC.to_vec();
        data.extend_from_slice(&body);
        let rows = decode::decode(&RecordSource::default(), &data);
        prop_assert!(!rows.is_empty());
    }

    #[test]
    fn aggregation_round_trips(records in proptest::collection::vec(
        ("[a-z0-9]{1,12}", proptest::option::of("[0-9]{1,38}"), proptest::collection::vec(any::<u8>(), 0..200)),
        1..20,
    )) {
        let inner: Vec<kpl::InnerRecord> = records
            .into_iter()
            .map(|(pk, ehk, data)| kpl::InnerRecord { partition_key: Some(pk), explicit_hash_key: ehk, data })
            .collect();
        let packed = kpl::aggregate(&inner);
        prop_assert_eq!(kpl::deaggregate(&packed).expect("unpacks"), inner.clone());
        let rows = decode::decode(&RecordSource::default(), &packed);
        prop_assert_eq!(rows.len(), inner.len());
        for (i, row) in rows.iter().enumerate() {
            prop_assert_eq!(row.subsequence, Some(i as u32));
            prop_assert_eq!(&row.partition_key, &inner[i].partition_key);
        }
    }
}
