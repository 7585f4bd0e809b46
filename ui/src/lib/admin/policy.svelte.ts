// What the policy editor does, apart from its markup: the draft policy, its
// preview and applying it. A change is previewed first (preview_policy) so
// the user sees who a tightening would remove and what is wrong with it;
// Apply only ever sends the draft that was previewed, never one edited
// since. Labels are edited in parts with the structured label picker; when
// the preview finds the default label outside the new ceiling, it proposes
// one that fits, which `applyFix` puts in the draft (and previews again) so
// the change is sent with it.

import { call } from '../api/api';
import { errorText } from '../i18n/errors';
import type { LabelPolicyView, LabelSpec, PolicyPreview, PolicyView } from '../api/types';
import { t } from '../i18n/i18n.svelte';
import { canonical, marking } from '../labels/spec';
import { refuses } from './issues';

export interface PolicyEditorProps {
  readonly channelId: string;
  /** The policy changed: the panel reloads members and the channel. */
  onchanged(): void;
}

export class PolicyEditorState {
  readonly #props: PolicyEditorProps;

  /** The policy being edited; undefined until it has been read. */
  draft = $state<PolicyView | undefined>();
  /** The label policies the profile knows (the picker's choices). */
  policies = $state<LabelPolicyView[]>([]);
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

  /** The label policy of the channel's labels. */
  labelPolicy = $derived(this.policies.find((p) => p.id === this.draft?.ceiling.policyId));

  /** The draft with the retention read in, as it would be sent. */
  built(): PolicyView | undefined {
    if (!this.draft) return undefined;
    return { ...this.draft, retentionDays: this.retention ?? undefined };
  }

  /** What identifies a draft: the same labels in any tag order are the same draft. */
  static key(p: PolicyView | undefined): string {
    return JSON.stringify(
      p ? { ...p, ceiling: canonical(p.ceiling), defaultLabel: canonical(p.defaultLabel) } : null,
    );
  }

  #current = $derived(PolicyEditorState.key(this.built()));

  /** The preview describes the draft on screen. */
  fresh = $derived(this.preview !== undefined && this.previewed === this.#current);

  /** The draft was edited after its preview: a new preview is needed. */
  stale = $derived(this.preview !== undefined && !this.fresh);

  canApply = $derived(!this.busy && this.fresh && this.preview?.allowed === true);

  /** How many members applying would remove (0 unless the preview is fresh). */
  removing = $derived(this.fresh ? (this.preview?.removed.length ?? 0) : 0);

  /** What refuses the previewed change, and what only deserves a warning. */
  refusals = $derived(this.fresh ? (this.preview?.issues.filter(refuses) ?? []) : []);
  warnings = $derived(this.fresh ? (this.preview?.issues.filter((i) => !refuses(i)) ?? []) : []);

  /** The default the preview proposes, while it describes the draft. */
  fixedDefault = $derived<LabelSpec | undefined>(this.fresh ? this.preview?.fixedDefault : undefined);

  /** A label's marking under the channel's label policy. */
  markingOf(spec: LabelSpec): string {
    return this.labelPolicy ? marking(this.labelPolicy, spec) : spec.classification;
  }

  async load(): Promise<void> {
    try {
      const [p, policies] = await Promise.all([
        call('channel_policy', { channelId: this.#props.channelId }),
        call('label_policies'),
      ]);
      this.policies = policies;
      this.draft = structuredClone($state.snapshot(p));
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
      this.previewed = PolicyEditorState.key(policy);
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  /** Takes the default label the preview proposed, and previews again. */
  async applyFix(): Promise<void> {
    const fixed = this.fixedDefault;
    if (!this.draft || !fixed) return;
    this.draft.defaultLabel = structuredClone($state.snapshot(fixed));
    await this.runPreview();
    this.done = t('policy.fixed', { marking: this.markingOf(fixed) });
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
