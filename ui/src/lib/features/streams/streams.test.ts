import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import StreamsPage from './StreamsPage.svelte'
import { applyFilter, columnsOf, parseFilter } from './filter'
import type { StreamsApi } from './streams.svelte'
import type { DecodedRecord, TailEvent } from '../../ipc'

const ok = <T>(data: T) => Promise.resolve({ status: 'ok' as const, data })

function mm(machine: string, seq: string): DecodedRecord {
  return {
    shard: 'shardId-000000000000',
    sequence: seq,
    subsequence: null,
    partitionKey: machine,
    explicitHashKey: null,
    arrival: `2020-09-21T13:03:3${seq}.000Z`,
    kind: 'machineMetrics',
    fields: [
      { name: 'machineRef', value: machine },
      { name: 'description', value: machine === '1013' ? 'Door open, cycle stopped' : 'Running' },
    ],
    notes: [],
    rawSize: 80,
    rawBase64: btoa(`line ${seq}`),
  }
}
const alarm: DecodedRecord = { ...mm('dma', '9'), kind: 'dataMinerAlarm', fields: [{ name: 'ALARMID', value: '7' }] }

function fakeApi(): StreamsApi {
  return {
    listConnections: vi.fn(() => ok([])),
    streamInfo: vi.fn(() =>
      ok({ name: 'mm', arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/mm', status: 'ACTIVE', mode: null, retentionHours: 24, openShards: 2, encryption: null, consumers: null, shards: [] }),
    ),
    streamRead: vi.fn(() => ok({ records: [mm('1013', '1'), mm('1014', '2'), alarm], shards: [], truncated: false })),
    startTail: vi.fn((_req, onEvent: (e: TailEvent) => void) => {
      onEvent({ job: 7, batch: { records: [mm('1013', '3')], shard: { id: 'shardId-000000000000', records: 1, millisBehindLatest: 0, lastSequence: '3', ended: false } } })
      return new Promise(() => {}) as Promise<{ status: 'ok'; data: number | null }>
    }),
    cancelJob: vi.fn(() => ok(true)),
    streamDecode: vi.fn(() => ok([mm('1013', '5')])),
    streamExport: vi.fn(() => ok('/home/me/records.csv')),
  }
}

describe('filter', () => {
  it('matches text, field=value and /regex/', () => {
    const rows = [mm('1013', '1'), mm('1014', '2'), alarm]
    expect(applyFilter(rows, 'machineRef=1013', new Set()).length).toBe(1)
    expect(applyFilter(rows, '/cycle \\w+/', new Set()).length).toBe(1)
    expect(applyFilter(rows, 'running', new Set()).length).toBe(1)
    expect(applyFilter(rows, '', new Set(['dataMinerAlarm'])).length).toBe(1)
    expect(parseFilter('/[/').error).not.toBeNull()
    expect(columnsOf(rows)).toEqual(['machineRef', 'description', 'ALARMID'])
  })
})

describe('Record detail', () => {
  it('shows a JSON record as a tree', async () => {
    const { default: RecordDetail } = await import('./RecordDetail.svelte')
    const json = '{"DOCUMENT_TYPE":"ALARM","AVGTREND":{"AVG":1.5}}'
    render(RecordDetail, { props: { record: { ...alarm, rawBase64: btoa(json) } } })
    await fireEvent.click(screen.getByRole('button', { name: 'json' }))
    const tree = await screen.findByTestId('record-json')
    expect(tree.textContent).toContain('AVGTREND')
    expect(tree.textContent).toContain('1.5')
  })
})

describe('Streams page', () => {
  it('reads, filters to one machine, opens a record and exports what is shown', async () => {
    const api = fakeApi()
    render(StreamsPage, { props: { api } })
    await fireEvent.input(screen.getByTestId('streams-stream'), { target: { value: 'mm' } })
    await fireEvent.click(screen.getByTestId('streams-read'))
    expect(api.streamRead).toHaveBeenCalledWith({ connection: null, stream: 'mm', start: { kind: 'trimHorizon' }, until: null, limit: 1000, shards: [] })
    expect((await screen.findByTestId('streams-shown')).textContent).toContain('3 of 3')
    await fireEvent.input(screen.getByTestId('streams-filter'), { target: { value: 'machineRef=1013' } })
    expect(screen.getByTestId('streams-shown').textContent).toContain('1 of 3')
    const row = screen.getByTestId('records-table').querySelector('button.rec') as HTMLButtonElement
    await fireEvent.click(row)
    expect((await screen.findByTestId('record-detail')).textContent).toContain('Door open, cycle stopped')
    await fireEvent.click(screen.getByTestId('streams-export-csv'))
    expect(api.streamExport).toHaveBeenCalledWith([expect.objectContaining({ sequence: '1' })], 'csv')
    expect((await screen.findByTestId('streams-exported')).textContent).toContain('1 records')
  })

  it('tails live with pause and stop, and decodes pasted records', async () => {
    const api = fakeApi()
    render(StreamsPage, { props: { api } })
    await fireEvent.input(screen.getByTestId('streams-stream'), { target: { value: 'mm' } })
    await fireEvent.click(screen.getByTestId('streams-tail'))
    expect(api.startTail).toHaveBeenCalledWith({ connection: null, stream: 'mm', start: { kind: 'latest' }, shards: [] }, expect.any(Function))
    expect((await screen.findByTestId('streams-counters')).textContent).toContain('1 records')
    await fireEvent.click(screen.getByTestId('streams-stop'))
    expect(api.cancelJob).toHaveBeenCalledWith(7)
    await fireEvent.click(screen.getByTestId('tab-paste'))
    await fireEvent.input(screen.getByTestId('streams-paste'), { target: { value: 'aGVsbG8=' } })
    await fireEvent.click(screen.getByTestId('streams-decode'))
    await waitFor(() => expect(api.streamDecode).toHaveBeenCalledWith('aGVsbG8='))
  })
})
