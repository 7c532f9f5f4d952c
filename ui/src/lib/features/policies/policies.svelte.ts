// State for the Policies section: the template form and its live policy, the lint tab's
// pasted document and findings, and saving / applying either. Talks to Rust only through a
// PoliciesApi, so tests pass a fake; the app passes the generated IPC commands.
import {
  call,
  commands,
  type AppliedPolicy,
  type ApplyPlan,
  type ApplyTarget,
  type ExternalIdStatus,
  type GeneratedPolicy,
  type IpcError,
  type LintReport,
  type OpenedPolicy,
  type PolicyKind,
  type PolicySource,
  type Result,
  type TemplateRequest,
} from '../../ipc'
import { missingField, templateSpec, toRequest, type TemplateId } from './templates'

export interface PoliciesApi {
  policyGenerate(request: TemplateRequest): Promise<Result<GeneratedPolicy, IpcError>>
  policyLint(text: string, kind: PolicyKind | null): Promise<Result<LintReport, IpcError>>
  policyExternalIdStatus(name: string): Promise<Result<ExternalIdStatus, IpcError>>
  policyGenerateExternalId(name: string, replace: boolean): Promise<Result<ExternalIdStatus, IpcError>>
  policySave(source: PolicySource, path: string, replace: boolean): Promise<Result<string, IpcError>>
  policySaveAs(source: PolicySource, fileName: string): Promise<Result<string | null, IpcError>>
  policyOpenFile(): Promise<Result<OpenedPolicy | null, IpcError>>
  policyPlanApply(target: ApplyTarget, source: PolicySource, policyName: string | null): Promise<Result<ApplyPlan, IpcError>>
  policyApply(
    target: ApplyTarget,
    source: PolicySource,
    policyName: string | null,
    fingerprint: string | null,
  ): Promise<Result<AppliedPolicy, IpcError>>
}

export const ipcPoliciesApi: PoliciesApi = commands

export type Tab = 'generate' | 'lint'

export class PoliciesStore {
  tab = $state<Tab>('generate')
  template = $state<TemplateId>('sinkWriter')
  values = $state<Record<string, string>>({})
  requireExternalId = $state(true)
  externalIdName = $state('trust')
  externalId = $state<ExternalIdStatus | null>(null)
  generated = $state<GeneratedPolicy | null>(null)
  generateError = $state<IpcError | null>(null)
  missing = $state<string | null>(null)

  lintText = $state('')
  lintKind = $state<PolicyKind | 'auto'>('auto')
  lintReport = $state<LintReport | null>(null)
  lintError = $state<IpcError | null>(null)

  #generation = 0
  #linting = 0

  constructor(readonly api: PoliciesApi) {}

  get spec() {
    return templateSpec(this.template)
  }

  /** The keyring entry a trust policy requires, when it requires one. */
  get externalIdFor(): string | null {
    return this.template === 'trust' && this.requireExternalId ? this.externalIdName.trim() || null : null
  }

  get request(): TemplateRequest {
    return toRequest(this.template, this.values, this.externalIdFor)
  }

  /** What Save and Apply act on: the template (rendered in Rust) or the pasted document. */
  get source(): PolicySource | null {
    if (this.tab === 'lint') return this.lintText.trim() ? { kind: 'document', value: this.lintText } : null
    return this.generated ? { kind: 'template', value: this.request } : null
  }

  /** The kind of policy on the current tab. */
  get kind(): PolicyKind {
    if (this.tab === 'lint') return this.lintReport?.kind ?? 'identity'
    return this.spec.kind
  }

  /** Rebuilds the policy from the form; a stale answer never replaces a newer one. */
  async generate() {
    const mine = ++this.#generation
    this.missing = missingField(this.template, this.values)
    if (this.missing) {
      this.generated = null
      this.generateError = null
      return
    }
    if (this.externalIdFor) await this.refreshExternalId()
    if (this.externalIdFor && !this.externalId?.configured) {
      this.generated = null
      this.generateError = null
      return
    }
    const r = await call(() => this.api.policyGenerate(this.request))
    if (mine !== this.#generation) return
    if (r.status === 'ok') {
      this.generated = r.data
      this.generateError = null
    } else {
      this.generated = null
      this.generateError = r.error
    }
  }

  async refreshExternalId() {
    const name = this.externalIdFor
    if (!name) return
    const r = await call(() => this.api.policyExternalIdStatus(name))
    this.externalId = r.status === 'ok' ? r.data : null
  }

  async generateExternalId(replace: boolean): Promise<IpcError | null> {
    const name = this.externalIdFor
    if (!name) return null
    const r = await call(() => this.api.policyGenerateExternalId(name, replace))
    if (r.status === 'error') return r.error
    this.externalId = r.data
    await this.generate()
    return null
  }

  async lint() {
    const mine = ++this.#linting
    if (!this.lintText.trim()) {
      this.lintReport = null
      return
    }
    const kind = this.lintKind === 'auto' ? null : this.lintKind
    const r = await call(() => this.api.policyLint(this.lintText, kind))
    if (mine !== this.#linting) return
    if (r.status === 'ok') {
      this.lintReport = r.data
      this.lintError = null
    } else {
      this.lintError = r.error
    }
  }

  save(path: string, replace: boolean) {
    const source = this.source
    if (!source) return Promise.resolve(null)
    return call(() => this.api.policySave(source, path, replace))
  }

  /** Saves through the native save dialog; `null` data when the user cancelled. */
  saveAs(fileName: string) {
    const source = this.source
    if (!source) return Promise.resolve(null)
    return call(() => this.api.policySaveAs(source, fileName))
  }

  /** Opens a policy file through the native dialog into the Lint tab. */
  async openFile(): Promise<{ path: string } | IpcError | null> {
    const r = await call(() => this.api.policyOpenFile())
    if (r.status === 'error') return r.error
    if (!r.data) return null
    this.lintText = r.data.text
    return { path: r.data.path }
  }

  /** The diff for applying the current policy; returns the source it was made for. */
  async plan(target: ApplyTarget, policyName: string | null) {
    const source = this.source
    if (!source) return null
    const snapshot: PolicySource = $state.snapshot(source)
    const result = await call(() => this.api.policyPlanApply(target, snapshot, policyName))
    return { source: snapshot, result }
  }

  /** Applies exactly what was reviewed; Rust refuses if it or AWS changed since. */
  apply(target: ApplyTarget, reviewed: PolicySource, plan: ApplyPlan) {
    return call(() => this.api.policyApply(target, reviewed, plan.policyName, plan.fingerprint))
  }
}
