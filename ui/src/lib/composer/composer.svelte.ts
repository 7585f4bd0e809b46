// What the composer does, apart from its markup: the draft, the label choice,
// validation and sending. Kept out of Composer.svelte so it can be tested
// without rendering, and so the component reads as the form it shows.

import { call, toAppError } from '../api/api';
import type { AppError, ComposerOptions, LabelView, MessageView, Precedence } from '../api/types';
import { appErrorText } from '../i18n/errors';
import { t } from '../i18n/i18n.svelte';
import { drafts, type Draft } from './drafts';
import { sendErrorKey } from './errors';

/** The picker's value for "Other marking…" (a test id documents it). */
export const OTHER = '__other__';

/**
 * What the component hands over. Getters, so the state follows the props;
 * `replyTo` has a setter too, as the parent binds it (Reply sets it, sending
 * or cancelling clears it).
 */
export interface ComposerProps {
  readonly channelId: string;
  replyTo: MessageView | undefined;
  /** The profile is an exercise profile: new messages start as EXERCISE. */
  readonly exerciseDefault: boolean;
  onsent(message: MessageView): void;
}

export class ComposerState {
  readonly #props: ComposerProps;

  options = $state<ComposerOptions | undefined>();
  body = $state('');
  /** The picker's value: a marking the channel offers, or `OTHER`. */
  choice = $state('');
  otherMarking = $state('');
  /** For a typed marking, what the desk says it releases to beyond the members. */
  typedBeyond = $state<string[]>([]);
  precedence = $state<Precedence>('routine');
  exercise = $state(false);
  /**
   * Set when a send needs the user to choose EXERCISE or real-world
   * explicitly; the form asks, and `confirmExercise` sends with the answer.
   */
  askingExercise = $state(false);
  sending = $state(false);
  error = $state<AppError | undefined>();
  /** The message box; sending and replying put the caret back in it. */
  textarea = $state<HTMLTextAreaElement | undefined>();
  /**
   * The marking a kept draft had chosen, when the channel no longer offers it
   * and the default took its place: the form says so.
   */
  draftLabelGone = $state<string | undefined>();
  /** The draft this composer started from, until its label is restored. */
  #draft: Draft | undefined;

  constructor(props: ComposerProps) {
    this.#props = props;
    // Read once: a draft and the expected EXERCISE status seed the form, later edits are the user's.
    const draft = drafts.get(props.channelId);
    this.#draft = draft;
    this.body = draft?.body ?? '';
    this.otherMarking = draft?.otherMarking ?? '';
    this.precedence = draft?.precedence ?? 'routine';
    this.exercise = props.replyTo ? props.replyTo.exercise : (draft?.exercise ?? props.exerciseDefault);
  }

  /** The profile is an exercise profile. */
  get exerciseProfile(): boolean {
    return this.#props.exerciseDefault;
  }

  get replyTo(): MessageView | undefined {
    return this.#props.replyTo;
  }

  set replyTo(message: MessageView | undefined) {
    this.#props.replyTo = message;
  }

  /**
   * What a message is unless the user deliberately changes it: a reply takes
   * its source's EXERCISE or real-world status, a new message the profile's.
   */
  expectedExercise = $derived(this.replyTo ? this.replyTo.exercise : this.exerciseProfile);

  /**
   * Sending as it stands needs an explicit choice: the status differs from
   * what is expected, or real-world traffic leaves an exercise profile.
   */
  exerciseNeedsChoice = $derived(
    this.exercise !== this.expectedExercise || (this.exerciseProfile && !this.exercise),
  );

  /** The i18n key of the sentence saying why EXERCISE asks for a choice, if it does. */
  exerciseNote = $derived.by((): string | undefined => {
    if (!this.exerciseNeedsChoice) return undefined;
    if (this.exercise === this.expectedExercise) return 'composer.exerciseOffProfile';
    const against = this.replyTo ? 'Reply' : 'Profile';
    return `composer.exercise${this.exercise ? 'On' : 'Off'}${against}`;
  });

  /** A reply keeps its source's label, so the picker is locked. */
  locked = $derived(this.replyTo !== undefined);

  /** The free-text marking field is shown. */
  typingMarking = $derived(this.choice === OTHER && !this.locked);

  /** The label shown as a chip next to the picker (none for a typed marking). */
  selectedLabel = $derived<LabelView | undefined>(
    this.replyTo
      ? this.replyTo.label
      : this.options?.labels.find((c) => c.label.marking === this.choice)?.label,
  );

  /** What is sent as the marking: typed text goes as is, the core decides. */
  marking = $derived(
    this.replyTo
      ? this.replyTo.label.marking
      : this.choice === OTHER
        ? this.otherMarking.trim()
        : this.choice,
  );

  /**
   * The nations the chosen marking releases to that no member of the channel
   * holds (allowed; the form says so before sending). For a reply, those of
   * the offered label with its source's marking, when there is one.
   */
  releasedBeyond = $derived<string[]>(
    this.typingMarking
      ? this.typedBeyond
      : (this.options?.labels.find((c) => c.label.marking === this.marking)?.beyondMembers ?? []),
  );

  /** Asks the desk about the typed marking (the form calls it as the user types). */
  async checkTypedMarking(): Promise<void> {
    const marking = this.otherMarking.trim();
    if (!marking) {
      this.typedBeyond = [];
      return;
    }
    try {
      const nations = await call('released_beyond_members', { channelId: this.#props.channelId, marking });
      // The answer counts only if the text is still what was asked about.
      if (this.otherMarking.trim() === marking) this.typedBeyond = nations;
    } catch {
      this.typedBeyond = [];
    }
  }

  /** The channel takes no messages (archived, left, imported); `options.reason` says why. */
  cannotSend = $derived(this.options !== undefined && !this.options.canSend);

  asksAcknowledgement = $derived(this.precedence === 'flash' || this.precedence === 'immediate');

  errorText = $derived.by(() => {
    const error = this.error;
    if (!error) return '';
    if (error.kind === 'invalidInput' && error.field === 'body') return t('composer.errors.emptyBody');
    if (error.kind === 'invalidInput' && error.field === 'marking') return t('composer.errors.emptyMarking');
    return t(sendErrorKey(error.kind));
  });

  /**
   * What exactly was refused, under the plain-words line: the desk's coded
   * refusal in the UI's language (the level, the caveat, the nations…), or
   * its English words when it has no code this version knows.
   */
  errorDetail = $derived.by(() => {
    const error = this.error;
    if (!error || (!error.message && !error.code)) return '';
    return appErrorText(error);
  });

  /**
   * Asks what the channel allows and preselects the draft's label when it is
   * still offered, else the channel's default (saying so for a draft).
   */
  async load(): Promise<void> {
    try {
      const options = await call('composer_options', { channelId: this.#props.channelId });
      this.options = options;
      const fallback =
        options.labels.find((c) => c.isDefault)?.label.marking ?? options.labels[0]?.label.marking ?? OTHER;
      const kept = this.#draft?.choice;
      this.#draft = undefined;
      if (kept === OTHER || (kept && options.labels.some((c) => c.label.marking === kept))) {
        this.choice = kept;
        if (kept === OTHER) void this.checkTypedMarking();
      } else {
        this.choice = fallback;
        if (kept) this.draftLabelGone = kept;
      }
    } catch (e) {
      this.error = toAppError(e);
    }
  }

  /** The user chose a label: a note about the draft's former one no longer applies. */
  labelChosen(): void {
    this.draftLabelGone = undefined;
  }

  /** Keeps the unsent text, with its label, precedence and EXERCISE status, for when the user comes back. */
  keepDraft(): void {
    if (!this.body.trim()) {
      drafts.delete(this.#props.channelId);
      return;
    }
    drafts.set(this.#props.channelId, {
      body: this.body,
      // Not loaded yet: what the draft had chosen still stands.
      choice: this.options ? this.choice : (this.#draft?.choice ?? this.choice),
      otherMarking: this.otherMarking,
      precedence: this.precedence,
      exercise: this.exercise,
    });
  }

  /** Resets EXERCISE to what is expected (a new reply target, a sent message). */
  resetExercise(): void {
    this.exercise = this.expectedExercise;
    this.askingExercise = false;
  }

  /** The user's explicit answer to `askingExercise`: sends with it. */
  async confirmExercise(exercise: boolean): Promise<void> {
    this.exercise = exercise;
    await this.send(true);
  }

  /** The user dropped the send that asked about EXERCISE; nothing changes but the caret, back in the text. */
  dismissExercise(): void {
    this.askingExercise = false;
    this.focus();
  }

  /** Sends; `deliberate` when the user has just chosen EXERCISE or real-world explicitly. */
  async send(deliberate = false): Promise<void> {
    if (this.sending || !this.options?.canSend) return;
    if (!this.body.trim()) {
      this.error = { kind: 'invalidInput', message: '', field: 'body' };
      return;
    }
    if (!this.marking) {
      this.error = { kind: 'invalidInput', message: '', field: 'marking' };
      return;
    }
    if (this.exerciseNeedsChoice && !deliberate) {
      this.askingExercise = true;
      return;
    }
    this.askingExercise = false;
    this.sending = true;
    this.error = undefined;
    try {
      const m = await call('send_message', {
        request: {
          channelId: this.#props.channelId,
          body: this.body,
          marking: this.marking,
          precedence: this.precedence,
          exercise: this.exercise,
          replyTo: this.replyTo?.id,
        },
      });
      this.body = '';
      this.replyTo = undefined;
      this.precedence = 'routine';
      this.draftLabelGone = undefined;
      // A deliberate change was for that message only.
      this.resetExercise();
      this.#props.onsent(m);
      this.focus();
    } catch (e) {
      this.error = toAppError(e);
    } finally {
      this.sending = false;
    }
  }

  /** Ctrl+Enter sends; Escape drops the reply (not the text). */
  keydown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.send();
    } else if (e.key === 'Escape' && this.replyTo) {
      e.preventDefault();
      this.cancelReply();
    }
  };

  cancelReply(): void {
    this.replyTo = undefined;
    this.resetExercise();
  }

  /** A new reply target: the error about the previous draft no longer applies. */
  replyStarted(): void {
    this.error = undefined;
    this.resetExercise();
    this.focus();
  }

  focus(): void {
    this.textarea?.focus();
  }
}
