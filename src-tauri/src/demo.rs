//! Demo mode (`--demo`, feature `demo`): the liaison-demo crate starts a
//! local relay and scripted partner officers; its exercise authority
//! issues the user's certificate, and once the user's key packages are at
//! the relay the partners add the user to their channels.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use liaison_core::{CertificateChain, DeviceKey, RelayTrust};
use liaison_demo::{DemoConfig, DemoWorld};
use liaison_desk::views::ConnectionState;
use liaison_desk::{CertificateSubject, Desk, DeskConfig, IssueError, Issuer};
use tauri::{AppHandle, Manager as _, Runtime};

/// The running demo world, kept in the app's state until exit.
pub(crate) struct Demo {
    world: Mutex<Option<Arc<DemoWorld>>>,
}

/// Starts the demo world and points the desk at it.
pub(crate) fn start(config: &mut DeskConfig) -> Result<Demo, Box<dyn std::error::Error>> {
    let world = tauri::async_runtime::block_on(DemoWorld::start(DemoConfig::new(
        config.home.join("world"),
    )))?;
    config.relay_url = Some(world.relay_url().to_string());
    config.relay_trust = Some(RelayTrust::from_pem(world.relay_ca_pem().as_bytes())?);
    let world = Arc::new(world);
    config.issuer = Some(Arc::new(DemoIssuer(Arc::clone(&world))));
    Ok(Demo {
        world: Mutex::new(Some(world)),
    })
}

/// The demo world's authorities issue the user's certificate, and the
/// profile pins all four of them at onboarding, so the partners' channels
/// are joined without asking.
struct DemoIssuer(Arc<DemoWorld>);

impl Issuer for DemoIssuer {
    fn issue(
        &self,
        officer: &CertificateSubject,
    ) -> Result<(CertificateChain, DeviceKey), IssueError> {
        self.0
            .issue_officer(&liaison_demo::ExerciseOfficer {
                officer_id: officer.officer_id.clone(),
                display_name: officer.display_name.clone(),
                nationality: officer.nationality.to_string(),
                clearance: officer.clearance_name.clone(),
            })
            .map_err(|e| IssueError(e.to_string()))
    }

    fn authorities(&self) -> Vec<Vec<u8>> {
        self.0.onboarding_trust().authorities
    }
}

impl Demo {
    /// What to do once the user's profile exists: wait until the desk is
    /// online (its runtime then publishes key packages), then have the
    /// partners add the user.
    pub(crate) fn welcome_hook(&self, desk: Arc<Desk>) -> impl Fn(&str) + Send + Sync + 'static {
        let world = self.world.lock().ok().and_then(|w| w.clone());
        move |officer_id: &str| {
            let Some(world) = world.clone() else {
                return;
            };
            let desk = Arc::clone(&desk);
            let officer_id = officer_id.to_owned();
            tauri::async_runtime::spawn(async move {
                for _ in 0..600 {
                    if desk.connection_state().await == ConnectionState::Online {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                if let Err(error) = world.welcome(&officer_id).await {
                    log::warn!("demo partners could not add {officer_id}: {error}");
                }
            });
        }
    }
}

/// Stops the demo world at exit.
pub(crate) fn shutdown<R: Runtime>(app: &AppHandle<R>) {
    let Some(demo) = app.try_state::<Demo>() else {
        return;
    };
    let world = demo.world.lock().ok().and_then(|mut w| w.take());
    if let Some(world) = world.and_then(|w| Arc::try_unwrap(w).ok()) {
        tauri::async_runtime::block_on(world.shutdown());
    }
}
