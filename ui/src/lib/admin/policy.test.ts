import { describe, expect, it, vi } from 'vitest';
import { call } from '../api/api';
import type { MockBackend } from '../api/mock/backend';
import { installMock } from '../testing/fixtures';
import { PolicyEditorState } from './policy.svelte';

// The mock's liaison cell: NATO SECRET//REL TO DEU, FRA, GBR, retention 365
// days; the user is admin. Dropping DEU removes OTL Katrin Vogel.
const CELL = 'a1c3e5f70001';

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

describe('PolicyEditorState', () => {
  it('reads the policy into an editable draft', async () => {
    installMock();
    const editor = await loaded();
    expect(editor.draft?.policyId).toBe('NATO');
    expect(editor.relText).toBe('DEU, FRA, GBR');
    expect(editor.retention).toBe(365);
    expect(editor.preview).toBeUndefined();
    expect(editor.canApply).toBe(false);
  });

  it('reads nations typed loosely, and an empty retention as none', async () => {
    installMock();
    const editor = await loaded();
    editor.relText = ' fra  gbr,deu, ';
    editor.retention = null;
    expect(editor.built()).toMatchObject({ releasableTo: ['FRA', 'GBR', 'DEU'], retentionDays: undefined });
    editor.retention = 30;
    expect(editor.built()?.retentionDays).toBe(30);
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

  it('previews who a tightening removes, and goes stale when the draft changes', async () => {
    installMock();
    const editor = await loaded();
    editor.relText = 'FRA, GBR';
    await editor.runPreview();
    expect(editor.preview?.removed.map((r) => r.member.displayName)).toEqual(['OTL Katrin Vogel']);
    expect(editor.fresh).toBe(true);
    expect(editor.stale).toBe(false);
    expect(editor.removing).toBe(1);
    expect(editor.canApply).toBe(true);

    // Nothing can be applied while a preview is on its way.
    const again = editor.runPreview();
    expect(editor.busy).toBe(true);
    expect(editor.canApply).toBe(false);
    await again;
    expect(editor.canApply).toBe(true);

    editor.relText = 'FRA';
    expect(editor.fresh).toBe(false);
    expect(editor.stale).toBe(true);
    expect(editor.removing).toBe(0);
    expect(editor.canApply).toBe(false);

    // Back to exactly what was previewed: the preview holds again.
    editor.relText = 'fra gbr';
    expect(editor.fresh).toBe(true);
  });

  it('never applies a draft edited since its preview', async () => {
    const commands = watchCommands(installMock());
    const onchanged = vi.fn();
    const editor = await loaded(onchanged);
    editor.relText = 'FRA, GBR';
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
    editor.relText = 'FRA, GBR';
    await editor.runPreview();
    await editor.apply();
    expect(onchanged).toHaveBeenCalledOnce();
    expect(editor.done).toBe('Policy changed; 1 member removed.');
    expect(editor.busy).toBe(false);
    // The editor reads the policy back, as it now stands.
    expect(editor.error).toBe('');
    expect(editor.draft?.releasableTo).toEqual(['FRA', 'GBR']);
    expect(editor.relText).toBe('FRA, GBR');
    expect(editor.preview).toBeUndefined();
    const members = await call('list_members', { channelId: CELL });
    expect(members.map((m) => m.nationality).sort()).toEqual(['FRA', 'GBR']);
  });

  it('shows a refused change and does not apply it', async () => {
    const commands = watchCommands(installMock());
    const editor = await loaded();
    editor.draft!.ceiling = 'NOPE';
    await editor.runPreview();
    expect(editor.fresh).toBe(true);
    expect(editor.preview?.allowed).toBe(false);
    expect(editor.preview?.reason).toContain('NOPE');
    expect(editor.canApply).toBe(false);
    await editor.apply();
    expect(commands()).not.toContain('change_policy');
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
