// The global stylesheet's promises that a test can hold it to: a disabled
// control looks disabled (greyed, not-allowed cursor, no hover effect) and
// its text stays readable (WCAG 4.5:1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import css from './app.css?raw';
import { contrastRatio } from './lib/labels/colour';

let style: HTMLStyleElement;

beforeAll(() => {
  style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
});
afterAll(() => style.remove());

/**
 * The stylesheet's rules as written: selectors and declarations with their
 * `!important` (jsdom's CSSOM drops it from values that use `var()`).
 */
function rules(): { selectors: string[]; declarations: Map<string, string> }[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  return [...text.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map(([, head, body]) => ({
    selectors: head.split(',').map((s) => s.trim()),
    declarations: new Map(
      body
        .split(';')
        .map((d) => d.split(':'))
        .filter((d) => d.length >= 2)
        .map(([name, ...value]) => [name.trim(), value.join(':').trim()]),
    ),
  }));
}

/** A value with `var(--x)` resolved against `:root` (and `!important` dropped). */
function resolve(value: string): string {
  const root = rules().find((r) => r.selectors[0] === ':root');
  return value
    .replace(/!important$/, '')
    .trim()
    .replace(/var\((--[\w-]+)\)/g, (_, name: string) => root?.declarations.get(name) ?? '');
}

const CONTROLS = ['button', 'input', 'select', 'textarea'];

describe('disabled controls', () => {
  it('show a not-allowed cursor and keep full opacity, whatever their class', () => {
    document.body.innerHTML = `
      <button class="primary" disabled>Send</button><button class="danger" disabled>Remove</button>
      <select disabled><option>NATO SECRET</option></select><input disabled value="x" /><textarea disabled></textarea>
      <label id="check"><input type="checkbox" disabled /> EXERCISE</label>
      <button id="enabled">Save</button>`;
    for (const el of document.querySelectorAll<HTMLElement>(':disabled')) {
      expect(getComputedStyle(el).cursor, el.outerHTML).toBe('not-allowed');
    }
    for (const el of document.querySelectorAll<HTMLElement>('button:disabled, select:disabled'))
      expect(getComputedStyle(el).opacity).toBe('1');
    expect(getComputedStyle(document.getElementById('check') as HTMLElement).cursor).toBe('not-allowed');
    expect(getComputedStyle(document.getElementById('enabled') as HTMLElement).cursor).toBe('pointer');
    document.body.innerHTML = '';
  });

  it('are greyed over any class or hover colour, with text still at 4.5:1 but less than enabled', () => {
    const rule = rules().find((r) => r.selectors.includes('button:disabled') && r.declarations.has('color'));
    expect(rule).toBeDefined();
    for (const c of CONTROLS) expect(rule?.selectors).toContain(`${c}:disabled`);
    for (const p of ['background-color', 'border-color', 'color', 'box-shadow'])
      expect(rule?.declarations.get(p), p).toMatch(/!important$/);
    expect(rule?.declarations.get('opacity')).toBe('1');

    const text = resolve(rule?.declarations.get('color') ?? '');
    const background = resolve(rule?.declarations.get('background-color') ?? '');
    const enabled = contrastRatio(resolve('var(--text)'), resolve('var(--surface)'));
    expect(contrastRatio(text, background)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(text, background)).toBeLessThan(enabled / 2);
    // Greyed: its background is not a usable control's white.
    expect(contrastRatio(background, resolve('var(--surface)'))).toBeGreaterThan(1.1);
  });

  it('get no hover effect from the global rules', () => {
    const hovers = rules().flatMap((r) =>
      r.selectors.filter((s) => s.includes(':hover') && CONTROLS.some((c) => s.startsWith(c))),
    );
    expect(hovers.length).toBeGreaterThan(0);
    for (const s of hovers) expect(s).toContain(':not(:disabled)');
  });
});
