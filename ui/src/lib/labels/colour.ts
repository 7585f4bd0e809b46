// Text on a banner must stay readable whatever colour the label policy picks:
// choose black or white, whichever contrasts more (WCAG 2 relative luminance).

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Parses "#RRGGBB"; undefined for anything else. */
export function parseHex(colour: string): [number, number, number] | undefined {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) return undefined;
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** WCAG relative luminance of "#RRGGBB" (0 black … 1 white). */
export function luminance(colour: string): number {
  const rgb = parseHex(colour);
  if (!rgb) return 0;
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

/** WCAG contrast ratio between two colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white text for a background, whichever reads better. */
export function textOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

/** A policy colour, or a neutral grey when the backend sent something unexpected. */
export function safeColour(colour: string): string {
  return parseHex(colour) ? colour : '#5f6368';
}
