//! Starting and stopping the relay: open the database, load the
//! certificate, serve HTTPS and WebSocket until the shutdown signal, then
//! close every connection and return.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::config::Config;
use crate::error::StartError;
use crate::http::app;
use crate::listener::ConnectionInfo;
use crate::listener::TlsListener;
use crate::relay::Relay;
use crate::state::AppState;
use crate::storage::{SqliteStorage, Storage};
use crate::tls;
use crate::trust::load_trust;

/// A relay ready to serve: database open, certificate loaded, socket bound.
pub struct Server {
    relay: Arc<Relay>,
    listener: TcpListener,
    tls: tls::Tls,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("name", &self.relay.config.name)
            .field("certificate", &self.tls.certificate_path)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Opens (or creates) the relay's database in the data directory and
    /// its TLS certificate, ready to serve on `listener`.
    pub fn bind(listener: TcpListener, config: Config) -> Result<Self, StartError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartError::Io {
            what: format!("creating {}", config.data_dir.display()),
            source,
        })?;
        let storage: Arc<dyn Storage> = Arc::new(SqliteStorage::open_with(
            &config.database_path(),
            config.durable_commits,
        )?);
        let tls = tls::load(&config)?;
        Ok(Self {
            relay: Arc::new(Relay::new(storage, config)),
            listener,
            tls,
        })
    }

    /// The address the relay listens on.
    pub fn local_addr(&self) -> Result<SocketAddr, StartError> {
        self.listener.local_addr().map_err(|source| StartError::Io {
            what: "reading the listening address".to_owned(),
            source,
        })
    }

    /// The certificate (PEM) the relay presents: what clients pin when it
    /// is the development certificate.
    pub fn certificate_path(&self) -> &Path {
        &self.tls.certificate_path
    }

    /// Serves until `shutdown` completes, then stops accepting, closes
    /// every WebSocket with a close frame, and returns once they are gone.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        let addr = self.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let (tracker, mut sessions_done) = mpsc::channel::<()>(1);
        let state = AppState {
            relay: self.relay.clone(),
            shutdown: stopped.clone(),
            tracker,
        };
        let retention = tokio::spawn(retention(self.relay.clone(), stopped.clone()));
        let reloader = tokio::spawn(reload_trust(self.relay.clone(), stopped.clone()));
        let listener =
            TlsListener::new(self.listener, self.tls.config.clone()).map_err(|source| {
                StartError::Io {
                    what: "starting the TLS listener".to_owned(),
                    source,
                }
            })?;
        tracing::info!(%addr, name = %self.relay.config.name, "relay listening (wss://{addr}/v1/ws)");
        let mut stop_serving = stopped.clone();
        let served = axum::serve(
            listener,
            app(state).into_make_service_with_connect_info::<ConnectionInfo>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stop_serving.wait_for(|stopping| *stopping).await;
        })
        .into_future();
        let signal = async move {
            shutdown.await;
            tracing::info!("shutting down");
            let _ = stop.send(true);
            stop
        };
        let (served, stop) = tokio::join!(served, signal);
        // Every session holds a tracker clone; recv() ends when all are gone.
        let _ = sessions_done.recv().await;
        drop(stop);
        let _ = retention.await;
        let _ = reloader.await;
        tracing::info!("relay stopped");
        served.map_err(|source| StartError::Io {
            what: "serving".to_owned(),
            source,
        })
    }
}

/// Deletes ciphertext past retention now and then, until shutdown.
/// Reads the trusted authorities and CRLs again every
/// `trust_reload_interval`, from `trust_files`; a change takes effect at
/// once, and connections of officers it no longer admits are closed. A file
/// that fails to read keeps the trust in force (and is logged).
async fn reload_trust(relay: Arc<Relay>, mut stopped: watch::Receiver<bool>) {
    if relay.config.trust_files.is_empty() {
        return;
    }
    let mut tick = tokio::time::interval(relay.config.trust_reload_interval);
    tick.tick().await;
    loop {
        tokio::select! {
            _ = stopped.wait_for(|stopping| *stopping) => return,
            _ = tick.tick() => {}
        }
        let files = relay.config.trust_files.clone();
        match tokio::task::spawn_blocking(move || load_trust(&files)).await {
            Ok(Ok(trust)) => {
                if relay.set_trust(trust) {
                    tracing::info!("trusted authorities or revocation lists changed");
                }
            }
            Ok(Err(error)) => {
                tracing::error!(%error, "reading the trusted authorities failed; keeping the previous")
            }
            Err(error) => tracing::error!(%error, "trust reload task failed"),
        }
    }
}

async fn retention(relay: Arc<Relay>, mut stopped: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(relay.config.retention_interval);
    loop {
        tokio::select! {
            _ = stopped.wait_for(|stopping| *stopping) => return,
            _ = tick.tick() => {}
        }
        let relay = relay.clone();
        match tokio::task::spawn_blocking(move || relay.expire()).await {
            Ok(Ok(expired)) if expired.messages > 0 || expired.directory > 0 => {
                tracing::info!(
                    messages = expired.messages,
                    directory = expired.directory,
                    "retention pass"
                );
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::error!(%error, "retention pass failed"),
            Err(error) => tracing::error!(%error, "retention task failed"),
        }
    }
}

/// Binds the relay to `listener` with `config` and serves until `shutdown`
/// completes. Tests pass a listener bound to `127.0.0.1:0`.
pub async fn launch(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    Server::bind(listener, config)?.run(shutdown).await
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// Where the development certificate of a data directory is.
pub fn development_certificate(data_dir: &Path) -> PathBuf {
    data_dir.join(tls::DEV_CERTIFICATE_FILE)
}
