// The Streams filter: `field=value` (exact), `/regex/` (any field), or plain text (any
// field, the partition key or the kind), with kind chips on top. Pure, so it is tested alone.
import type { DecodedRecord, RecordKind } from '../../ipc'

export type Matcher = (r: DecodedRecord) => boolean

export function parseFilter(text: string): { match: Matcher; error: string | null } {
  const t = text.trim()
  if (t === '') return { match: () => true, error: null }
  const regex = /^\/(.*)\/([imsu]*)$/.exec(t)
  if (regex) {
    try {
      const re = new RegExp(regex[1], regex[2])
      return { match: (r) => r.fields.some((f) => re.test(f.value)) || re.test(r.partitionKey ?? ''), error: null }
    } catch (e) {
      return { match: () => true, error: e instanceof Error ? e.message : 'not a regular expression' }
    }
  }
  const eq = /^([^=\s]+)\s*=\s*(.*)$/.exec(t)
  if (eq) {
    const [, name, value] = eq
    return { match: (r) => (name === 'partitionKey' ? r.partitionKey === value : r.fields.some((f) => f.name === name && f.value === value)), error: null }
  }
  const needle = t.toLowerCase()
  return {
    match: (r) =>
      r.kind.toLowerCase().includes(needle) ||
      (r.partitionKey ?? '').toLowerCase().includes(needle) ||
      r.fields.some((f) => f.value.toLowerCase().includes(needle)),
    error: null,
  }
}

export function applyFilter(records: DecodedRecord[], text: string, kinds: Set<RecordKind>): DecodedRecord[] {
  const { match } = parseFilter(text)
  return records.filter((r) => (kinds.size === 0 || kinds.has(r.kind)) && match(r))
}

/** Columns for a set of records: the fields in first-seen order, at most `max`. */
export function columnsOf(records: DecodedRecord[], max = 8): string[] {
  const names: string[] = []
  for (const r of records) {
    for (const f of r.fields) {
      if (!names.includes(f.name)) names.push(f.name)
      if (names.length >= max) return names
    }
    if (records.length > 2000 && names.length > 0 && r === records[200]) break
  }
  return names
}
