// What the policy editor does, apart from its markup: the draft policy, its
// preview and applying it. A change is previewed first (preview_policy) so
// the user sees who a tightening would remove; Apply only ever sends the
// draft that was previewed, never one edited since.

import { call } from '../api/api';
import { errorText } from '../i18n/errors';
import type { PolicyPreview, PolicyView } from '../api/types';
import { t } from '../i18n/i18n.svelte';

export interface PolicyEditorProps {
  readonly channelId: string;
  /** The policy changed: the panel reloads members and the channel. */
  onchanged(): void;
}

export class PolicyEditorState {
  readonly #props: PolicyEditorProps;

  /** The policy being edited; undefined until it has been read. */
  draft = $state<PolicyView | undefined>();
  /** Nations as typed (comma or space separated), read into the draft on use. */
  relText = $state('');
  /**
   * Days to keep messages; null for no limit. Bound to a number field, which
   * gives a number, or null once emptied: never text.
   */
  retention = $state<number | null>(null);
  preview = $state<PolicyPreview | undefined>();
  /** The draft the preview was made for, serialised, to tell when it goes stale. */
  previewed = $state('');
  error = $state('');
  done = $state('');
  busy = $state(false);

  constructor(props: PolicyEditorProps) {
    this.#props = props;
  }

  /** The draft with the text fields read in, as it would be sent. */
  built(): PolicyView | undefined {
    if (!this.draft) return undefined;
    return {
      ...this.draft,
      releasableTo: this.relText
        .split(/[\s,]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
      retentionDays: this.retention ?? undefined,
    };
  }

  #current = $derived(JSON.stringify(this.built() ?? null));

  /** The preview describes the draft on screen. */
  fresh = $derived(this.preview !== undefined && this.previewed === this.#current);

  /** The draft was edited after its preview: a new preview is needed. */
  stale = $derived(this.preview !== undefined && !this.fresh);

  canApply = $derived(!this.busy && this.fresh && this.preview?.allowed === true);

  /** How many members applying would remove (0 unless the preview is fresh). */
  removing = $derived(this.fresh ? (this.preview?.removed.length ?? 0) : 0);

  async load(): Promise<void> {
    try {
      const p = await call('channel_policy', { channelId: this.#props.channelId });
      this.draft = { ...p, admins: [...p.admins], releasableTo: [...p.releasableTo] };
      this.relText = p.releasableTo.join(', ');
      this.retention = p.retentionDays ?? null;
      this.preview = undefined;
    } catch (e) {
      this.error = errorText(e);
    }
  }

  async runPreview(): Promise<void> {
    const policy = this.built();
    if (!policy) return;
    if (
      policy.retentionDays !== undefined &&
      !(Number.isInteger(policy.retentionDays) && policy.retentionDays > 0)
    ) {
      this.error = t('policy.badRetention');
      return;
    }
    this.busy = true;
    this.error = '';
    this.done = '';
    try {
      this.preview = await call('preview_policy', { channelId: this.#props.channelId, policy });
      this.previewed = JSON.stringify(policy);
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  async apply(): Promise<void> {
    const policy = this.built();
    if (!policy || !this.fresh || !this.preview?.allowed) return;
    this.busy = true;
    this.error = '';
    try {
      await call('change_policy', { channelId: this.#props.channelId, policy });
      this.done = t('policy.applied', { count: this.preview.removed.length });
      this.#props.onchanged();
      await this.load();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  toggleAdmin(officerId: string, on: boolean): void {
    if (!this.draft) return;
    this.draft.admins = on
      ? [...this.draft.admins, officerId]
      : this.draft.admins.filter((a) => a !== officerId);
  }
}
