// Keyboard shortcuts, in one table: the global handler matches against it and
// the help dialog lists it.

export type ShortcutId =
  | 'switcher'
  | 'nextChannel'
  | 'previousChannel'
  | 'lock'
  | 'search'
  | 'help'
  | 'settings'
  | 'focusComposer'
  | 'focusThread';

export interface Shortcut {
  id: ShortcutId;
  /** Shown in the help dialog. */
  keys: string;
  match: (e: KeyboardEvent) => boolean;
}

const ctrl = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.altKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'switcher', keys: 'Ctrl+K', match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'k' },
  { id: 'previousChannel', keys: 'Alt+↑', match: (e) => e.altKey && !e.ctrlKey && e.key === 'ArrowUp' },
  { id: 'nextChannel', keys: 'Alt+↓', match: (e) => e.altKey && !e.ctrlKey && e.key === 'ArrowDown' },
  { id: 'search', keys: 'Ctrl+F', match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'f' },
  {
    id: 'focusComposer',
    keys: 'Ctrl+M',
    match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'm',
  },
  { id: 'focusThread', keys: 'Ctrl+T', match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 't' },
  { id: 'lock', keys: 'Ctrl+L', match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'l' },
  { id: 'settings', keys: 'Ctrl+,', match: (e) => ctrl(e) && e.key === ',' },
  { id: 'help', keys: 'F1 / Ctrl+/', match: (e) => e.key === 'F1' || (ctrl(e) && e.key === '/') },
];

/** Shortcuts handled inside a view, listed in help only. */
export const LOCAL_SHORTCUTS: readonly { keys: string; id: string }[] = [
  { keys: 'Ctrl+Enter', id: 'send' },
  { keys: 'Esc', id: 'cancel' },
  { keys: '↑ / ↓', id: 'rows' },
  { keys: 'PgUp / PgDn', id: 'pages' },
  { keys: 'Ctrl+Home / Ctrl+End', id: 'ends' },
  { keys: 'R / Enter', id: 'reply' },
  { keys: 'A', id: 'acknowledge' },
];

export function matchShortcut(e: KeyboardEvent): ShortcutId | undefined {
  return SHORTCUTS.find((s) => s.match(e))?.id;
}
