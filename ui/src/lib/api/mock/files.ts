// Mock file dialogs. The shell opens native dialogs itself and hands the
// window a token per chosen file; the mock does the same with names only, so
// the UI is exercised exactly as in the app: it never sees or sends a path.
// Tests queue answers in `state.fileAnswers`; otherwise each purpose has a
// plausible default file.

import type { FileChoice, FilePurpose, FileToken } from '../types';
import { fail, type Handler, type MockState } from './backend';

/** One queued dialog answer: a file name, or the dialog closed without a choice. */
export type FileAnswer = { name: string; purpose?: FilePurpose } | 'cancel';

const PURPOSES: readonly FilePurpose[] = ['openCertificate', 'openKey', 'openArchive', 'saveArchive'];

const DEFAULT_NAMES: Record<FilePurpose, string> = {
  openCertificate: 'officer.pem',
  openKey: 'officer-key.pem',
  openArchive: 'cell.liaison',
  saveArchive: 'archive.liaison',
};

export interface GrantedFile {
  purpose: FilePurpose;
  name: string;
}

/**
 * The file behind a token for `purpose`, as the shell checks it: unknown, used
 * or wrong-purpose tokens are refused with `invalidInput` on `field`. Call
 * `consume` once the command succeeded.
 */
export function chosenFile(
  state: MockState,
  token: unknown,
  purpose: FilePurpose,
  field: string,
): { name: string; consume: () => void } {
  const granted = typeof token === 'string' ? state.files.get(token) : undefined;
  if (!granted)
    fail('invalidInput', 'This file was not chosen here or was used already: choose it again.', field);
  if (granted.purpose !== purpose)
    fail(
      'invalidInput',
      `This file was chosen for ${granted.purpose}, not for ${purpose}: choose it again.`,
      field,
    );
  return { name: granted.name, consume: () => state.files.delete(token as FileToken) };
}

export function fileCommands(state: MockState): Record<string, Handler> {
  let next = 0;
  return {
    choose_file: (a): FileChoice => {
      const purpose = a.purpose as FilePurpose;
      if (!PURPOSES.includes(purpose)) fail('invalidInput', 'Unknown kind of file.', 'purpose');
      const answer = state.fileAnswers.shift() ?? { name: DEFAULT_NAMES[purpose] };
      if (answer === 'cancel') return { kind: 'cancelled' };
      if (answer.purpose && answer.purpose !== purpose)
        fail('internal', `The queued answer is for ${answer.purpose}, the window asked for ${purpose}.`);
      const token = `mock-file-${++next}`;
      state.files.set(token, { purpose, name: answer.name });
      return { kind: 'chosen', token, name: answer.name };
    },
  };
}
