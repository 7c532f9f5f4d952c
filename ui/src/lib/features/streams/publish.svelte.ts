// State for the Publish tab: the files, how to read them, a stream per type, the partition
// key template, the dry run, then the send with live statistics and a bounded events log.
// Talks to Rust only through a PublishApi, so tests pass a fake.
import {
  call,
  commands,
  startPublish,
  type DataType,
  type IpcError,
  type LogEvent,
  type PublishFormat,
  type PublishJobEvent,
  type PublishPlan,
  type PublishRequest,
  type PublishStats,
  type Result,
} from '../../ipc'

export interface PublishApi {
  publishPlan(request: PublishRequest): Promise<Result<PublishPlan, IpcError>>
  startPublish(request: PublishRequest, onEvent: (e: PublishJobEvent) => void): Promise<Result<PublishStats, IpcError>>
  publishChooseFiles(folder: boolean): Promise<Result<string[], IpcError>>
  publishSaveEvents(events: LogEvent[]): Promise<Result<string | null, IpcError>>
  cancelJob(job: number): Promise<Result<boolean, IpcError>>
}

export const ipcPublishApi: PublishApi = { ...commands, startPublish }

/** The most events kept in view; the oldest leave first. */
export const MAX_EVENTS = 500

export class PublishStore {
  paths = $state('')
  format = $state<PublishFormat>('dataminer')
  dataType = $state<DataType | 'auto'>('auto')
  stream = $state('')
  dataStream = $state('')
  dataAvgStream = $state('')
  alarmStream = $state('')
  partitionKey = $state('')
  plan = $state<PublishPlan | null>(null)
  stats = $state<PublishStats | null>(null)
  events = $state<LogEvent[]>([])
  job = $state<number | null>(null)
  sending = $state(false)
  error = $state<IpcError | null>(null)
  notice = $state('')

  constructor(readonly api: PublishApi) {}

  request(connection: string | null): PublishRequest {
    const opt = (s: string) => (s.trim() === '' ? null : s.trim())
    return {
      connection,
      paths: this.paths
        .split('\n')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
      format: this.format,
      dataType: this.dataType === 'auto' ? null : this.dataType,
      stream: this.stream.trim(),
      streams: { data: opt(this.dataStream), dataAvg: opt(this.dataAvgStream), alarm: opt(this.alarmStream) },
      partitionKey: opt(this.partitionKey),
    }
  }

  async choose(folder: boolean) {
    const r = await call(() => this.api.publishChooseFiles(folder))
    if (r.status === 'ok' && r.data.length > 0) {
      this.paths = r.data.join('\n')
      this.plan = null
    } else if (r.status === 'error') this.error = r.error
  }

  async dryRun(connection: string | null) {
    this.error = null
    this.stats = null
    const r = await call(() => this.api.publishPlan(this.request(connection)))
    if (r.status === 'ok') this.plan = r.data
    else {
      this.plan = null
      this.error = r.error
    }
  }

  private onEvent = (e: PublishJobEvent) => {
    this.job = e.job
    if (e.event.type === 'stats') this.stats = e.event.stats
    else {
      const next = [...this.events, e.event.event]
      this.events = next.length > MAX_EVENTS ? next.slice(next.length - MAX_EVENTS) : next
    }
  }

  async send(connection: string | null) {
    this.error = null
    this.events = []
    this.stats = null
    this.sending = true
    const r = await call(() => this.api.startPublish(this.request(connection), this.onEvent))
    this.sending = false
    this.job = null
    if (r.status === 'ok') {
      this.stats = r.data
      this.plan = null
    } else this.error = r.error
  }

  async cancel() {
    if (this.job !== null) await call(() => this.api.cancelJob(this.job as number))
  }

  async saveEvents() {
    const r = await call(() => this.api.publishSaveEvents(this.events))
    if (r.status === 'ok' && r.data) this.notice = `Events saved to ${r.data}.`
    else if (r.status === 'error') this.error = r.error
  }
}
