// State for the Setup section: the destination form, its plan, the steps as they run, the
// result and the follow-ups (validate, rotate, credentials file, tear down), and the bucket
// audit. Talks to Rust only through a SetupApi, so tests pass a fake.
import {
  call,
  commands,
  startSetup,
  type AuditReport,
  type FixId,
  type IpcError,
  type Result,
  type RotationReport,
  type SetupOutcome,
  type SetupPlan,
  type SinkSpec,
  type StepEvent,
  type TeardownReport,
  type ValidationReport,
} from '../../ipc'

export interface SetupApi {
  setupPlan(spec: SinkSpec): Promise<Result<SetupPlan, IpcError>>
  startSetup(spec: SinkSpec, onEvent: (e: StepEvent) => void): Promise<Result<SetupOutcome, IpcError>>
  setupValidate(user: string): Promise<Result<ValidationReport, IpcError>>
  setupRotate(user: string): Promise<Result<RotationReport, IpcError>>
  setupTeardown(user: string, deleteBucket: boolean, emptyBucket: boolean, apply: boolean): Promise<Result<TeardownReport, IpcError>>
  setupSaveCredentials(user: string): Promise<Result<string | null, IpcError>>
  setupSaveCredentialsTo(user: string, path: string): Promise<Result<string, IpcError>>
  auditBucket(bucket: string): Promise<Result<AuditReport, IpcError>>
  auditFix(bucket: string, fixes: FixId[]): Promise<Result<AuditReport, IpcError>>
  auditSaveCsv(bucket: string): Promise<Result<string | null, IpcError>>
}

export const ipcSetupApi: SetupApi = { ...commands, startSetup }

export type Stage = 'form' | 'plan' | 'applying' | 'result'

export interface Form {
  bucket: string
  prefix: string
  suffix: string
  user: string
  region: string
  kmsKeyArn: string
  tlsOnly: boolean
}

const opt = (v: string) => (v.trim() === '' ? null : v.trim())

export function toSpec(f: Form): SinkSpec {
  return {
    bucket: f.bucket.trim(),
    prefix: opt(f.prefix),
    suffix: opt(f.suffix),
    user: f.user.trim(),
    region: opt(f.region),
    kmsKeyArn: opt(f.kmsKeyArn),
    tlsOnly: f.tlsOnly,
  }
}

export class SetupStore {
  tab = $state<'destination' | 'audit'>('destination')
  stage = $state<Stage>('form')
  form = $state<Form>({ bucket: '', prefix: '', suffix: '.jsonl', user: '', region: '', kmsKeyArn: '', tlsOnly: true })
  plan = $state<SetupPlan | null>(null)
  events = $state<StepEvent[]>([])
  outcome = $state<SetupOutcome | null>(null)
  error = $state<IpcError | null>(null)
  busy = $state(false)

  auditBucketName = $state('')
  audit = $state<AuditReport | null>(null)
  auditError = $state<IpcError | null>(null)

  constructor(readonly api: SetupApi) {}

  get spec(): SinkSpec {
    return toSpec(this.form)
  }

  /** Where each planned step stands while applying: its latest event, or waiting. */
  stepState(id: string): StepEvent['state'] | 'waiting' {
    for (let i = this.events.length - 1; i >= 0; i--) {
      if (this.events[i].id === id) return this.events[i].state
    }
    return 'waiting'
  }

  stepDetail(id: string): string | null {
    for (let i = this.events.length - 1; i >= 0; i--) {
      if (this.events[i].id === id) return this.events[i].detail
    }
    return null
  }

  async review() {
    this.busy = true
    this.error = null
    const r = await call(() => this.api.setupPlan(this.spec))
    this.busy = false
    if (r.status === 'ok') {
      this.plan = r.data
      this.stage = 'plan'
    } else this.error = r.error
  }

  async apply() {
    this.busy = true
    this.error = null
    this.events = []
    this.stage = 'applying'
    const r = await call(() => this.api.startSetup(this.spec, (e) => (this.events = [...this.events, e])))
    this.busy = false
    if (r.status === 'ok') {
      // The plan stays as reviewed: its notes describe the world before the run.
      this.outcome = r.data
      this.stage = 'result'
    } else this.error = r.error
  }

  restart() {
    this.stage = 'form'
    this.plan = null
    this.outcome = null
    this.events = []
    this.error = null
  }

  async runAudit() {
    this.auditError = null
    const r = await call(() => this.api.auditBucket(this.auditBucketName.trim()))
    if (r.status === 'ok') this.audit = r.data
    else this.auditError = r.error
  }

  async fix(fixes: FixId[]) {
    this.auditError = null
    const r = await call(() => this.api.auditFix(this.auditBucketName.trim(), fixes))
    if (r.status === 'ok') this.audit = r.data
    else this.auditError = r.error
  }
}
