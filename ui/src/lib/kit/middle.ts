// Long object names shortened in the middle instead of at the end. Vendor files such as
// `company-name-2-2020-09-21-10-00-01-<uuid>.gz` share a long start, so cutting the end made
// twelve hourly files look alike. Here the start, the date/time part, the end of the stem and
// the extension stay; a UUID tail is given up before the date is.

const ELLIPSIS = '…'

// One or two trailing segments: `.gz`, `.csv.gz`, `.jsonl.gz`, `.snappy.parquet`.
const EXTENSION = /(?:\.[A-Za-z][A-Za-z0-9]{0,9})?\.[A-Za-z0-9]{1,10}$/

// A date (2020-09-21, 2020_09_21, 20200921) with an optional time after it
// (-10-00-01, T10:00:01, _1000); not glued to other digits.
const DATE_TIME =
  /(^|[^0-9])((?:19|20)\d{2}([-_./]?)(?:0[1-9]|1[0-2])\3(?:0[1-9]|[12]\d|3[01])(?:[-_T ]?[0-2]\d(?:[-_:.]?[0-5]\d){0,2}Z?)?)(?![0-9])/

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/

/** The name split into its stem and its extension (with the dot); a folder keeps its `/`. */
export function splitExtension(name: string): { stem: string; ext: string } {
  if (name.endsWith('/')) return { stem: name.slice(0, -1), ext: '/' }
  const m = EXTENSION.exec(name)
  if (!m || m.index === 0) return { stem: name, ext: '' }
  return { stem: name.slice(0, m.index), ext: m[0] }
}

/** Where the date/time part of a stem is, if it has one. */
export function findDateTime(stem: string): { start: number; end: number } | null {
  const m = DATE_TIME.exec(stem)
  if (!m) return null
  const start = m.index + m[1].length
  return { start, end: start + m[2].length }
}

const head = (s: string, n: number) => (n >= s.length ? s : s.slice(0, Math.max(0, n - 1)) + ELLIPSIS)
const tail = (s: string, n: number) => (n >= s.length ? s : ELLIPSIS + (n > 1 ? s.slice(-(n - 1)) : ''))

/** Keeps the start and the end of `s` within `budget` characters, cut in the middle. */
function cutMiddle(s: string, budget: number): string {
  if (s.length <= budget) return s
  const keep = Math.max(budget - 1, 2)
  const front = Math.ceil(keep * 0.55)
  return s.slice(0, front) + ELLIPSIS + s.slice(s.length - (keep - front))
}

/** The date's components (year, month, day, hour, minute, second) as [start, end) pairs. */
function components(date: string): [number, number][] {
  const out: [number, number][] = []
  for (const m of date.matchAll(/\d+/g)) {
    const widths = m[0].length === 8 ? [4, 2, 2] : m[0].length === 6 || m[0].length === 4 ? (out.length === 0 ? [m[0].length] : [2, 2, 2].slice(0, m[0].length / 2)) : [m[0].length]
    let at = m.index
    for (const w of widths) out.push([at, (at += w)])
  }
  return out
}

/**
 * The most telling run of the date's components within `room` characters: day and hour
 * first (they tell neighbouring daily and hourly files apart), then minute, month, second
 * and year. `toEnd` says whether the run reaches the date's end.
 */
function dateCore(date: string, room: number): { text: string; start: number; toEnd: boolean } {
  const parts = components(date)
  const n = parts.length
  if (n < 3) return { text: date.slice(-room), start: date.length - room, toEnd: true }
  let lo = 2
  let hi = Math.min(3, n - 1)
  const width = (a: number, b: number) => parts[b][1] - parts[a][0]
  if (width(lo, hi) > room) lo = hi
  for (const right of [true, false, true, false]) {
    if (right && hi + 1 < n && width(lo, hi + 1) <= room) hi++
    else if (!right && lo > 0 && width(lo - 1, hi) <= room) lo--
  }
  return { text: date.slice(parts[lo][0], parts[hi][1]), start: parts[lo][0], toEnd: hi === n - 1 && parts[hi][1] === date.length }
}

/** A stem with a date: the head's start, the whole date, the end of what follows. */
function aroundDate(stem: string, start: number, end: number, budget: number): string {
  const before = stem.slice(0, start)
  const date = stem.slice(start, end)
  const after = stem.slice(end)
  const afterMin = Math.min(after.length, 1)
  const beforeMin = Math.min(before.length, 4)
  if (beforeMin + date.length + afterMin > budget) {
    // Not even the whole date fits: a little of the start, then the date's telling part.
    const lead = Math.min(before.length, 3)
    const core = dateCore(date, Math.max(budget - lead - 2, 2))
    const open = before.length === 0 && core.start === 0 ? '' : before.slice(0, lead) + ELLIPSIS
    return open + core.text + (core.toEnd ? tail(after, afterMin) : ELLIPSIS)
  }
  let spare = budget - beforeMin - date.length - afterMin
  // First the last few characters of the stem, then share the rest between both sides.
  let afterN = afterMin + Math.min(spare, Math.max(0, Math.min(after.length, 5) - afterMin))
  spare -= afterN - afterMin
  let beforeN = beforeMin + Math.min(Math.ceil(spare / 2), before.length - beforeMin)
  spare -= beforeN - beforeMin
  const grow = Math.min(spare, after.length - afterN)
  afterN += grow
  spare -= grow
  beforeN = Math.min(before.length, beforeN + spare)
  return head(before, beforeN) + date + tail(after, afterN)
}

/** A stem with a UUID and no date: the cut goes inside the UUID when that is enough. */
function insideUuid(stem: string, start: number, end: number, budget: number): string | null {
  const drop = stem.length - (budget - 1)
  const span = end - start
  if (drop > span - 4) return null
  const cutAt = start + Math.floor((span - drop) / 2)
  return stem.slice(0, cutAt) + ELLIPSIS + stem.slice(cutAt + drop)
}

/**
 * `name` in at most `maxChars` characters (when it can be done without cutting the
 * extension), with `…` where parts were left out. The extension is never cut.
 */
export function shortenMiddle(name: string, maxChars: number): string {
  if (name.length <= maxChars) return name
  const { stem, ext } = splitExtension(name)
  const budget = Math.max(maxChars - ext.length, 2)
  if (stem.length <= budget) return stem + ext
  const date = findDateTime(stem)
  if (date) return aroundDate(stem, date.start, date.end, budget) + ext
  const uuid = UUID.exec(stem)
  const inside = uuid ? insideUuid(stem, uuid.index, uuid.index + uuid[0].length, budget) : null
  return (inside ?? cutMiddle(stem, budget)) + ext
}
