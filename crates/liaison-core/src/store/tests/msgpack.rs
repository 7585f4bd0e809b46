//! The fast MessagePack encoder writes exactly what `rmp_serde` writes.

use std::collections::{BTreeMap, HashMap};

use openmls::prelude::*;
use openmls_rust_crypto::OpenMlsRustCrypto;
use proptest::prelude::*;
use serde::{Serialize, Serializer};

use super::mls::{member, new_group};
use super::new_store;
use crate::store::msgpack::to_vec_named;

/// Both encodings of `value`, fast first.
fn both<T: Serialize + ?Sized>(value: &T) -> (Vec<u8>, Vec<u8>) {
    (
        to_vec_named(value).unwrap(),
        rmp_serde::to_vec_named(value).unwrap(),
    )
}

fn assert_same<T: Serialize + ?Sized>(value: &T) {
    let (fast, reference) = both(value);
    assert_eq!(fast, reference);
}

/// Calls `serialize_bytes`, as `serde_bytes` would.
struct Bytes(Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

/// A sequence whose length serde does not know in advance.
struct Unsized(Vec<u16>);

impl Serialize for Unsized {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().filter(|_| true))
    }
}

/// A `u8` when it fits, a `u16` otherwise: a sequence that starts as bytes
/// and turns out not to be.
struct Mixed(u16);

impl Serialize for Mixed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match u8::try_from(self.0) {
            Ok(byte) => serializer.serialize_u8(byte),
            Err(_) => serializer.serialize_u16(self.0),
        }
    }
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(Vec<u8>);

#[derive(Serialize)]
struct Pair(u8, i16);

#[derive(Serialize)]
enum Shape {
    Empty,
    Wrapped(u32),
    Pair(i8, String),
    Named { x: i64, label: Option<String> },
}

#[derive(Serialize)]
struct Record {
    id: u64,
    name: String,
    bytes: Vec<u8>,
    shapes: Vec<Shape>,
    maybe: Option<Box<Record>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u8>,
    pair: Pair,
    unit: Unit,
    newtype: Newtype,
    tuple: (bool, char, f32, f64),
    wide: (i128, u128),
    map: BTreeMap<String, Vec<u8>>,
}

#[derive(Serialize)]
struct Flattened {
    head: u8,
    #[serde(flatten)]
    rest: HashMap<String, u32>,
}

fn record(depth: u8) -> Record {
    Record {
        id: u64::MAX - u64::from(depth),
        name: "é".repeat(usize::from(depth) * 7),
        bytes: (0..=255).collect(),
        shapes: vec![
            Shape::Empty,
            Shape::Wrapped(70_000),
            Shape::Pair(-100, "x".into()),
            Shape::Named {
                x: -5_000_000_000,
                label: None,
            },
        ],
        maybe: (depth > 0).then(|| Box::new(record(depth - 1))),
        skipped: None,
        pair: Pair(200, -129),
        unit: Unit,
        newtype: Newtype(vec![1, 2, 3]),
        tuple: (true, 'ß', 1.5, -0.25),
        wide: (-1, u128::MAX),
        map: BTreeMap::from([("k".into(), vec![0xff; 300])]),
    }
}

#[test]
fn structs_enums_options_and_maps_encode_as_rmp_serde_does() {
    assert_same(&record(3));
    assert_same(&Flattened {
        head: 1,
        rest: HashMap::from([("a".into(), 1), ("b".into(), 100_000)]),
    });
    assert_same(&Unsized((0..40).collect()));
    assert_same(&Unsized(Vec::new()));
}

#[test]
fn sequence_that_starts_as_bytes_and_changes_type_encodes_as_rmp_serde_does() {
    let values = [1u16, 200, 3, 300, 255, 70, 65_535];
    assert_same(&values.iter().map(|&v| Mixed(v)).collect::<Vec<_>>());
    assert_same(&vec![vec![0x80u8, 0x7f], Vec::new(), vec![0xff; 20]]);
}

/// Bytes from an iterator that announces an exact length it does not keep.
struct Misreported {
    bytes: Vec<u8>,
    announced: usize,
}

struct MisreportedIter<'a> {
    inner: std::slice::Iter<'a, u8>,
    announced: usize,
}

impl<'a> Iterator for MisreportedIter<'a> {
    type Item = &'a u8;

    fn next(&mut self) -> Option<&'a u8> {
        self.inner.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.announced, Some(self.announced))
    }
}

impl Serialize for Misreported {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(MisreportedIter {
            inner: self.bytes.iter(),
            announced: self.announced,
        })
    }
}

#[test]
fn byte_sequence_longer_or_shorter_than_announced_is_declined() {
    for (len, announced) in [(10, 4), (4, 10), (1, 0)] {
        let value = Misreported {
            bytes: vec![0x90; len],
            announced,
        };
        assert!(
            to_vec_named(&value).is_err(),
            "{len} bytes announced as {announced}"
        );
    }
    let honest = Misreported {
        bytes: vec![0x90, 0x10, 0xff],
        announced: 3,
    };
    assert_eq!(
        to_vec_named(&honest).unwrap(),
        rmp_serde::to_vec_named(&honest).unwrap()
    );
}

#[test]
fn length_headers_switch_form_where_rmp_serde_does() {
    for len in [0, 1, 15, 16, 31, 32, 255, 256, 65_535, 65_536] {
        assert_same(&"a".repeat(len));
        assert_same(&Bytes(vec![7; len]));
        assert_same(&vec![1u8; len]);
        let map: BTreeMap<u32, bool> = (0..u32::try_from(len).unwrap())
            .map(|k| (k, k % 2 == 0))
            .collect();
        assert_same(&map);
    }
}

#[test]
fn extension_types_are_left_to_rmp_serde() {
    #[derive(Serialize)]
    #[serde(rename = "_ExtStruct")]
    struct Ext((i8, Vec<u8>));
    assert!(to_vec_named(&Ext((3, vec![1]))).is_err());
}

#[test]
fn openmls_state_encodes_as_rmp_serde_does() {
    let provider = OpenMlsRustCrypto::default();
    let (_dir, store) = new_store();
    let alice = member(&store, "alice");
    // Built on the store, so every write openmls makes for the group goes
    // through the codec, which compares both encoders in test builds.
    let group = new_group(&store, &alice);
    assert_same(group.group_id());
    assert_same(&group.export_ratchet_tree());
    let bundle = KeyPackage::builder()
        .build(
            Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
            &provider,
            &alice.signer,
            alice.credential.clone(),
        )
        .unwrap();
    assert_same(&bundle);
    assert_same(&alice.credential.credential);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn integers_take_the_smallest_form_rmp_serde_takes(
        a in any::<i64>(),
        b in any::<u64>(),
        c in any::<i32>(),
        d in any::<i16>(),
        e in any::<i8>(),
        f in any::<u16>(),
        g in -300i64..300,
    ) {
        let (fast, reference) = both(&(a, b, c, d, e, f, g));
        prop_assert_eq!(fast, reference);
    }

    #[test]
    fn strings_and_byte_vectors_encode_as_rmp_serde_does(
        text in ".{0,80}",
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let (fast, reference) = both(&(text.as_str(), &bytes, Bytes(bytes.clone())));
        prop_assert_eq!(fast, reference);
    }
}
