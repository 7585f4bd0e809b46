//! The window's commands. Each is declared once, in `list.rs`: its name,
//! the arguments the window sends and what it resolves with. From that one
//! declaration `window_commands!` makes
//! - the Tauri command (in [`window`]): it opens a tracing span named after
//!   the command and calls the function of the same name in its module
//!   (`session.rs`, `channel.rs`, …), which forwards to `liaison_desk::Desk`;
//!   the compiler checks that function against the declaration;
//! - the invoke handler and [`COMMANDS`] (and, in `build.rs`, the
//!   permissions and the window's capability);
//! - the UI's `Commands` type, `ui/src/lib/api/generated/commands.ts`
//!   ([`contract`]; a test fails when the committed file is stale, and
//!   `cargo xtask contract` rewrites it).

pub(crate) mod admin;
pub(crate) mod archive;
pub(crate) mod channel;
#[cfg(test)]
pub(crate) mod contract;
pub(crate) mod files;
pub(crate) mod session;
pub(crate) mod trust;

use tauri::Runtime;
use tauri::ipc::Invoke;

macro_rules! window_commands {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident :: $command:ident (
            $(& $window:ident ,)?
            $($argument:ident : $type:ty),* $(,)?
        ) -> $result:ty;
    )*) => {
        /// Every command name: the invoke handler's, and the application's
        /// permission manifest's and the window's capability's (`build.rs`).
        pub const COMMANDS: &[&str] = &[$(stringify!($command)),*];

        /// The Tauri commands, one per entry of `list.rs`.
        pub(crate) mod window {
            use liaison_desk::views::*;
            use liaison_desk::{
                AcceptInvitationRequest, AppError, AuditRequest, ExerciseProfileRequest,
                ExportArchiveRequest,
                FilePurpose, FileToken, ImportArchiveRequest, ImportProfileRequest,
                NewChannelRequest, SearchRequest, SendRequest, Settings,
            };
            use tauri::ipc::Channel;
            use tauri::{Runtime, State, WebviewWindow};
            use tracing::Instrument as _;

            use crate::state::DeskState;

            $(
                $(#[doc = $doc])*
                // Every command takes the window, so that the runtime is
                // known; only those declared with `&window` use it.
                #[allow(unused_variables)]
                #[tauri::command]
                pub(crate) async fn $command<R: Runtime>(
                    window: WebviewWindow<R>,
                    state: State<'_, DeskState>,
                    $($argument: $type),*
                ) -> Result<$result, AppError> {
                    let span = tracing::info_span!("command", command = stringify!($command));
                    super::$module::$command(
                        $({ let _ = stringify!($window); &window },)?
                        state.inner(),
                        $($argument),*
                    )
                    .instrument(span)
                    .await
                }
            )*
        }

        /// The invoke handler: every command of `list.rs`, and no other.
        pub(crate) fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(window::$command),*]
        }

        /// Every command as the UI's contract declares it.
        #[cfg(test)]
        pub(crate) fn declarations() -> Vec<contract::Command> {
            use contract::{ChannelShape as _, OptionalShape as _, TypedShape as _};
            use contract::Probe;
            use liaison_desk::views::*;
            use liaison_desk::{
                AcceptInvitationRequest, AuditRequest, ExerciseProfileRequest, ExportArchiveRequest,
                FilePurpose, FileToken, ImportArchiveRequest, ImportProfileRequest,
                NewChannelRequest, SearchRequest, SendRequest, Settings,
            };
            use tauri::ipc::Channel;
            vec![$(contract::Command {
                name: stringify!($command),
                docs: &[$($doc),*],
                arguments: vec![$((
                    stringify!($argument),
                    (&&&Probe::<$type>::new()).shape(),
                )),*],
                result: (&&&Probe::<$result>::new()).shape(),
            }),*]
        }
    };
}

include!("list.rs");
