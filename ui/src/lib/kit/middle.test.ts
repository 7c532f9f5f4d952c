import { describe, expect, it } from 'vitest'
import { findDateTime, shortenMiddle, splitExtension } from './middle'

const uuids = [
  '3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e6f',
  'a81b0c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d',
  '0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f',
  '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
  'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
  '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a',
  'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f',
  '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
  'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
  '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  'f0e1d2c3-b4a5-4968-8776-655443322110',
  '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
]
const hourly = uuids.map((u, h) => `company-name-2-2020-09-21-${String(10 + h).padStart(2, '0')}-00-01-${u}.gz`)

/** What the list did before: cut at the end. */
const cutEnd = (name: string, max: number) => (name.length <= max ? name : name.slice(0, max - 1) + '…')

describe('shortenMiddle', () => {
  it('leaves names that fit alone', () => {
    expect(shortenMiddle('a.gz', 10)).toBe('a.gz')
    expect(shortenMiddle('year=2020/', 10)).toBe('year=2020/')
  })

  it('splits compound extensions and finds the date and time', () => {
    expect(splitExtension('x-2020.csv.gz')).toEqual({ stem: 'x-2020', ext: '.csv.gz' })
    expect(splitExtension('events.jsonl.gz').ext).toBe('.jsonl.gz')
    expect(splitExtension('part-0.snappy.parquet').ext).toBe('.snappy.parquet')
    expect(splitExtension('.hidden')).toEqual({ stem: '.hidden', ext: '' })
    expect(splitExtension('hour=10/')).toEqual({ stem: 'hour=10', ext: '/' })
    const stem = 'company-name-2-2020-09-21-10-00-01-3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e6f'
    const d = findDateTime(stem)
    expect(d && stem.slice(d.start, d.end)).toBe('2020-09-21-10-00-01')
    const compact = 'dump_20200921T100001_x'
    const c = findDateTime(compact)
    expect(c && compact.slice(c.start, c.end)).toBe('20200921T100001')
    expect(findDateTime('part-00000-c000')).toBeNull()
  })

  it('keeps the start, the date and time, the end of the stem and the extension', () => {
    const name = 'company-name-2-2020-09-21-10-00-01-3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e6f.gz'
    const short = shortenMiddle(name, 40)
    expect(short.length).toBeLessThanOrEqual(40)
    expect(short).toContain('2020-09-21-10-00-01')
    expect(short.startsWith('company-')).toBe(true)
    expect(short.endsWith('5e6f.gz')).toBe(true)
    // The UUID goes before the date does.
    expect(shortenMiddle(name, 30)).toMatch(/^com.*2020-09-21-10-00-01….*\.gz$/)
    // Narrower than the date: its end (the time) stays, from a whole component on.
    expect(shortenMiddle(name, 24)).toBe('com…09-21-10-00-01….gz')
  })

  it('keeps twelve hourly files apart where cutting the end made them one', () => {
    for (const width of [16, 20, 24, 26, 32, 40, 56]) {
      if (width <= 26) expect(new Set(hourly.map((n) => cutEnd(n, width))).size, `cut at the end, ${width}`).toBe(1)
      const shortened = hourly.map((n) => shortenMiddle(n, width))
      expect(new Set(shortened).size, `shortened to ${width}: ${shortened.join(' ')}`).toBe(12)
      for (const s of shortened) {
        expect(s.endsWith('.gz')).toBe(true)
        expect(s.length).toBeLessThanOrEqual(width)
      }
    }
  })

  it('keeps day and hour first when the date does not fit', () => {
    const name = 'company-name-2-2020-09-21-10-00-01-3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e6f.gz'
    expect(shortenMiddle(name, 16)).toBe('com…21-10-00….gz')
    expect(shortenMiddle(name, 13)).toBe('com…21-10….gz')
    const daily = ['21', '22', '23'].map((d) => `machine-metrics-export-2020-09-${d}-00-00-00.csv.gz`)
    expect(new Set(daily.map((n) => shortenMiddle(n, 18))).size).toBe(3)
    expect(shortenMiddle(daily[0], 18)).toBe('mac…21-00….csv.gz')
    expect(shortenMiddle('20200921T100001-3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e6f.jsonl.gz', 20)).toBe('…0921T1000….jsonl.gz')
  })

  it('never cuts the extension', () => {
    const long = 'machine-metrics-export-2020-09-21-10-00-01-3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e6f'
    for (const ext of ['.gz', '.csv.gz', '.jsonl.gz', '.snappy.parquet']) {
      for (const width of [8, 14, 22, 30, 50]) expect(shortenMiddle(long + ext, width).endsWith(ext)).toBe(true)
    }
  })

  it('cuts inside a UUID, or in the middle, when there is no date', () => {
    const spark = 'part-00007-3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e6f-c000.snappy.parquet'
    const s = shortenMiddle(spark, 40)
    expect(s.length).toBe(40)
    expect(s.startsWith('part-00007-3f2c')).toBe(true)
    expect(s.endsWith('-c000.snappy.parquet')).toBe(true)
    const plain = shortenMiddle('a-very-long-report-name-without-any-dates-in-it.csv', 24)
    expect(plain).toMatch(/^a-very-long.*….*in-it\.csv$/)
    expect(plain.length).toBeLessThanOrEqual(24)
  })
})
