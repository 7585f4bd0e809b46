import { describe, expect, it } from 'vitest';
import { HeightIndex } from './heights';

describe('HeightIndex', () => {
  it('starts from the estimate', () => {
    const h = new HeightIndex(100_000, 50);
    expect(h.total()).toBe(5_000_000);
    expect(h.offsetOf(10)).toBe(500);
    expect(h.indexAt(525)).toBe(10);
  });

  it('moves later offsets when a row is measured', () => {
    const h = new HeightIndex(10, 50);
    expect(h.set(3, 80)).toBe(30);
    expect(h.offsetOf(3)).toBe(150);
    expect(h.offsetOf(4)).toBe(230);
    expect(h.indexAt(229)).toBe(3);
    expect(h.indexAt(230)).toBe(4);
    expect(h.total()).toBe(530);
  });

  it('clamps offsets outside the list to its first and last rows', () => {
    const h = new HeightIndex(5, 10);
    expect(h.indexAt(-20)).toBe(0);
    expect(h.indexAt(10_000)).toBe(4);
  });

  it('keeps measured heights when the list grows', () => {
    const h = new HeightIndex(3, 10);
    h.set(1, 40);
    h.resize(5);
    expect(h.height(1)).toBe(40);
    expect(h.height(4)).toBe(10);
    expect(h.total()).toBe(80);
  });
});
