// The desk's policy issues (a code and its parameters) in the user's
// language: a new channel's check and a policy preview share them.

import type { AdmissionReason, ExcessView, PolicyIssue } from '../api/types';
import { t } from '../i18n/i18n.svelte';

/** Why an officer is not admitted, as a clause ("clearance X is below Y"). */
export function admissionText(reason: AdmissionReason): string {
  return t(`reasons.admission.${reason.code}`, { ...reason });
}

/** Why a label exceeds a limit, as a clause. */
export function excessText(excess: ExcessView): string {
  const lists: Record<string, string> = {};
  if ('values' in excess) lists.values = excess.values.join(', ');
  if ('nations' in excess) lists.nations = excess.nations.join(', ');
  return t(`reasons.excess.${excess.code}`, { ...excess, ...lists });
}

/** An issue as a sentence. */
export function issueText(issue: PolicyIssue): string {
  const key = `reasons.issue.${issue.code}`;
  switch (issue.code) {
    case 'unknownLabelPart':
      return t(key, { label: t(`reasons.field.${issue.field}`), part: issue.part });
    case 'defaultAboveCeiling':
      return t(key, {
        default: issue.default,
        ceiling: issue.ceiling,
        reasons: issue.excess.map(excessText).join('; '),
      });
    case 'selfNotAdmitted':
    case 'removesYou':
      return t(key, { reason: admissionText(issue.reason) });
    case 'adminNotAdmitted':
      return t(key, { name: issue.displayName, reason: admissionText(issue.reason) });
    default:
      return t(key, { ...issue });
  }
}

/** Whether the issue refuses the policy (all but an admin it does not admit: a warning). */
export function refuses(issue: PolicyIssue): boolean {
  return issue.code !== 'adminNotAdmitted';
}

/** The form field an issue is about (as the desk's `PolicyIssue::field`). */
export function issueField(
  issue: PolicyIssue,
): 'name' | 'ceiling' | 'defaultLabel' | 'admins' | 'anchors' | 'channelId' {
  switch (issue.code) {
    case 'notAdmin':
      return 'channelId';
    case 'nameMissing':
    case 'nameTooLong':
      return 'name';
    case 'unknownLabelPart':
      return issue.field;
    case 'mixedLabelPolicies':
    case 'defaultAboveCeiling':
      return 'defaultLabel';
    case 'selfNotAdmitted':
    case 'removesYou':
      return 'ceiling';
    case 'noAdmin':
    case 'badOfficerId':
    case 'tooManyAdmins':
    case 'adminNotAdmitted':
      return 'admins';
    case 'noAnchor':
    case 'unknownAnchor':
    case 'ownAuthorityMissing':
    case 'tooManyAnchors':
      return 'anchors';
  }
}
