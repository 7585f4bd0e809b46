import { afterEach, describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import type { MockBackend } from '../api/mock/backend';
import type { LabelSpec, PolicyView } from '../api/types';
import { setLanguage } from '../i18n/i18n.svelte';
import { toggled } from '../labels/spec';
import { installMock } from '../testing/fixtures';
import { issueText } from './issues';
import { PolicyEditorState } from './policy.svelte';

// The mock's liaison cell: NATO SECRET//REL TO DEU, FRA, GBR, default NATO
// RESTRICTED to the same, retention 365 days; the user is admin. Dropping
// DEU removes OTL Katrin Vogel.
const CELL = 'a1c3e5f70001';
const REL = 'Releasable To';

afterEach(() => setLanguage('en'));

async function loaded(onchanged = vi.fn()): Promise<PolicyEditorState> {
  const editor = new PolicyEditorState({ channelId: CELL, onchanged });
  await editor.load();
  return editor;
}

/** Watches the backend; the returned function lists the commands called so far. */
function watchCommands(b: MockBackend): () => string[] {
  const spy = vi.spyOn(b, 'invoke');
  return () => spy.mock.calls.map(([name]) => name);
}

const without = (spec: LabelSpec, nation: string) => toggled(spec, REL, nation, false);

describe('PolicyEditorState', () => {
  it('reads the policy and the label policies into an editable draft', async () => {
    installMock();
    const editor = await loaded();
    expect(editor.labelPolicy?.id).toBe('NATO');
    expect(editor.draft?.ceiling.classification).toBe('NATO SECRET');
    expect(editor.markingOf(editor.draft!.ceiling)).toBe('NATO SECRET//REL TO DEU, FRA, GBR');
    expect(editor.markingOf(editor.draft!.defaultLabel)).toBe('NATO RESTRICTED//REL TO DEU, FRA, GBR');
    expect(editor.retention).toBe(365);
    expect(editor.preview).toBeUndefined();
    expect(editor.canApply).toBe(false);
  });

  it('refuses a retention that is not a whole positive number of days, without asking', async () => {
    const commands = watchCommands(installMock());
    const editor = await loaded();
    for (const bad of [0, -3, 1.5, NaN]) {
      editor.error = '';
      editor.retention = bad;
      await editor.runPreview();
      expect(editor.error).toBe('Retention must be a whole number of days, or empty.');
    }
    expect(commands()).not.toContain('preview_policy');
    expect(editor.preview).toBeUndefined();
  });

  it('previews who a tightening removes, with the reason in words, and goes stale when edited', async () => {
    installMock();
    const editor = await loaded();
    editor.draft!.ceiling = without(editor.draft!.ceiling, 'DEU');
    await editor.runPreview();
    expect(editor.preview?.removed.map((r) => r.member.displayName)).toEqual(['OTL Katrin Vogel']);
    expect(editor.preview?.removed[0].reason).toEqual({ code: 'notReleasable', nationality: 'DEU' });
    expect(editor.fresh).toBe(true);
    expect(editor.removing).toBe(1);
    expect(editor.canApply).toBe(true);
    expect(editor.fixedDefault).toBeUndefined();

    // Nothing can be applied while a preview is on its way.
    const again = editor.runPreview();
    expect(editor.busy).toBe(true);
    expect(editor.canApply).toBe(false);
    await again;
    expect(editor.canApply).toBe(true);

    editor.draft!.ceiling = without(editor.draft!.ceiling, 'FRA');
    expect(editor.stale).toBe(true);
    expect(editor.removing).toBe(0);
    expect(editor.canApply).toBe(false);

    // Back to exactly what was previewed: the preview holds again.
    editor.draft!.ceiling = toggled(editor.draft!.ceiling, REL, 'FRA', true);
    expect(editor.fresh).toBe(true);
  });

  it('never applies a draft edited since its preview', async () => {
    const commands = watchCommands(installMock());
    const onchanged = vi.fn();
    const editor = await loaded(onchanged);
    editor.draft!.ceiling = without(editor.draft!.ceiling, 'DEU');
    await editor.runPreview();
    editor.draft!.name = 'Renamed after the preview';
    await editor.apply();
    expect(commands()).not.toContain('change_policy');
    expect(onchanged).not.toHaveBeenCalled();
  });

  it('applies a previewed change and says how many were removed', async () => {
    installMock();
    const onchanged = vi.fn();
    const editor = await loaded(onchanged);
    editor.draft!.ceiling = without(editor.draft!.ceiling, 'DEU');
    await editor.runPreview();
    await editor.apply();
    expect(onchanged).toHaveBeenCalledOnce();
    expect(editor.done).toBe('Policy changed; 1 member removed.');
    expect(editor.busy).toBe(false);
    // The editor reads the policy back, as it now stands.
    expect(editor.error).toBe('');
    expect(editor.markingOf(editor.draft!.ceiling)).toBe('NATO SECRET//REL TO FRA, GBR');
    expect(editor.preview).toBeUndefined();
    const members = await call('list_members', { channelId: CELL });
    expect(members.map((m) => m.nationality).sort()).toEqual(['FRA', 'GBR']);
  });

  it('flags a default the new ceiling no longer admits, and sends the change with the proposed one', async () => {
    const b = installMock();
    const spy = vi.spyOn(b, 'invoke');
    const editor = await loaded();
    editor.draft!.ceiling = { ...editor.draft!.ceiling, classification: 'NATO UNCLASSIFIED' };
    await editor.runPreview();
    expect(editor.preview?.allowed).toBe(false);
    expect(editor.canApply).toBe(false);
    expect(editor.refusals.map((i) => i.code)).toEqual(['defaultAboveCeiling']);
    expect(issueText(editor.refusals[0])).toBe(
      'The default marking NATO RESTRICTED//REL TO DEU, FRA, GBR is not within the ceiling ' +
        'NATO UNCLASSIFIED//REL TO DEU, FRA, GBR: NATO RESTRICTED is above NATO UNCLASSIFIED.',
    );
    expect(editor.markingOf(editor.fixedDefault!)).toBe('NATO UNCLASSIFIED//REL TO DEU, FRA, GBR');

    await editor.applyFix();
    expect(editor.markingOf(editor.draft!.defaultLabel)).toBe('NATO UNCLASSIFIED//REL TO DEU, FRA, GBR');
    expect(editor.done).toBe('Default marking set to NATO UNCLASSIFIED//REL TO DEU, FRA, GBR.');
    // Previewed again with the fix: allowed, and applied as previewed.
    expect(editor.fresh).toBe(true);
    expect(editor.canApply).toBe(true);
    await editor.apply();
    const sent = spy.mock.calls
      .filter(([name]) => name === 'change_policy')
      .map(([, a]) => a.policy as PolicyView);
    expect(sent).toHaveLength(1);
    expect(sent[0].defaultLabel.classification).toBe('NATO UNCLASSIFIED');
    const policy = await call('channel_policy', { channelId: CELL });
    expect(policy.defaultLabel.classification).toBe('NATO UNCLASSIFIED');
  });

  it('warns about an admin the change removes, in the user’s language', async () => {
    installMock();
    const editor = await loaded();
    editor.toggleAdmin('DEU-2203', true);
    editor.draft!.ceiling = without(editor.draft!.ceiling, 'DEU');
    await editor.runPreview();
    expect(editor.preview?.allowed).toBe(true);
    expect(editor.warnings).toEqual([
      {
        code: 'adminNotAdmitted',
        officerId: 'DEU-2203',
        displayName: 'OTL Katrin Vogel',
        reason: { code: 'notReleasable', nationality: 'DEU' },
      },
    ]);
    expect(issueText(editor.warnings[0])).toBe(
      'OTL Katrin Vogel is an admin, and this policy does not admit them: the ceiling is not releasable to DEU.',
    );
    await setLanguage('fr');
    expect(issueText(editor.warnings[0])).toBe(
      "OTL Katrin Vogel est administrateur, et cette politique ne l'admet pas : le plafond n'est pas communicable à DEU.",
    );
  });

  it('refuses a change that would remove the user, and says why', async () => {
    installMock();
    const editor = await loaded();
    editor.draft!.ceiling = without(editor.draft!.ceiling, 'FRA');
    await editor.runPreview();
    expect(editor.preview?.allowed).toBe(false);
    expect(editor.refusals).toEqual([
      { code: 'removesYou', reason: { code: 'notReleasable', nationality: 'FRA' } },
    ]);
    expect(editor.canApply).toBe(false);
  });

  it('toggles an administrator in the draft', async () => {
    installMock();
    const editor = await loaded();
    expect(editor.draft!.admins).toEqual(['FRA-0412', 'GBR-1187']);
    editor.toggleAdmin('DEU-2203', true);
    expect(editor.draft!.admins).toEqual(['FRA-0412', 'GBR-1187', 'DEU-2203']);
    editor.toggleAdmin('GBR-1187', false);
    expect(editor.draft!.admins).toEqual(['FRA-0412', 'DEU-2203']);
  });

  it('says why the policy could not be read', async () => {
    installMock();
    const editor = new PolicyEditorState({ channelId: 'nope', onchanged: vi.fn() });
    await editor.load();
    expect(editor.draft).toBeUndefined();
    expect(editor.error).toBe('This channel does not exist.');
  });
});
