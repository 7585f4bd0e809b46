// An in-memory backend implementing the shell contract, for component tests
// and for working on the UI in a plain browser (`npm run dev`). It is never
// loaded inside the desktop app (see `connect` in api.ts).

import type { Backend } from '../backend';
import type {
  AppError,
  AppStatus,
  AuditEntry,
  AuditRequest,
  ConnectionState,
  Events,
  ProfileView,
  Progress,
  Settings,
} from '../types';
import { auditLog, record, seedAudit } from './audit';
import { DEFAULT_PROFILE } from './people';
import { pinProblem } from '../../session/pin';
import { adminCommands } from './admin';
import { deliver as deliverMessage, messagingCommands } from './messaging';
import { seedWorld, type MockChannel } from './world';
import { archiveCommands } from './archive';
import { chosenFile, fileCommands, type FileAnswer, type GrantedFile } from './files';
import { addAnchor, invite, seedTrust, trustCommands, type MockTrust } from './trust';

export interface MockOptions {
  /** Where the mock starts. */
  phase?: AppStatus['phase'];
  /** Passphrase of the existing profile (phase 'locked'). */
  passphrase?: string;
  /** Protection of the existing profile (default: passphrase). */
  protection?: ProfileView['protection'];
  /** PIN of an existing keyring profile. */
  pin?: string;
  /** An existing keyring profile made before PINs: the next unlock sets one. */
  newPin?: boolean;
  /** When false, keyring protection fails with keyringUnavailable. */
  keyringAvailable?: boolean;
  /** Partner officers write now and then (dev server only). */
  simulate?: boolean;
  /** Delay before each answer, to see loading states. */
  latencyMs?: number;
  connection?: ConnectionState;
}

/** Shared mutable state the command groups work on. */
export interface MockState {
  phase: AppStatus['phase'];
  profile: ProfileView;
  passphrase?: string;
  /** PIN of a keyring profile. */
  pin?: string;
  /** A keyring profile without a PIN yet. */
  newPin: boolean;
  /** Wrong PINs or passphrases in a row; past 4 the mock asks to wait. */
  failures: number;
  /** `still_here` calls received. */
  stillHere: number;
  keyringAvailable: boolean;
  channels: MockChannel[];
  settings: Settings;
  connection: ConnectionState;
  audit: AuditEntry[];
  /** Files chosen in the (mock) native dialogs, by token. */
  files: Map<string, GrantedFile>;
  /** Answers the next file dialogs give, in order (tests queue them). */
  fileAnswers: FileAnswer[];
  /** Pinned authorities, held invitations, anchor notices. */
  trust: MockTrust;
  emit<E extends keyof Events>(event: E, payload: Events[E]): void;
  channel(id: string): MockChannel;
  requireUnlocked(): void;
}

export type Handler = (args: Record<string, unknown>) => unknown;

/** Rejects the way the shell does: with an AppError object. */
export function fail(
  kind: AppError['kind'],
  message: string,
  field?: string,
  retryAfterSeconds?: number,
): never {
  throw { kind, message, field, retryAfterSeconds } satisfies AppError;
}

/** Rejects with a coded refusal, as the desk does for what the window translates. */
export function failCoded(
  kind: AppError['kind'],
  code: string,
  params: Record<string, unknown> | undefined,
  message: string,
  field?: string,
): never {
  throw { kind, code, params, message, field } satisfies AppError;
}

/** The desk's code for a PIN the rules refuse (`pin.rs`). */
function failPin(problem: string): never {
  const code = { empty: 'pinMissing', short: 'pinTooShort', repeated: 'pinRepeated', run: 'pinSequence' }[
    problem
  ];
  failCoded('invalidInput', code ?? 'pinMissing', { min: 6 }, 'The PIN is too simple.', 'pin');
}

export interface MockBackend extends Backend {
  state: MockState;
  /** Delivers a message from a partner, as the relay would. */
  deliver(
    channelId: string,
    message: { body: string; rank?: number; precedence?: 'routine' | 'flash' | 'immediate' },
  ): void;
  /** Holds an invitation to a channel trusting a look-alike authority; returns its id. */
  invite(channelName?: string): number;
  /** A policy change adds an authority to a channel. */
  addAnchor(channelId: string, anchor: { name: string; fingerprint: string }): void;
  /** The desk's idle lock: locks and emits `locked`. */
  idleLock(): void;
}

export function createMockBackend(options: MockOptions = {}): MockBackend {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const state: MockState = {
    phase: options.phase ?? 'noProfile',
    profile: { ...DEFAULT_PROFILE, protection: options.protection ?? DEFAULT_PROFILE.protection },
    passphrase: options.passphrase ?? 'liaison',
    pin: options.pin ?? '482913',
    newPin: options.newPin ?? false,
    failures: 0,
    stillHere: 0,
    keyringAvailable: options.keyringAvailable ?? true,
    channels: [],
    settings: {
      relayUrl: 'wss://relay.example.invalid:8443',
      notificationsShowContent: false,
      idleLockMinutes: 10,
      language: 'en',
    },
    connection: options.connection ?? 'online',
    audit: [],
    files: new Map(),
    fileAnswers: [],
    trust: seedTrust(),
    emit(event, payload) {
      for (const h of listeners.get(event) ?? []) h(payload);
    },
    channel(id) {
      const ch = this.channels.find((c) => c.id === id);
      if (!ch) fail('notFound', 'This channel does not exist.');
      return ch;
    },
    requireUnlocked() {
      if (this.phase === 'noProfile') fail('noProfile', 'No profile yet.');
      if (this.phase === 'locked') fail('locked', 'The profile is locked.');
    },
  };
  if (state.phase !== 'noProfile') {
    state.channels = seedWorld(state.profile);
    seedAudit(state, state.profile);
  }

  const profileCommands = {
    app_status: (): AppStatus => ({
      phase: state.phase,
      demo: true,
      profile: state.phase === 'unlocked' ? state.profile : undefined,
      protection: state.phase === 'locked' ? state.profile.protection : undefined,
      newPin: state.phase === 'locked' && state.newPin,
      language: state.settings.language,
    }),
    create_exercise_profile: (a: Record<string, unknown>): ProfileView => {
      const r = a.request as import('../types').ExerciseProfileRequest;
      if (!r.displayName.trim()) fail('invalidInput', 'A display name is needed.', 'displayName');
      if (!/^[A-Z]{3}$/.test(r.nationality))
        fail('invalidInput', 'Nationality must be a three-letter code.', 'nationality');
      if (r.protection === 'keyring' && !state.keyringAvailable)
        fail('keyringUnavailable', 'No system keyring is available on this computer.');
      if (r.protection === 'keyring' && pinProblem(r.pin ?? '')) failPin(pinProblem(r.pin ?? '') ?? 'empty');
      if (r.protection === 'passphrase' && (r.passphrase ?? '').length < 8)
        fail('invalidInput', 'The passphrase is too short.', 'passphrase');
      state.profile = {
        officerId: r.officerId || 'EX-0001',
        displayName: r.displayName,
        organisation: 'Exercise',
        nationality: r.nationality,
        clearance: r.clearance,
        protection: r.protection,
      };
      state.passphrase = r.passphrase;
      state.pin = r.pin;
      state.channels = seedWorld(state.profile);
      state.trust = seedTrust();
      record(
        state,
        'profile.created',
        { officer: state.profile.officerId },
        `desktop profile for ${state.profile.officerId}`,
      );
      state.phase = 'unlocked';
      return state.profile;
    },
    import_profile: (a: Record<string, unknown>): ProfileView => {
      const r = a.request as import('../types').ImportProfileRequest;
      const certificate = chosenFile(state, r.certificateFile, 'openCertificate', 'certificateFile');
      const key = chosenFile(state, r.keyFile, 'openKey', 'keyFile');
      if (!certificate.name.endsWith('.pem') || !key.name.endsWith('.pem'))
        fail('certificate', 'The certificate or key file is not a PEM file.');
      if (r.protection === 'keyring' && !state.keyringAvailable)
        fail('keyringUnavailable', 'No system keyring is available on this computer.');
      if (r.protection === 'keyring' && pinProblem(r.pin ?? '')) failPin(pinProblem(r.pin ?? '') ?? 'empty');
      certificate.consume();
      key.consume();
      state.profile = { ...DEFAULT_PROFILE, protection: r.protection };
      state.passphrase = r.passphrase;
      state.pin = r.pin;
      state.channels = seedWorld(state.profile);
      state.trust = seedTrust();
      record(
        state,
        'profile.created',
        { officer: state.profile.officerId },
        `desktop profile for ${state.profile.officerId}`,
      );
      state.phase = 'unlocked';
      return state.profile;
    },
    change_secret: (a: Record<string, unknown>): null => {
      state.requireUnlocked();
      const current = typeof a.current === 'string' ? a.current : '';
      const replacement = typeof a.replacement === 'string' ? a.replacement : '';
      if (state.failures > 4) fail('tooManyAttempts', 'Too many wrong attempts.', undefined, 30);
      if (state.profile.protection === 'passphrase') {
        if (current !== state.passphrase) {
          state.failures += 1;
          fail('wrongPassphrase', 'The passphrase is wrong.');
        }
        if (!replacement)
          failCoded('invalidInput', 'passphraseMissing', undefined, 'Enter a passphrase.', 'passphrase');
        state.passphrase = replacement;
      } else {
        if (current !== state.pin) {
          state.failures += 1;
          fail('wrongPin', 'The PIN is not correct.');
        }
        const problem = pinProblem(replacement);
        if (problem) failPin(problem);
        state.pin = replacement;
      }
      state.failures = 0;
      return null;
    },
    unlock: (a: Record<string, unknown>): ProfileView => {
      if (state.phase === 'noProfile') fail('noProfile', 'No profile yet.');
      if (state.phase === 'unlocked') return state.profile;
      const secret = typeof a.secret === 'string' ? a.secret : '';
      if (state.failures > 4) fail('tooManyAttempts', 'Too many wrong attempts.', undefined, 30);
      if (state.profile.protection === 'passphrase') {
        if (secret !== state.passphrase) {
          state.failures += 1;
          fail('wrongPassphrase', 'The passphrase is wrong.');
        }
      } else if (state.newPin) {
        const problem = pinProblem(secret);
        if (problem) failPin(problem);
        state.pin = secret;
        state.newPin = false;
      } else {
        if (!secret) failCoded('invalidInput', 'pinMissing', undefined, 'Enter your PIN.', 'pin');
        if (secret !== state.pin) {
          state.failures += 1;
          fail('wrongPin', 'The PIN is not correct.');
        }
      }
      const failed = state.failures;
      state.failures = 0;
      if (state.channels.length === 0) state.channels = seedWorld(state.profile);
      seedAudit(state, state.profile);
      record(
        state,
        'session.unlocked',
        { failedAttempts: failed },
        failed ? `unlocked after ${failed} wrong attempt(s)` : 'unlocked',
      );
      state.phase = 'unlocked';
      return state.profile;
    },
    lock: (): null => {
      state.requireUnlocked();
      record(state, 'session.locked', { reason: 'officer' }, 'locked by the officer');
      state.files.clear();
      state.phase = 'locked';
      state.emit('locked', null);
      return null;
    },
    still_here: (): null => {
      if (state.phase === 'unlocked') state.stillHere += 1;
      return null;
    },
    connection_state: (): ConnectionState => state.connection,
    settings: (): Settings => ({ ...state.settings }),
    save_settings: (a: Record<string, unknown>): Settings => {
      const s = a.settings as Settings;
      if (!/^wss?:\/\/\S+$/.test(s.relayUrl))
        fail('invalidInput', 'The relay address must start with wss://.', 'relayUrl');
      if (!Number.isInteger(s.idleLockMinutes) || s.idleLockMinutes < 0 || s.idleLockMinutes > 240)
        fail('invalidInput', 'Idle lock must be between 0 and 240 minutes.', 'idleLockMinutes');
      state.settings = { ...s };
      return { ...state.settings };
    },
    audit_log: (a: Record<string, unknown>) => {
      state.requireUnlocked();
      return auditLog(state, a.query as AuditRequest);
    },
  };

  const handlers: Record<string, Handler> = {
    ...profileCommands,
    ...messagingCommands(state),
    ...adminCommands(state),
    ...archiveCommands(state),
    ...fileCommands(state),
    ...trustCommands(state),
  };

  const latency = options.latencyMs ?? 0;
  const backend: MockBackend = {
    state,
    async invoke(name, args) {
      if (latency) await new Promise((r) => setTimeout(r, latency));
      const h = handlers[name];
      if (!h) fail('internal', `Unknown command ${name}.`);
      return structuredClone(await h(overIpc(args)));
    },
    async listen(event, handler) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
    progressChannel(onProgress: (p: Progress) => void) {
      return { onmessage: onProgress };
    },
    deliver(channelId, message) {
      deliverMessage(state, channelId, message);
    },
    invite(channelName) {
      return invite(state, channelName);
    },
    addAnchor(channelId, anchor) {
      addAnchor(state, channelId, anchor);
    },
    idleLock() {
      if (state.phase !== 'unlocked') return;
      record(state, 'session.locked', { reason: 'idle' }, 'locked after the idle delay');
      state.files.clear();
      state.phase = 'locked';
      state.emit('locked', null);
    },
  };

  if (options.simulate) simulate(backend);
  return backend;
}

/**
 * The arguments as the shell receives them: serialised, so it never shares
 * the UI's objects (a stored policy holding a Svelte state proxy could not be
 * cloned into the next answer). Only the progress channel goes by reference,
 * as Tauri passes a `Channel` by id.
 */
function overIpc(args: Record<string, unknown>): Record<string, unknown> {
  const { onProgress, ...rest } = args;
  const copy = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
  if (onProgress !== undefined) copy.onProgress = onProgress;
  return copy;
}

const CHATTER = [
  'Checkpoint 4 reports normal traffic.',
  'Next coordination call at 15:00Z.',
  'Movement of the third serial approved.',
  'Weather update: low cloud over the northern sector this afternoon.',
];

/** Partners write every so often while the dev server runs; once, someone invites the user. */
function simulate(b: MockBackend): void {
  let n = 0;
  setTimeout(() => {
    if (b.state.phase === 'unlocked') b.invite();
  }, 40_000);
  setInterval(() => {
    if (b.state.phase !== 'unlocked') return;
    const ch = b.state.channels[n % 3];
    b.deliver(ch.id, { body: CHATTER[n % CHATTER.length], rank: n % 2 });
    n++;
  }, 25_000);
}
