//! A TLS listener for `axum::serve`: TCP connections are accepted and
//! their handshakes run concurrently in the background, so a slow or
//! silent client cannot hold up the others.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use liaison_proto::relay::{CHANNEL_BINDING_LABEL, CHANNEL_BINDING_LEN};
use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How long a client has to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshaken connections waiting for the server to take them.
const BACKLOG: usize = 64;

/// Accepts TLS connections.
pub(crate) struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Starts accepting on `tcp`. The accept task ends when this listener
    /// is dropped.
    pub(crate) fn new(tcp: TcpListener, config: Arc<ServerConfig>) -> std::io::Result<Self> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(BACKLOG);
        let acceptor = TlsAcceptor::from(config);
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = tx.closed() => return,
                    accepted = tcp.accept() => accepted,
                };
                let (stream, peer) = match accepted {
                    Ok(pair) => pair,
                    Err(error) => {
                        // Usually out of file descriptors: wait a moment.
                        tracing::warn!(%error, "accepting a TCP connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                // Pushes are small frames that must leave at once: with
                // Nagle's algorithm one waits for the acknowledgement of
                // the previous, which a client that only listens delays
                // by up to 40 ms.
                let _ = stream.set_nodelay(true);
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = tx.send((tls, peer)).await;
                        }
                        Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self { ready, local })
    }
}

/// What the relay knows of one connection before any request: the peer's
/// address, and the TLS channel binding (RFC 9266 `tls-exporter`), keying
/// material exported from its TLS session, which the client's login
/// signature must cover.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ConnectionInfo {
    /// The TLS session's channel binding, if it could be exported.
    pub(crate) binding: Option<[u8; CHANNEL_BINDING_LEN]>,
    /// The peer's address.
    pub(crate) peer: SocketAddr,
}

impl Connected<IncomingStream<'_, TlsListener>> for ConnectionInfo {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        let exported = stream.io().get_ref().1.export_keying_material(
            [0u8; CHANNEL_BINDING_LEN],
            CHANNEL_BINDING_LABEL,
            None,
        );
        Self {
            binding: exported.ok(),
            peer: *stream.remote_addr(),
        }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accept task only ends when this listener is dropped.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
