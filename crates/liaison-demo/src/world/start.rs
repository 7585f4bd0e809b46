//! Starting the world: the first run builds it, later runs reopen it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use liaison_core::PolicyRegistry;
use tokio::sync::watch;

use super::setup::{self, Partner};
use super::{DEFAULT_CHATTER, DemoConfig, DemoWorld, Layout, chatter};
use crate::bot::BotHandle;
use crate::cast::NATIONS;
use crate::state::{StateFile, WorldState};
use crate::{DemoError, ExerciseAuthority, LocalRelay, RelaySettings, files};

impl DemoWorld {
    /// Starts the world in `config.data_dir`. The first start creates the
    /// exercise authorities, the relay's storage and certificate, the
    /// partner officers and their channels; later starts reuse them all,
    /// with the relay on its previous port when it is free.
    pub async fn start(config: DemoConfig) -> Result<DemoWorld, DemoError> {
        let registry = Arc::new(PolicyRegistry::builtin());
        files::ensure_dir(&config.data_dir)?;
        let layout = Layout::new(&config.data_dir);
        let state_file = StateFile::new(&config.data_dir);
        let saved = state_file.load()?;
        if saved.is_none() {
            // An earlier first run stopped half-way: start that part over.
            files::remove_dir(&layout.relay)?;
            files::remove_dir(&layout.officers)?;
        }
        let mut authorities = BTreeMap::new();
        for nation in &NATIONS {
            let authority = ExerciseAuthority::load_or_create(
                &layout.authorities.join(format!("{}.pem", nation.code)),
                nation.code,
                nation.common_name,
                nation.organisation,
            )?;
            authorities.insert(nation.code.to_owned(), authority);
        }
        let relay = LocalRelay::start_preferring(
            saved.as_ref().and_then(|s| s.relay_addr),
            &layout.relay,
            crate::trust_anchors(authorities.values())?,
            &RelaySettings::demo(),
        )
        .await?;
        let built =
            build_or_open(saved, &state_file, &layout, &relay, &authorities, &registry).await;
        let (mut state, partners) = match built {
            Ok(built) => built,
            Err(error) => {
                let _ = relay.stop().await;
                return Err(error);
            }
        };
        let channels = match state.channel_ids(state_file.path()) {
            Ok(channels) => channels,
            Err(error) => {
                let _ = relay.stop().await;
                return Err(error);
            }
        };
        state.relay_addr = Some(relay.addr());
        if let Err(error) = state_file.save(&state) {
            let _ = relay.stop().await;
            return Err(error);
        }
        let bots: BTreeMap<_, _> = partners
            .into_iter()
            .map(|(id, partner)| {
                let handle = BotHandle::spawn(
                    id,
                    partner.spec.nationality,
                    partner.engine,
                    partner.relay,
                    config.reply_delay,
                );
                (id, handle)
            })
            .collect();
        let (chatter, every) = watch::channel(Some(DEFAULT_CHATTER));
        let chatter_task = tokio::spawn(chatter::run(
            every,
            bots.values().map(BotHandle::commands).collect(),
        ));
        Ok(DemoWorld {
            registry,
            authorities,
            relay,
            bots,
            channels,
            state_file,
            state: Mutex::new(state),
            welcoming: tokio::sync::Mutex::new(()),
            chatter,
            chatter_task,
        })
    }
}

async fn build_or_open(
    saved: Option<WorldState>,
    state_file: &StateFile,
    layout: &Layout,
    relay: &LocalRelay,
    authorities: &BTreeMap<String, ExerciseAuthority>,
    registry: &Arc<PolicyRegistry>,
) -> Result<(WorldState, BTreeMap<&'static str, Partner>), DemoError> {
    match saved {
        Some(state) => {
            let partners = setup::open_partners(&layout.officers, relay, registry).await?;
            Ok((state, partners))
        }
        None => {
            let mut partners =
                setup::create_partners(&layout.officers, relay, authorities, registry).await?;
            let channels = setup::open_channels(&mut partners, authorities, registry).await?;
            let mut state = WorldState::new();
            state.channels = channels
                .into_iter()
                .map(|(name, id)| (name, id.to_hex()))
                .collect();
            // Written only now: its presence marks a finished first run.
            state_file.save(&state)?;
            Ok((state, partners))
        }
    }
}
