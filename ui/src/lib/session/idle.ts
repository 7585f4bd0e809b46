// The idle lock is the desk's: it locks the profile by itself after the
// settings' delay without activity, and the window learns of it through the
// `locked` event. The window only reports that the officer is there: any key,
// pointer or wheel event sends `still_here`, at most once per `everyMs`.

const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** How often, at most, input is reported. */
export const ACTIVITY_EVERY_MS = 15_000;

/** Calls `report` on input, throttled to once per `everyMs`. Returns the stop function. */
export function reportActivity(
  report: () => void,
  target: EventTarget = window,
  everyMs: number = ACTIVITY_EVERY_MS,
): () => void {
  let last = -Infinity;
  const onInput = () => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    report();
  };
  for (const e of EVENTS) target.addEventListener(e, onInput, { passive: true });
  return () => {
    for (const e of EVENTS) target.removeEventListener(e, onInput);
  };
}
