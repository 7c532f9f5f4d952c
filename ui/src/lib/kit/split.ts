// Arithmetic and memory for a two-pane split (Splitter.svelte): the share of the first
// pane, kept between its bounds, and remembered in localStorage where there is one (not in
// every test environment, and storage can refuse).

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/**
 * The first pane's share bounds for a container `width` pixels wide (less the splitter), so
 * that neither pane gets narrower than its minimum. Without a width (not laid out yet, or
 * jsdom) the bounds are 0.2 and 0.8.
 */
export function shareBounds(width: number, minFirst: number, minSecond: number): { min: number; max: number } {
  if (!(width > 0)) return { min: 0.2, max: 0.8 }
  const min = clamp(minFirst / width, 0.1, 0.9)
  const max = clamp(1 - minSecond / width, 0.1, 0.9)
  if (min <= max) return { min, max }
  const mid = (min + max) / 2
  return { min: mid, max: mid }
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The remembered share under `key`, or `fallback` when none (or nothing sensible) is kept. */
export function loadShare(key: string, fallback: number): number {
  try {
    const raw = storage()?.getItem(key)
    const value = raw == null ? NaN : Number(raw)
    return Number.isFinite(value) && value > 0 && value < 1 ? value : fallback
  } catch {
    return fallback
  }
}

export function saveShare(key: string, value: number): void {
  try {
    storage()?.setItem(key, value.toFixed(3))
  } catch {
    // Full or refused storage: the split is simply not remembered.
  }
}
