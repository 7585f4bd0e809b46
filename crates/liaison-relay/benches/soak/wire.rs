//! The raw relay protocol over TLS WebSocket, as the soak's clients speak
//! it: connecting and logging in, sending a request frame, waiting for one
//! answer. Every failure is returned as a [`Failure`] for the tally: the
//! soak counts what the relay does wrong instead of stopping at it.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use liaison_core::{CertificateChain, DeviceKey};
use liaison_proto::Bytes;
use liaison_proto::relay::{
    CHANNEL_BINDING_LABEL, CHANNEL_BINDING_LEN, ClientFrame, ErrorCode, Push, Request, Response,
    ResponseResult, ServerFrame, auth_signing_input,
};
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

pub(crate) type Ws = WebSocketStream<TlsStream<TcpStream>>;

/// How long any answer may take before the soak counts it as lost.
pub(crate) const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
/// tungstenite zeroes its whole read buffer (128 KiB by default) before
/// every read; frames here are small, and a thousand clients share two
/// cores with the relay.
const READ_BUFFER: usize = 8 * 1024;

/// Where the relay is and how to trust it.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) addr: SocketAddr,
    pub(crate) connector: TlsConnector,
}

impl Endpoint {
    pub(crate) fn url(&self) -> String {
        format!("wss://{}/v1/ws", self.addr)
    }
}

/// Something that went wrong talking to the relay.
#[derive(Debug)]
pub(crate) enum Failure {
    /// TCP, TLS or WebSocket failed, or the connection closed early.
    Io(String),
    /// The relay answered with an error code.
    Refused(ErrorCode, String),
    /// No answer in time.
    Timeout(&'static str),
    /// An answer the protocol does not allow here.
    Unexpected(String),
}

impl Failure {
    /// A short name to count failures by.
    pub(crate) fn kind(&self) -> String {
        match self {
            Self::Io(_) => "io".to_owned(),
            Self::Refused(code, _) => format!("refused {code:?}"),
            Self::Timeout(what) => format!("timeout {what}"),
            Self::Unexpected(_) => "unexpected answer".to_owned(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(detail) => write!(f, "i/o: {detail}"),
            Self::Refused(code, message) => write!(f, "refused {code:?}: {message}"),
            Self::Timeout(what) => write!(f, "no answer to {what} within {ANSWER_TIMEOUT:?}"),
            Self::Unexpected(detail) => write!(f, "unexpected: {detail}"),
        }
    }
}

fn io(error: impl fmt::Display) -> Failure {
    Failure::Io(error.to_string())
}

/// A request frame as text.
pub(crate) fn frame(id: u64, request: Request) -> String {
    // Our own request types always serialise.
    serde_json::to_string(&ClientFrame { id, request }).unwrap_or_default()
}

/// Writes one request frame.
pub(crate) async fn send(ws: &mut Ws, id: u64, request: Request) -> Result<(), Failure> {
    ws.send(Message::Text(frame(id, request).into()))
        .await
        .map_err(io)
}

/// The next frame from the relay; `Ok(None)` when it closed the connection.
pub(crate) async fn next_frame(ws: &mut Ws) -> Result<Option<ServerFrame>, Failure> {
    loop {
        match ws.next().await {
            None | Some(Ok(Message::Close(_))) => return Ok(None),
            Some(Ok(Message::Text(text))) => {
                return serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|e| Failure::Unexpected(format!("frame that does not parse: {e}")));
            }
            Some(Ok(_)) => continue,
            Some(Err(error)) => return Err(io(error)),
        }
    }
}

/// Sends a request and waits for its answer. Only used before subscribing,
/// so any push in between is a Welcome notice, which the caller does not
/// need (the Welcome waits at the relay).
pub(crate) async fn call(
    ws: &mut Ws,
    id: u64,
    request: Request,
    what: &'static str,
) -> Result<Response, Failure> {
    send(ws, id, request).await?;
    let answer = async {
        loop {
            match next_frame(ws).await? {
                None => return Err(Failure::Io(format!("closed while waiting for {what}"))),
                Some(ServerFrame::Response { id: got, result }) if got == id => {
                    return match result {
                        ResponseResult::Ok(response) => Ok(response),
                        ResponseResult::Error(e) => Err(Failure::Refused(e.code, e.message)),
                    };
                }
                Some(ServerFrame::Response { id: got, result }) => {
                    return Err(Failure::Unexpected(format!(
                        "answer {got} while waiting for {id} ({what}): {result:?}"
                    )));
                }
                Some(ServerFrame::Push { .. }) => continue,
            }
        }
    };
    tokio::time::timeout(ANSWER_TIMEOUT, answer)
        .await
        .map_err(|_| Failure::Timeout(what))?
}

/// Opens a TLS WebSocket to the relay and authenticates; the connection's
/// next request id is 2.
pub(crate) async fn login(
    endpoint: &Endpoint,
    chain: &CertificateChain,
    key: &DeviceKey,
) -> Result<Ws, Failure> {
    let connect = async {
        let tcp = TcpStream::connect(endpoint.addr).await.map_err(io)?;
        tcp.set_nodelay(true).map_err(io)?;
        let name = ServerName::IpAddress(endpoint.addr.ip().into());
        let tls = endpoint.connector.connect(name, tcp).await.map_err(io)?;
        let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
        let (ws, _) =
            tokio_tungstenite::client_async_with_config(endpoint.url(), tls, Some(config))
                .await
                .map_err(io)?;
        Ok::<_, Failure>(ws)
    };
    let mut ws = tokio::time::timeout(ANSWER_TIMEOUT, connect)
        .await
        .map_err(|_| Failure::Timeout("connect"))??;
    let challenge = tokio::time::timeout(ANSWER_TIMEOUT, next_frame(&mut ws))
        .await
        .map_err(|_| Failure::Timeout("challenge"))??;
    let Some(ServerFrame::Push {
        push: Push::Challenge { nonce, relay, .. },
    }) = challenge
    else {
        return Err(Failure::Unexpected(format!(
            "expected a challenge, got {challenge:?}"
        )));
    };
    let binding = ws
        .get_ref()
        .get_ref()
        .1
        .export_keying_material([0u8; CHANNEL_BINDING_LEN], CHANNEL_BINDING_LABEL, None)
        .map_err(io)?;
    let signature = key.sign(&auth_signing_input(&nonce.0, &binding, &relay));
    let authenticate = Request::Authenticate {
        certificate_chain: chain
            .certificates()
            .iter()
            .map(|c| Bytes(c.clone()))
            .collect(),
        signature: Bytes(signature.to_vec()),
    };
    match call(&mut ws, 1, authenticate, "authenticate").await? {
        Response::Authenticated { .. } => Ok(ws),
        other => Err(Failure::Unexpected(format!("login answered {other:?}"))),
    }
}
