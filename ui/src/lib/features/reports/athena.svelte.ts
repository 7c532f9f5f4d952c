// State for running a report on Amazon Athena: where (workgroup, database, table, result
// location), the estimate with its SQL and DDL, creating the table, and the run with the
// query's state, data scanned and Stop. Talks to Rust only through an AthenaApi.
import {
  call,
  commands,
  startAthena,
  type AthenaEstimate,
  type AthenaJobEvent,
  type AthenaReport,
  type AthenaTarget,
  type IpcError,
  type QueryProgress,
  type ReportSpec,
  type Result,
  type TableReady,
} from '../../ipc'

export interface AthenaApi {
  athenaEstimate(spec: ReportSpec, target: AthenaTarget): Promise<Result<AthenaEstimate, IpcError>>
  athenaCreateTable(spec: ReportSpec, target: AthenaTarget): Promise<Result<TableReady, IpcError>>
  startAthena(spec: ReportSpec, target: AthenaTarget, output: string, replace: boolean, onEvent: (e: AthenaJobEvent) => void): Promise<Result<AthenaReport, IpcError>>
  cancelJob(job: number): Promise<Result<boolean, IpcError>>
}

export const ipcAthenaApi: AthenaApi = { ...commands, startAthena }

/** Past this many bytes to scan, the Reports page suggests Athena. */
export const ATHENA_THRESHOLD_BYTES = 2e9

export class AthenaStore {
  open = $state(false)
  workgroup = $state('primary')
  database = $state('default')
  table = $state('machinemetrics')
  output = $state('')
  estimate = $state<AthenaEstimate | null>(null)
  progress = $state<QueryProgress | null>(null)
  job = $state<number | null>(null)
  running = $state(false)
  created = $state('')
  result = $state<AthenaReport | null>(null)
  error = $state<IpcError | null>(null)

  constructor(readonly api: AthenaApi) {}

  get target(): AthenaTarget {
    return {
      workgroup: this.workgroup.trim(),
      database: this.database.trim(),
      table: this.table.trim(),
      output: this.output.trim() === '' ? null : this.output.trim(),
    }
  }

  async estimateFor(spec: ReportSpec) {
    this.error = null
    const r = await call(() => this.api.athenaEstimate(spec, this.target))
    if (r.status === 'ok') this.estimate = r.data
    else {
      this.estimate = null
      this.error = r.error
    }
  }

  async createTable(spec: ReportSpec) {
    this.error = null
    const r = await call(() => this.api.athenaCreateTable(spec, this.target))
    if (r.status === 'ok') this.created = r.data.message
    else this.error = r.error
  }

  async run(spec: ReportSpec, output: string, replace: boolean) {
    this.error = null
    this.result = null
    this.progress = null
    this.running = true
    const r = await call(() =>
      this.api.startAthena(spec, this.target, output, replace, (e) => {
        this.job = e.job
        this.progress = e.progress
      }),
    )
    this.running = false
    this.job = null
    if (r.status === 'ok') this.result = r.data
    else this.error = r.error
  }

  async cancel() {
    if (this.job !== null) await call(() => this.api.cancelJob(this.job as number))
  }
}
