// State for the Streams section: which stream (through a connection or your own identity),
// its shards, the records read or tailed (a bounded buffer that says how many it dropped),
// the filter, the selected record and the counters. Talks to Rust only through a
// StreamsApi, so tests pass a fake.
import {
  call,
  commands,
  startTail,
  type Connection,
  type DecodedRecord,
  type ExportFormat,
  type IpcError,
  type ReadRequest,
  type ReadResult,
  type RecordKind,
  type Result,
  type ShardProgress,
  type StartPosition,
  type StreamInfo,
  type TailEvent,
  type TailRequest,
} from '../../ipc'
import { applyFilter } from './filter'

export interface StreamsApi {
  listConnections(): Promise<Result<Connection[], IpcError>>
  streamInfo(connection: string | null, stream: string): Promise<Result<StreamInfo, IpcError>>
  streamRead(request: ReadRequest): Promise<Result<ReadResult, IpcError>>
  startTail(request: TailRequest, onEvent: (e: TailEvent) => void): Promise<Result<number | null, IpcError>>
  cancelJob(job: number): Promise<Result<boolean, IpcError>>
  streamDecode(text: string): Promise<Result<DecodedRecord[], IpcError>>
  streamExport(records: DecodedRecord[], format: ExportFormat): Promise<Result<string | null, IpcError>>
}

export const ipcStreamsApi: StreamsApi = { ...commands, startTail }

/** The most records kept in view; older ones leave, and the page says how many. */
export const MAX_RECORDS = 100_000

export type StartKind = StartPosition['kind']

export class StreamsStore {
  tab = $state<'read' | 'paste' | 'publish'>('read')
  connections = $state<Connection[]>([])
  connection = $state<string | null>(null)
  stream = $state('')
  info = $state<StreamInfo | null>(null)
  startKind = $state<StartKind>('trimHorizon')
  startValue = $state('')
  limit = $state(1000)
  records = $state.raw<DecodedRecord[]>([])
  dropped = $state(0)
  shards = $state<Record<string, ShardProgress>>({})
  filter = $state('')
  kinds = $state<Set<RecordKind>>(new Set())
  selected = $state<DecodedRecord | null>(null)
  error = $state<IpcError | null>(null)
  busy = $state(false)
  tailJob = $state<number | null>(null)
  tailing = $state(false)
  paused = $state(false)
  startedAt = $state(0)
  bytes = $state(0)
  pasteText = $state('')

  constructor(readonly api: StreamsApi) {}

  get filtered(): DecodedRecord[] {
    return applyFilter(this.records, this.filter, this.kinds)
  }

  get kindsSeen(): RecordKind[] {
    return [...new Set(this.records.map((r) => r.kind))]
  }

  get start(): StartPosition {
    switch (this.startKind) {
      case 'atTimestamp':
      case 'atSequence':
      case 'afterSequence':
        return { kind: this.startKind, value: this.startValue.trim() }
      default:
        return { kind: this.startKind }
    }
  }

  async loadConnections() {
    const r = await call(() => this.api.listConnections())
    if (r.status === 'ok') {
      this.connections = r.data
      const first = r.data.find((c) => c.streamArn)
      if (first && !this.stream) {
        this.connection = first.name
        this.stream = first.streamArn ?? ''
      }
    }
  }

  async open() {
    this.error = null
    this.busy = true
    const r = await call(() => this.api.streamInfo(this.connection, this.stream.trim()))
    this.busy = false
    if (r.status === 'ok') this.info = r.data
    else {
      this.info = null
      this.error = r.error
    }
  }

  private take(records: DecodedRecord[]) {
    this.bytes += records.reduce((n, r) => n + r.rawSize, 0)
    const all = this.records.concat(records)
    const over = all.length - MAX_RECORDS
    if (over > 0) {
      this.dropped += over
      this.records = all.slice(over)
    } else this.records = all
  }

  async read() {
    this.error = null
    this.busy = true
    this.records = []
    this.dropped = 0
    this.bytes = 0
    this.selected = null
    this.startedAt = Date.now()
    const request: ReadRequest = { connection: this.connection, stream: this.stream.trim(), start: this.start, until: null, limit: this.limit, shards: [] }
    const r = await call(() => this.api.streamRead(request))
    this.busy = false
    if (r.status === 'ok') {
      this.take(r.data.records)
      this.shards = Object.fromEntries(r.data.shards.map((s) => [s.id, s]))
    } else this.error = r.error
  }

  async tail() {
    this.error = null
    this.tailing = true
    this.paused = false
    this.startedAt = Date.now()
    const start = this.startKind === 'trimHorizon' ? ({ kind: 'latest' } as StartPosition) : this.start
    const request: TailRequest = { connection: this.connection, stream: this.stream.trim(), start, shards: [] }
    const r = await call(() =>
      this.api.startTail(request, (e) => {
        this.tailJob = e.job
        this.shards = { ...this.shards, [e.batch.shard.id]: e.batch.shard }
        if (!this.paused && e.batch.records.length > 0) this.take(e.batch.records)
      }),
    )
    this.tailing = false
    this.tailJob = null
    if (r.status === 'error') this.error = r.error
  }

  async stop() {
    if (this.tailJob !== null) await call(() => this.api.cancelJob(this.tailJob as number))
  }

  async decodePaste() {
    this.error = null
    const r = await call(() => this.api.streamDecode(this.pasteText))
    if (r.status === 'ok') {
      this.records = []
      this.dropped = 0
      this.bytes = 0
      this.take(r.data)
    } else this.error = r.error
  }

  toggleKind(kind: RecordKind) {
    const next = new Set(this.kinds)
    if (next.has(kind)) next.delete(kind)
    else next.add(kind)
    this.kinds = next
  }

  exportRecords(format: ExportFormat) {
    return call(() => this.api.streamExport(this.filtered, format))
  }
}
