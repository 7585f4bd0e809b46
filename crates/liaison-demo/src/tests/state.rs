//! The state file: written whole, read back, refused when foreign.

use liaison_core::ChannelId;

use crate::DemoError;
use crate::state::{IssuedOfficer, StateFile, WorldState};

#[test]
fn the_state_is_read_back_as_written_and_absent_before_a_first_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = StateFile::new(dir.path());
    assert!(file.load().unwrap().is_none());
    let mut state = WorldState::new();
    state.relay_addr = Some("127.0.0.1:40123".parse().unwrap());
    state
        .channels
        .insert("Channel Coordination".into(), "00ff".into());
    state.officers.insert(
        "gbr.taylor".into(),
        IssuedOfficer {
            display_name: "Capt. Sam Taylor".into(),
            nationality: "GBR".into(),
            clearance: "NATO SECRET".into(),
            device_key: "ab".repeat(32),
            welcomed_key: None,
        },
    );
    file.save(&state).unwrap();
    let loaded = file.load().unwrap().unwrap();
    assert_eq!(loaded.relay_addr, state.relay_addr);
    assert_eq!(loaded.officers, state.officers);
    let channels = loaded.channel_ids(file.path()).unwrap();
    assert_eq!(channels["Channel Coordination"], ChannelId(vec![0, 255]));
}

#[test]
fn a_damaged_or_foreign_state_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = StateFile::new(dir.path());
    std::fs::write(file.path(), b"{not json").unwrap();
    assert!(matches!(file.load(), Err(DemoError::CorruptState { .. })));
    std::fs::write(
        file.path(),
        br#"{"version": 99, "relay_addr": null, "channels": {}, "officers": {}}"#,
    )
    .unwrap();
    assert!(matches!(file.load(), Err(DemoError::CorruptState { .. })));
    let mut state = WorldState::new();
    state.channels.insert("Bad".into(), "zz".into());
    assert!(matches!(
        state.channel_ids(file.path()),
        Err(DemoError::CorruptState { .. })
    ));
}
