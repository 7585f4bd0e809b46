// Mock commands for archiving, exporting and importing channels.

import type {
  ExportContents,
  ExportReport,
  ExportRequest,
  ImportReport,
  ImportRequest,
  Progress,
} from '../types';
import { record } from './audit';
import { fail, type Handler, type MockState } from './backend';
import { chosenFile } from './files';
import { label, specOf } from './labels';
import { member, OFFICERS } from './people';
import { messageAt, total, type MockChannel } from './world';

interface ProgressSink {
  onmessage?: (p: Progress) => void;
}

async function tick(sink: unknown, steps: number): Promise<void> {
  const s = sink as ProgressSink;
  for (let done = 1; done <= steps; done++) {
    await new Promise((r) => setTimeout(r, 40));
    s.onmessage?.({ done, total: steps });
  }
}

/** As the desk: the messages sent in the range, the EXERCISE ones, their highest label. */
function contents(state: MockState, ch: MockChannel, fromMs?: number, toMs?: number): ExportContents {
  const out: ExportContents = { messages: 0, exercise: 0 };
  for (let i = 0; i < total(ch); i++) {
    const m = messageAt(ch, state.profile, i);
    if (m.sentAtMs < (fromMs ?? 0) || m.sentAtMs > (toMs ?? Infinity)) continue;
    out.messages++;
    if (m.exercise) out.exercise++;
    if (!out.highest || m.label.rank > out.highest.rank) out.highest = m.label;
  }
  return out;
}

export function archiveCommands(state: MockState): Record<string, Handler> {
  return {
    export_contents: (a) => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      return contents(state, ch, a.fromMs as number | undefined, a.toMs as number | undefined);
    },
    archive_channel: (a) => {
      state.requireUnlocked();
      const ch = state.channel(a.channelId as string);
      if (ch.archived) fail('forbidden', 'This channel is already archived.');
      ch.archived = true;
      record(state, 'channel.archived', {}, 'archived: read-only on this desktop', ch.id);
      state.emit('channels', null);
      return null;
    },
    export_archive: async (a): Promise<ExportReport> => {
      state.requireUnlocked();
      const r = a.request as ExportRequest;
      const ch = state.channel(r.channelId);
      const target = chosenFile(state, r.file, 'saveArchive', 'file');
      if (r.protection.kind === 'passphrase' && r.protection.passphrase.length < 8)
        fail('invalidInput', 'The passphrase is too short.', 'passphrase');
      const recipient =
        r.protection.kind === 'certificate'
          ? chosenFile(state, r.protection.certificateFile, 'openCertificate', 'certificateFile')
          : undefined;
      if (recipient && !/\.(pem|crt)$/i.test(recipient.name))
        fail('certificate', 'This file is not a PEM certificate.');
      await tick(a.onProgress, 10);
      target.consume();
      recipient?.consume();
      const written = contents(state, ch, r.fromMs, r.toMs);
      record(
        state,
        'archive.exported',
        { messages: written.messages, protection: r.protection.kind },
        `${written.messages} messages, protected by a ${r.protection.kind}`,
        ch.id,
      );
      return {
        messages: written.messages,
        bytes: written.messages * 812,
        path: `/home/officer/${target.name}`,
        contents: written,
      };
    },
    import_archive: async (a): Promise<ImportReport> => {
      state.requireUnlocked();
      const r = a.request as ImportRequest;
      const source = chosenFile(state, r.file, 'openArchive', 'file');
      if (!r.passphrase) fail('invalidInput', 'This archive is protected by a passphrase.', 'passphrase');
      if (r.passphrase === 'wrong passphrase')
        fail('wrongPassphrase', 'The passphrase does not open this archive.');
      await tick(a.onProgress, 8);
      source.consume();
      const id = `ab${Date.now().toString(16)}`;
      const ch: MockChannel = {
        id,
        name: source.name,
        ceiling: label(2),
        defaultLabel: label(0),
        exercise: false,
        archived: true,
        active: true,
        origin: 'imported',
        members: [member(state.profile, 'member', true), member(OFFICERS.rossi, 'admin')],
        policy: {
          name: 'Imported archive',
          ceiling: specOf(label(2)),
          defaultLabel: specOf(label(0)),
          admins: [OFFICERS.rossi.officerId],
          onRemoval: 'keep',
        },
        generated: 80,
        script: [],
        extra: [],
        overrides: new Map([
          [12, { verification: 'tampered' as const }],
          [40, { verification: 'tampered' as const }],
        ]),
        readUpTo: 79,
      };
      state.channels.push(ch);
      record(
        state,
        'archive.imported',
        { archive: id, exportedBy: 'GBR-1187', messages: 80, verified: 78, unverified: 0, tampered: 2 },
        `archive ${id} exported by GBR-1187: 80 messages, 78 verified, 0 unverified, 2 tampered`,
        id,
      );
      state.emit('channels', null);
      return { channelId: id, messages: 80, verified: 78, tampered: 2 };
    },
  };
}
