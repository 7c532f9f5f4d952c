// State for the Reports page: the definition being built (connection, dataset, range,
// filters, columns, format), its plan, the running job (progress, cancel), the result with
// its coverage, and the saved definitions. Talks to Rust only through a ReportsApi, so
// tests pass a fake.
import {
  call,
  commands,
  startCoverage,
  startReport,
  type Connection,
  type IpcError,
  type OutputFormat,
  type Range,
  type ReportJobEvent,
  type ReportPlan,
  type ReportProgress,
  type ReportResult,
  type ReportSpec,
  type Result,
  type SavedReport,
  type OpenHow,
} from '../../ipc'

export interface ReportsApi {
  listConnections(): Promise<Result<Connection[], IpcError>>
  reportPlan(spec: ReportSpec): Promise<Result<ReportPlan, IpcError>>
  reportDefaultPath(spec: ReportSpec, dir: string | null): Promise<Result<string, IpcError>>
  reportChooseOutput(suggested: string): Promise<Result<string | null, IpcError>>
  startReport(spec: ReportSpec, output: string, replace: boolean, onEvent: (e: ReportJobEvent) => void): Promise<Result<ReportResult, IpcError>>
  startCoverage(spec: ReportSpec, onEvent: (e: ReportJobEvent) => void): Promise<Result<ReportResult, IpcError>>
  cancelJob(job: number): Promise<Result<boolean, IpcError>>
  reportSaveCoverage(coverage: ReportResult['coverage']): Promise<Result<string | null, IpcError>>
  savedReports(): Promise<Result<SavedReport[], IpcError>>
  saveReport(saved: SavedReport, replace: boolean): Promise<Result<SavedReport[], IpcError>>
  deleteReport(name: string): Promise<Result<SavedReport[], IpcError>>
  openPath(path: string, how: OpenHow): Promise<Result<null, IpcError>>
}

export const ipcReportsApi: ReportsApi = { ...commands, startReport, startCoverage }

/** The MachineMetrics columns, in file order. */
export const ALL_COLUMNS = [
  'eventTime',
  'processTime',
  'companyId',
  'machineRef',
  'type',
  'subtype',
  'key',
  'value',
  'nativeCode',
  'nativeSeverity',
  'qualifier',
  'description',
] as const

export type RangeKind = Range['kind']

/** `2020-09-21T10` from a `datetime-local` value (`2020-09-21T10:00`). */
export function toHour(value: string): string {
  return value.trim().slice(0, 13)
}

/** "1013, 1014 1015" → ["1013", "1014", "1015"]. */
export function parseMachines(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((m) => m.trim())
    .filter((m) => m !== '')
}

export function formatBytes(n: number | null): string {
  const v = n ?? 0
  if (v < 1024) return `${v} B`
  if (v < 1024 ** 2) return `${(v / 1024).toFixed(1)} KB`
  if (v < 1024 ** 3) return `${(v / 1024 ** 2).toFixed(1)} MB`
  return `${(v / 1024 ** 3).toFixed(2)} GB`
}

export class ReportsStore {
  connections = $state<Connection[]>([])
  connection = $state<string | null>(null)
  bucket = $state('')
  prefix = $state('timeseries/')
  rangeKind = $state<RangeKind>('absolute')
  from = $state('')
  to = $state('')
  lastN = $state(7)
  machines = $state('')
  type = $state('')
  key = $state('')
  valueContains = $state('')
  columns = $state<string[]>([...ALL_COLUMNS])
  format = $state<OutputFormat>('csv')
  sort = $state(false)
  output = $state('')
  replace = $state(false)

  plan = $state<ReportPlan | null>(null)
  progress = $state<ReportProgress | null>(null)
  job = $state<number | null>(null)
  running = $state(false)
  result = $state<ReportResult | null>(null)
  error = $state<IpcError | null>(null)
  saved = $state<SavedReport[]>([])
  savedName = $state('')
  notice = $state('')
  /** The folder of the last report written: the next one goes there too. */
  lastDir = $state<string | null>(null)

  constructor(readonly api: ReportsApi) {}

  get range(): Range {
    if (this.rangeKind === 'lastDays') return { kind: 'lastDays', days: this.lastN }
    if (this.rangeKind === 'lastHours') return { kind: 'lastHours', hours: this.lastN }
    return { kind: 'absolute', from: toHour(this.from), to: toHour(this.to) }
  }

  get spec(): ReportSpec {
    const text = (s: string) => (s.trim() === '' ? null : s.trim())
    const all = this.columns.length === ALL_COLUMNS.length && this.columns.every((c, i) => c === ALL_COLUMNS[i])
    return {
      connection: this.connection,
      bucket: this.bucket.trim(),
      prefix: this.prefix.trim(),
      range: this.range,
      filters: {
        machines: parseMachines(this.machines),
        type: text(this.type),
        key: text(this.key),
        valueContains: this.valueContains === '' ? null : this.valueContains,
      },
      columns: all ? [] : [...this.columns],
      format: this.format,
      sortByEventTime: this.sort,
    }
  }

  /** Loads a definition into the form. */
  load(spec: ReportSpec) {
    this.connection = spec.connection ?? null
    this.bucket = spec.bucket
    this.prefix = spec.prefix
    this.rangeKind = spec.range.kind
    if (spec.range.kind === 'absolute') {
      this.from = `${spec.range.from}:00`
      this.to = `${spec.range.to}:00`
    } else this.lastN = spec.range.kind === 'lastDays' ? spec.range.days : spec.range.hours
    const f = spec.filters
    this.machines = (f?.machines ?? []).join(', ')
    this.type = f?.type ?? ''
    this.key = f?.key ?? ''
    this.valueContains = f?.valueContains ?? ''
    this.columns = spec.columns && spec.columns.length > 0 ? [...spec.columns] : [...ALL_COLUMNS]
    this.format = spec.format ?? 'csv'
    this.sort = spec.sortByEventTime ?? false
    this.plan = null
    this.result = null
    this.output = ''
  }

  async init() {
    const [c, s] = await Promise.all([call(() => this.api.listConnections()), call(() => this.api.savedReports())])
    if (c.status === 'ok') {
      this.connections = c.data
      const first = c.data.find((x) => x.bucket)
      if (first && !this.bucket) {
        this.connection = first.name
        this.bucket = first.bucket ?? ''
        this.prefix = first.prefix ?? this.prefix
      }
    }
    if (s.status === 'ok') this.saved = s.data
  }

  toggleColumn(name: string) {
    if (this.columns.includes(name)) this.columns = this.columns.filter((c) => c !== name)
    else this.columns = [...this.columns, name]
  }

  moveColumn(name: string, by: -1 | 1) {
    const i = this.columns.indexOf(name)
    const j = i + by
    if (i < 0 || j < 0 || j >= this.columns.length) return
    const next = [...this.columns]
    ;[next[i], next[j]] = [next[j], next[i]]
    this.columns = next
  }

  async makePlan() {
    this.error = null
    this.result = null
    this.notice = ''
    this.running = true
    const r = await call(() => this.api.reportPlan(this.spec))
    this.running = false
    if (r.status === 'ok') {
      this.plan = r.data
      if (this.output === '') {
        const p = await call(() => this.api.reportDefaultPath(this.spec, this.lastDir))
        if (p.status === 'ok') this.output = p.data
      }
    } else {
      this.plan = null
      this.error = r.error
    }
  }

  async chooseOutput() {
    const r = await call(() => this.api.reportChooseOutput(this.output))
    if (r.status === 'ok' && r.data) {
      this.output = r.data
      // The native dialog already asked before replacing.
      this.replace = true
    }
  }

  private onEvent = (e: ReportJobEvent) => {
    this.job = e.job
    this.progress = e.progress
  }

  private async runJob(run: () => Promise<Result<ReportResult, IpcError>>) {
    this.error = null
    this.result = null
    this.notice = ''
    this.progress = null
    this.running = true
    const r = await call(run)
    this.running = false
    this.job = null
    if (r.status === 'ok') {
      this.result = r.data
      const path = r.data.path
      if (path) this.lastDir = path.slice(0, Math.max(1, path.lastIndexOf('/'), path.lastIndexOf('\\')))
    } else this.error = r.error
  }

  async run() {
    await this.runJob(() => this.api.startReport(this.spec, this.output.trim(), this.replace, this.onEvent))
  }

  async coverage() {
    await this.runJob(() => this.api.startCoverage(this.spec, this.onEvent))
  }

  async cancel() {
    if (this.job !== null) await call(() => this.api.cancelJob(this.job as number))
  }

  async saveDefinition(replace = false) {
    const name = this.savedName.trim()
    const r = await call(() => this.api.saveReport({ name, spec: this.spec }, replace))
    if (r.status === 'ok') {
      this.saved = r.data
      this.notice = `Saved “${name}”.`
      this.error = null
    } else this.error = r.error
  }

  async runSaved(saved: SavedReport) {
    this.load(saved.spec)
    this.savedName = saved.name
    await this.makePlan()
    if (this.plan && this.output) await this.run()
  }

  async deleteSaved(name: string) {
    const r = await call(() => this.api.deleteReport(name))
    if (r.status === 'ok') this.saved = r.data
    else this.error = r.error
  }

  async exportCoverage() {
    if (!this.result) return
    const r = await call(() => this.api.reportSaveCoverage(this.result!.coverage))
    if (r.status === 'ok' && r.data) this.notice = `Coverage table saved to ${r.data}.`
    else if (r.status === 'error') this.error = r.error
  }

  async open(reveal: boolean) {
    const path = this.result?.path
    if (!path) return
    const r = await call(() => this.api.openPath(path, reveal ? 'reveal' : 'open'))
    if (r.status === 'error') this.error = r.error
  }
}
