// The events the shell emits, generated from liaison-desk's `DeskEvent`
// (crates/liaison-desk/src/contract.rs). Do not edit: run
// `cargo xtask contract`. `../types.ts` re-exports `Events`.

import type { AcksEvent, ConnectionState, MessagesEvent } from './contract';

/** Events the shell emits (Tauri `listen(name)`), with their payloads. */
export interface Events {
  /** The relay connection changed. */
  connection: ConnectionState;
  /** New messages arrived or were sent in a channel. */
  messages: MessagesEvent;
  /** The channel list changed (joined, removed, policy, unread). */
  channels: null;
  /** Acknowledgements changed for a message of the user's. */
  acks: AcksEvent;
  /** Invitations changed (one held, accepted or declined). */
  invitations: null;
  /** The profile was locked (idle or on demand). */
  locked: null;
}
