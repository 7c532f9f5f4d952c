import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import StreamsPage from './StreamsPage.svelte'
import { MAX_EVENTS, PublishStore, type PublishApi } from './publish.svelte'
import type { StreamsApi } from './streams.svelte'
import type { PublishJobEvent, PublishPlan, PublishStats } from '../../ipc'

const ok = <T,>(data: T) => Promise.resolve({ status: 'ok' as const, data })

const plan: PublishPlan = {
  files: [{ path: '/data/DMA_Data_1.csv', dataType: 'data', stream: 'dm-data', rows: 3, records: 2, alreadySent: 0, problems: 1 }],
  samples: [{ stream: 'dm-data', partitionKey: '35712/1743/7017', data: '{"DOCUMENT_TYPE":"DATA","DMAID":35712}' }],
  records: 2,
  batches: 1,
  bytes: 120,
  problems: [{ file: '/data/DMA_Data_1.csv', line: 2, reason: "PID 'x' is not a number" }],
  problemCount: 1,
}

const stats: PublishStats = {
  files: 1, filesDone: 1, rows: 3, records: 2, sent: 2, failed: 0, retried: 1, throttled: 0, skippedRows: 1, bytes: 120,
  recordsPerSecond: 40, seconds: 0.05, inputBytes: 100, inputRead: 100, cancelled: false, failures: [],
  first: { stream: 'dm-data', shard: 'shardId-000000000000', sequence: '4960', shards: 1, startedAt: '2026-11-25T10:00:00Z' },
}

function publishApi(): PublishApi {
  return {
    publishPlan: vi.fn(() => ok(plan)),
    startPublish: vi.fn((_req, onEvent: (e: PublishJobEvent) => void) => {
      onEvent({ job: 3, event: { type: 'log', event: { at: 't', kind: 'started', message: '1 files' } } })
      onEvent({ job: 3, event: { type: 'stats', stats } })
      return ok(stats)
    }),
    publishChooseFiles: vi.fn(() => ok(['/data/a.csv', '/data/b.csv'])),
    publishSaveEvents: vi.fn(() => ok('/home/me/events.csv')),
    cancelJob: vi.fn(() => ok(true)),
  }
}

describe('publishing', () => {
  it('builds the request from the form and keeps the events log bounded', async () => {
    const store = new PublishStore(publishApi())
    await store.choose(false)
    store.stream = ' dm-data '
    store.alarmStream = 'dm-alarms'
    store.dataType = 'alarm'
    expect(store.request('vendor')).toEqual({
      connection: 'vendor',
      paths: ['/data/a.csv', '/data/b.csv'],
      format: 'dataminer',
      dataType: 'alarm',
      stream: 'dm-data',
      streams: { data: null, dataAvg: null, alarm: 'dm-alarms' },
      partitionKey: null,
    })
    const many = (n: number): PublishJobEvent => ({ job: 1, event: { type: 'log', event: { at: `${n}`, kind: 'throttled', message: '' } } })
    const push = (store as unknown as { onEvent: (e: PublishJobEvent) => void }).onEvent
    for (let i = 0; i < MAX_EVENTS + 20; i++) push(many(i))
    expect(store.events.length).toBe(MAX_EVENTS)
    expect(store.events[0].at).toBe('20')
  })

  it('dry run, send, statistics, then read back from the first record', async () => {
    const api = publishApi()
    const streamRead = vi.fn(() => ok({ records: [], shards: [], truncated: false }))
    const streamsApi = { listConnections: vi.fn(() => ok([])), streamRead } as unknown as StreamsApi
    render(StreamsPage, { api: streamsApi, publishApi: api })
    await fireEvent.click(screen.getByText('Publish'))
    await fireEvent.input(screen.getByTestId('publish-paths'), { target: { value: '/data/DMA_Data_1.csv' } })
    await fireEvent.input(screen.getByTestId('publish-stream'), { target: { value: 'dm-data' } })
    expect((screen.getByTestId('publish-send') as HTMLButtonElement).disabled).toBe(true)
    await fireEvent.click(screen.getByTestId('publish-dry-run'))
    expect((await screen.findByTestId('publish-plan')).textContent).toContain("line 2: PID 'x' is not a number")
    await fireEvent.click(screen.getByTestId('publish-send'))
    expect((await screen.findByTestId('publish-sent')).textContent).toBe('2')
    expect(screen.getByTestId('publish-events').textContent).toContain('1 files')
    await fireEvent.click(screen.getByTestId('publish-read-back'))
    expect(streamRead).toHaveBeenCalledWith(expect.objectContaining({ stream: 'dm-data', start: { kind: 'atSequence', value: '4960' } }))
  })
})
