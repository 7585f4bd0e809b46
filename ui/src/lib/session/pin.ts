// The rules a new PIN must meet, the same as the desk's (`pin.rs`), checked
// here first so the officer reads the reason in their own language.

/** Shortest PIN accepted. */
export const MIN_PIN_LENGTH = 6;

/** Why a new PIN is refused, or undefined when it is acceptable. */
export type PinProblem = 'empty' | 'short' | 'repeated' | 'run';

/** Checks a PIN chosen at onboarding or at the upgrade of an older profile. */
export function pinProblem(pin: string): PinProblem | undefined {
  const chars = [...pin];
  if (chars.length === 0) return 'empty';
  if (chars.length < MIN_PIN_LENGTH) return 'short';
  if (chars.every((c) => c === chars[0])) return 'repeated';
  if (/^[0-9]+$/.test(pin)) {
    const digits = chars.map(Number);
    const steps = (step: number) => digits.every((d, i) => i === 0 || (digits[i - 1] + step) % 10 === d);
    if (steps(1) || steps(9)) return 'run';
  }
  return undefined;
}
