// What the new-channel screen does, apart from its markup: the form's
// choices (label policies, pinned authorities, the directory's officers),
// the request as it would be sent, its check and the creation. The desk
// checks the whole request at once and answers with structured issues; any
// that refuses it is shown and nothing is created. Warnings (an admin the
// ceiling does not admit) are shown once, and the next press creates anyway.

import { call } from '../api/api';
import { errorText } from '../i18n/errors';
import type {
  AnchorChoice,
  LabelPolicyView,
  LabelSpec,
  NewChannelRequest,
  OfficerView,
  OnRemoval,
  PolicyIssue,
} from '../api/types';
import { t } from '../i18n/i18n.svelte';
import { canonical, lowest } from '../labels/spec';
import { refuses } from './issues';

export interface NewChannelProps {
  /** The channel was created: its id and name. */
  oncreated(id: string, name: string): void;
}

export class NewChannelState {
  readonly #props: NewChannelProps;

  policies = $state<LabelPolicyView[]>([]);
  anchorChoices = $state<AnchorChoice[]>([]);
  /** The relay's directory, or undefined when it cannot be reached. */
  officers = $state<OfficerView[] | undefined>();

  name = $state('');
  policyId = $state('');
  ceiling = $state<LabelSpec>({ policyId: '', classification: '', tags: [] });
  defaultLabel = $state<LabelSpec>({ policyId: '', classification: '', tags: [] });
  admins = $state<string[]>([]);
  anchors = $state<string[]>([]);
  /** Days to keep messages; null for no limit (a number field's value). */
  retention = $state<number | null>(null);
  onRemoval = $state<OnRemoval>('keep');

  /** What the last check found, for the request it was made for. */
  issues = $state<PolicyIssue[]>([]);
  #checked = $state('');
  error = $state('');
  busy = $state(false);
  loaded = $state(false);

  constructor(props: NewChannelProps) {
    this.#props = props;
  }

  labelPolicy = $derived(this.policies.find((p) => p.id === this.policyId));

  /** The request as it would be sent. */
  request(): NewChannelRequest {
    return {
      name: this.name,
      ceiling: this.ceiling,
      defaultLabel: this.defaultLabel,
      admins: this.admins,
      anchors: this.anchors,
      retentionDays: this.retention ?? undefined,
      onRemoval: this.onRemoval,
    };
  }

  /** What identifies a request: the same labels in any tag order are the same request. */
  static key(r: NewChannelRequest): string {
    return JSON.stringify({ ...r, ceiling: canonical(r.ceiling), defaultLabel: canonical(r.defaultLabel) });
  }

  #current = $derived(NewChannelState.key(this.request()));
  /** The issues shown describe the form as it is. */
  fresh = $derived(this.#checked === this.#current);
  refusals = $derived(this.fresh ? this.issues.filter(refuses) : []);
  warnings = $derived(this.fresh ? this.issues.filter((i) => !refuses(i)) : []);

  async load(): Promise<void> {
    try {
      const [policies, form] = await Promise.all([call('label_policies'), call('new_channel_form')]);
      this.policies = policies;
      this.anchorChoices = form.anchors;
      // Every pinned authority is trusted to start with; the user's own is needed.
      this.anchors = form.anchors.map((a) => a.fingerprint);
      const start = form.suggestedCeiling ?? (policies[0] ? lowest(policies[0]) : undefined);
      if (start) this.choosePolicy(start.policyId, start);
      this.loaded = true;
    } catch (e) {
      this.error = errorText(e);
    }
    try {
      this.officers = await call('officer_directory');
    } catch {
      this.officers = undefined;
    }
  }

  /** Switches the label policy; both labels start again from `start` or its lowest level. */
  choosePolicy(policyId: string, start?: LabelSpec): void {
    const policy = this.policies.find((p) => p.id === policyId);
    if (!policy) return;
    this.policyId = policyId;
    this.ceiling = start && start.policyId === policyId ? structuredClone(start) : lowest(policy);
    this.defaultLabel = structuredClone($state.snapshot(this.ceiling));
  }

  toggleAdmin(officerId: string, on: boolean): void {
    this.admins = on ? [...this.admins, officerId] : this.admins.filter((a) => a !== officerId);
  }

  toggleAnchor(fingerprint: string, on: boolean): void {
    this.anchors = on ? [...this.anchors, fingerprint] : this.anchors.filter((a) => a !== fingerprint);
  }

  /**
   * Checks the request, then creates the channel when nothing refuses it. A
   * warning not yet shown for this very request is shown first.
   */
  async submit(): Promise<void> {
    const request = this.request();
    if (
      request.retentionDays !== undefined &&
      !(Number.isInteger(request.retentionDays) && request.retentionDays > 0)
    ) {
      this.error = t('policy.badRetention');
      return;
    }
    const shownWarnings = this.fresh && this.warnings.length > 0;
    this.busy = true;
    this.error = '';
    try {
      const issues = await call('check_new_channel', { request });
      const sameWarnings =
        shownWarnings && JSON.stringify(issues.filter((i) => !refuses(i))) === JSON.stringify(this.warnings);
      this.issues = issues;
      this.#checked = NewChannelState.key(request);
      if (issues.some(refuses) || (issues.length && !sameWarnings)) return;
      const id = await call('create_channel', { request });
      this.#props.oncreated(id, request.name.trim());
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }
}
