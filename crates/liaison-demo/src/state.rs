//! The world's memory between runs, `state.json`: the channels made on the
//! first run, where the relay last listened, and the officers issued to
//! users. Written whole after each change; its presence marks a finished
//! first run.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use liaison_core::ChannelId;
use serde::{Deserialize, Serialize};

use crate::{DemoError, ExerciseOfficer, files};

/// The version of the state file this code writes.
const VERSION: u32 = 1;

/// An officer issued to a user of the demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IssuedOfficer {
    pub(crate) display_name: String,
    pub(crate) nationality: String,
    pub(crate) clearance: String,
    /// Hex public key of the device last certified.
    pub(crate) device_key: String,
    /// Hex public key of the device the partners last added, if any.
    pub(crate) welcomed_key: Option<String>,
}

impl IssuedOfficer {
    pub(crate) fn officer(&self, officer_id: &str) -> ExerciseOfficer {
        ExerciseOfficer::new(
            officer_id,
            &self.display_name,
            &self.nationality,
            &self.clearance,
        )
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct WorldState {
    version: u32,
    /// Where the relay listened last.
    pub(crate) relay_addr: Option<SocketAddr>,
    /// Channel name to hex MLS group id.
    pub(crate) channels: BTreeMap<String, String>,
    /// Officers issued to users, by officer id.
    pub(crate) officers: BTreeMap<String, IssuedOfficer>,
}

impl WorldState {
    pub(crate) fn new() -> Self {
        Self {
            version: VERSION,
            ..Self::default()
        }
    }

    /// The channels, parsed.
    pub(crate) fn channel_ids(
        &self,
        path: &Path,
    ) -> Result<BTreeMap<String, ChannelId>, DemoError> {
        self.channels
            .iter()
            .map(|(name, id)| {
                hex::decode(id)
                    .map(|bytes| (name.clone(), ChannelId(bytes)))
                    .map_err(|_| DemoError::corrupt(path, format!("channel {name:?} id")))
            })
            .collect()
    }
}

/// Where the state lives.
#[derive(Debug, Clone)]
pub(crate) struct StateFile {
    path: PathBuf,
}

impl StateFile {
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("state.json"),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The saved state; `None` before a first run has finished.
    pub(crate) fn load(&self) -> Result<Option<WorldState>, DemoError> {
        let Some(bytes) = files::read_optional(&self.path)? else {
            return Ok(None);
        };
        let state: WorldState = serde_json::from_slice(&bytes)
            .map_err(|e| DemoError::corrupt(&self.path, e.to_string()))?;
        if state.version != VERSION {
            return Err(DemoError::corrupt(
                &self.path,
                format!("version {} (this build reads {VERSION})", state.version),
            ));
        }
        Ok(Some(state))
    }

    pub(crate) fn save(&self, state: &WorldState) -> Result<(), DemoError> {
        let text = serde_json::to_vec_pretty(state)
            .map_err(|e| DemoError::corrupt(&self.path, e.to_string()))?;
        files::write_whole(&self.path, &text)
    }
}
