//! Opening one authenticated connection: TCP, TLS 1.3, WebSocket, the
//! relay's challenge, and the answer signed by the device key.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use liaison_identity::{CertificateChain, DeviceKey};
use liaison_proto::Bytes;
use liaison_proto::relay::{
    CHANNEL_BINDING_LABEL, CHANNEL_BINDING_LEN, ClientFrame, Push, Request, Response,
    ResponseResult, ServerFrame, auth_signing_input,
};
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::http::Uri;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use super::error::from_relay;
use crate::delivery::DeliveryError;

/// An authenticated WebSocket to the relay.
pub(super) type Socket = WebSocketStream<TlsStream<TcpStream>>;

/// Largest frame accepted from the relay.
const MAX_INBOUND_FRAME: usize = 16 * 1024 * 1024;

fn unavailable(what: &str, error: impl std::fmt::Display) -> DeliveryError {
    DeliveryError::Unavailable(format!("{what}: {error}"))
}

/// Host and port of a `wss://` URL.
pub(super) fn endpoint(url: &str) -> Result<(String, u16), DeliveryError> {
    let uri: Uri = url
        .parse()
        .map_err(|_| DeliveryError::Malformed(format!("relay URL {url:?}")))?;
    if uri.scheme_str() != Some("wss") {
        return Err(DeliveryError::Malformed(
            "the relay URL must start with wss://".into(),
        ));
    }
    let host = uri
        .host()
        .ok_or_else(|| DeliveryError::Malformed("the relay URL has no host".into()))?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    Ok((host, uri.port_u16().unwrap_or(443)))
}

/// Connects and authenticates; returns the socket and the officer id the
/// relay confirmed.
pub(super) async fn open(
    url: &str,
    tls: &TlsConnector,
    chain: &CertificateChain,
    key: &DeviceKey,
    timeout: Duration,
) -> Result<(Socket, String), DeliveryError> {
    tokio::time::timeout(timeout, open_inner(url, tls, chain, key))
        .await
        .map_err(|_| DeliveryError::Unavailable("connecting to the relay timed out".into()))?
}

async fn open_inner(
    url: &str,
    tls: &TlsConnector,
    chain: &CertificateChain,
    key: &DeviceKey,
) -> Result<(Socket, String), DeliveryError> {
    let (host, port) = endpoint(url)?;
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| unavailable("connecting", e))?;
    let name = ServerName::try_from(host.clone())
        .map_err(|_| DeliveryError::Malformed(format!("relay host {host:?}")))?;
    let stream = tls
        .connect(name, tcp)
        .await
        .map_err(|e| unavailable("TLS", e))?;
    let mut binding = [0u8; CHANNEL_BINDING_LEN];
    stream
        .get_ref()
        .1
        .export_keying_material(&mut binding, CHANNEL_BINDING_LABEL, None)
        .map_err(|e| unavailable("TLS channel binding", e))?;
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_INBOUND_FRAME))
        .max_frame_size(Some(MAX_INBOUND_FRAME));
    let (mut socket, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(config))
        .await
        .map_err(|e| unavailable("WebSocket", e))?;
    let (nonce, relay) = match next_frame(&mut socket).await? {
        ServerFrame::Push {
            push: Push::Challenge { nonce, relay, .. },
        } => (nonce, relay),
        _ => {
            return Err(DeliveryError::Malformed(
                "the relay did not open with a challenge".into(),
            ));
        }
    };
    let signature = key.sign(&auth_signing_input(&nonce.0, &binding, &relay));
    let frame = ClientFrame {
        id: 1,
        request: Request::Authenticate {
            certificate_chain: chain.certificates().iter().cloned().map(Bytes).collect(),
            signature: Bytes(signature.to_vec()),
        },
    };
    send(&mut socket, &frame).await?;
    loop {
        match next_frame(&mut socket).await? {
            ServerFrame::Response { result, .. } => {
                return match result {
                    ResponseResult::Ok(Response::Authenticated { officer_id }) => {
                        Ok((socket, officer_id))
                    }
                    ResponseResult::Ok(_) => Err(DeliveryError::Malformed(
                        "unexpected answer to authentication".into(),
                    )),
                    ResponseResult::Error(error) => Err(from_relay(error, None)),
                };
            }
            ServerFrame::Push { .. } => continue,
        }
    }
}

/// Sends one request frame.
pub(super) async fn send(socket: &mut Socket, frame: &ClientFrame) -> Result<(), DeliveryError> {
    let text = serde_json::to_string(frame)
        .map_err(|e| DeliveryError::Malformed(format!("encoding a request: {e}")))?;
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|e| unavailable("sending", e))
}

/// The next frame from the relay, skipping control frames.
pub(super) async fn next_frame(socket: &mut Socket) -> Result<ServerFrame, DeliveryError> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => {
                return serde_json::from_str(text.as_str())
                    .map_err(|_| DeliveryError::Malformed("a frame from the relay".into()));
            }
            Some(Ok(Message::Close(_))) | None => {
                return Err(DeliveryError::Unavailable(
                    "the relay closed the connection".into(),
                ));
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(unavailable("reading", e)),
        }
    }
}
