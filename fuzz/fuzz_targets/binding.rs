#![no_main]
//! The MLS authenticated data the relay and every member read before
//! decrypting anything: the label binding of an application message
//! (`Binding::decode`) and the commit stamp of a commit
//! (`CommitStamp::decode`, `liaison_rules::commit_instant`).
//!
//! Asserts: no panic; canonical round trips; the instant a stamp states is
//! the one `commit_instant` returns (or it is refused when no `SystemTime`
//! can hold it).

use std::time::{Duration, UNIX_EPOCH};

use liaison_proto::{Binding, CommitStamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(binding) = Binding::decode(data) {
        assert_eq!(binding.encode(), data, "binding encoding is not canonical");
    }
    let stamp = CommitStamp::decode(data);
    if let Ok(stamp) = &stamp {
        assert_eq!(
            stamp.encode(),
            data,
            "commit stamp encoding is not canonical"
        );
    }
    let instant = liaison_rules::commit_instant(data);
    match (stamp, instant) {
        (Ok(stamp), instant) => {
            let stated = UNIX_EPOCH.checked_add(Duration::from_secs(stamp.instant));
            assert_eq!(instant.ok(), stated, "{stamp:?}");
        }
        (Err(_), Err(_)) => {}
        (Err(e), Ok(instant)) => panic!("no stamp ({e}) but an instant {instant:?}"),
    }
});
