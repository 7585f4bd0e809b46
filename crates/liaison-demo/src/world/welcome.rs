//! Welcoming a user's officer: the partner admins add its device to every
//! channel its clearance and nationality admit.

use std::time::Duration;

use liaison_core::{DeliveryError, Label};
use tokio::time::Instant;

use super::DemoWorld;
use crate::DemoError;
use crate::bot::{AddOutcome, Command};
use crate::cast::{CHANNELS, ChannelSpec};

/// How long a welcome waits for the officer's key packages to reach the
/// relay (the app publishes them on its first sync).
const KEY_PACKAGE_WAIT: Duration = Duration::from_secs(30);
/// Pause between two looks at the directory.
const KEY_PACKAGE_POLL: Duration = Duration::from_millis(100);

impl DemoWorld {
    /// Has the partner admins add `officer_id` (issued by
    /// [`issue_officer`](Self::issue_officer)) to every demo channel that
    /// admits it, once its key packages are on the relay (waiting for them
    /// up to 30 s). A channel it joins with no other user in it gets its
    /// scripted history, played by the bots after the add (MLS gives a
    /// newcomer nothing from before it joined). Calling it again adds the
    /// officer where it is missing; after a new
    /// [`issue_officer`](Self::issue_officer), the new device replaces the
    /// old one.
    pub async fn welcome(&self, officer_id: &str) -> Result<(), DemoError> {
        let _one_at_a_time = self.welcoming.lock().await;
        let record = self
            .lock_state()
            .officers
            .get(officer_id)
            .cloned()
            .ok_or_else(|| DemoError::UnknownOfficer(officer_id.to_owned()))?;
        let device_key = hex::decode(&record.device_key).map_err(|_| {
            DemoError::corrupt(self.state_file.path(), format!("{officer_id}'s device key"))
        })?;
        let replace = record.welcomed_key.as_deref() != Some(record.device_key.as_str());
        let admitted = self.admitting(&record.officer(officer_id))?;
        if admitted.is_empty() {
            return Err(DemoError::NotAdmitted(officer_id.to_owned()));
        }
        let deadline = Instant::now() + KEY_PACKAGE_WAIT;
        for spec in admitted {
            let outcome = self
                .add_when_published(spec, officer_id, &device_key, replace, deadline)
                .await?;
            if let AddOutcome::Added { users } = outcome
                && users == [officer_id]
            {
                self.play_history(spec).await?;
            }
            if spec.user_is_admin {
                self.promote(spec, officer_id).await?;
            }
        }
        let mut state = self.lock_state();
        if let Some(issued) = state.officers.get_mut(officer_id) {
            issued.welcomed_key = Some(record.device_key.clone());
        }
        self.state_file.save(&state)
    }

    /// The channels whose ceiling the officer's clearance and nationality
    /// admit (rule 2; the admin's engine checks it again).
    fn admitting(
        &self,
        officer: &crate::ExerciseOfficer,
    ) -> Result<Vec<&'static ChannelSpec>, DemoError> {
        let clearance = officer.parsed_clearance(&self.registry)?;
        let nation = officer.nation()?;
        let mut admitted = Vec::new();
        for spec in &CHANNELS {
            let ceiling = Label::parse_marking(spec.ceiling, &self.registry)?;
            if clearance.admits(&ceiling, &nation).is_ok() {
                admitted.push(spec);
            }
        }
        Ok(admitted)
    }

    /// Has the channel's creator make `officer_id` one of its admins.
    async fn promote(&self, spec: &ChannelSpec, officer_id: &str) -> Result<bool, DemoError> {
        let channel = self.channel(spec.name)?;
        self.bot(spec.creator())?
            .ask(|reply| Command::Promote {
                channel,
                officer_id: officer_id.to_owned(),
                reply,
            })
            .await
    }

    async fn add_when_published(
        &self,
        spec: &ChannelSpec,
        officer_id: &str,
        device_key: &[u8],
        replace: bool,
        deadline: Instant,
    ) -> Result<AddOutcome, DemoError> {
        let channel = self.channel(spec.name)?;
        let admin = self.bot(spec.creator())?;
        loop {
            let result = admin
                .ask(|reply| Command::Add {
                    channel: channel.clone(),
                    officer_id: officer_id.to_owned(),
                    device_key: Some(device_key.to_vec()),
                    replace,
                    reply,
                })
                .await;
            match result {
                Err(DemoError::Delivery(DeliveryError::NoKeyPackage(_))) => {
                    if Instant::now() >= deadline {
                        return Err(DemoError::KeyPackagesMissing {
                            officer_id: officer_id.to_owned(),
                            waited: KEY_PACKAGE_WAIT,
                        });
                    }
                    tokio::time::sleep(KEY_PACKAGE_POLL).await;
                }
                other => return other,
            }
        }
    }
}
