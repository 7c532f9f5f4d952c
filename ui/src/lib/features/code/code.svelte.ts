// State for the "Code" view shared by the policy studio and the Setup plan: which language
// (Terraform / CloudFormation), where an identity policy goes, whether to adopt what Sluice
// already created, the code Rust rendered, and saving it. Talks to Rust only through a
// CodeApi, so tests pass a fake; the app passes the generated IPC commands.
import {
  call,
  commands,
  type Attach,
  type CodeFormat,
  type CodeRequest,
  type GeneratedCode,
  type IpcError,
  type Result,
  type SinkSpec,
  type TemplateRequest,
} from '../../ipc'

export interface CodeApi {
  codeGenerate(request: CodeRequest): Promise<Result<GeneratedCode, IpcError>>
  codeSaveAs(request: CodeRequest, fileName: string): Promise<Result<string | null, IpcError>>
}

export const ipcCodeApi: CodeApi = commands

/** What the code is of: a policy template (identity policies can go to a user, a role or
 *  a managed policy) or a destination. */
export type CodeSource =
  | { kind: 'policy'; request: TemplateRequest; identity: boolean }
  | { kind: 'setup'; spec: SinkSpec }

export const FORMATS: { id: CodeFormat; label: string }[] = [
  { id: 'terraform', label: 'Terraform' },
  { id: 'cloudformation', label: 'CloudFormation' },
]

export const ATTACH: { id: Attach; label: string }[] = [
  { id: 'user', label: 'an IAM user (inline)' },
  { id: 'role', label: 'an IAM role (inline)' },
  { id: 'managed', label: 'a customer managed policy' },
]

export class CodeStore {
  format = $state<CodeFormat>('terraform')
  attach = $state<Attach>('user')
  adopt = $state(false)
  code = $state<GeneratedCode | null>(null)
  error = $state<IpcError | null>(null)
  saved = $state<string | null>(null)
  saveError = $state<IpcError | null>(null)
  copied = $state(false)
  #generation = 0

  constructor(readonly api: CodeApi) {}

  request(source: CodeSource): CodeRequest {
    const s = $state.snapshot(source) as CodeSource
    return s.kind === 'policy'
      ? { kind: 'policy', request: s.request, format: this.format, attach: s.identity ? this.attach : null }
      : { kind: 'setup', spec: s.spec, format: this.format, import: this.adopt }
  }

  /** Renders the code for `source`; a stale answer never replaces a newer one. */
  async refresh(source: CodeSource) {
    const mine = ++this.#generation
    const request = this.request(source)
    const r = await call(() => this.api.codeGenerate(request))
    if (mine !== this.#generation) return
    this.copied = false
    if (r.status === 'ok') {
      this.code = r.data
      this.error = null
    } else {
      this.code = null
      this.error = r.error
    }
  }

  /** Saves through the native save dialog (which asks before replacing a file). */
  async saveAs(source: CodeSource) {
    this.saved = null
    this.saveError = null
    const name = this.code?.fileName ?? `sluice.${this.format === 'terraform' ? 'tf' : 'yaml'}`
    const request = this.request(source)
    const r = await call(() => this.api.codeSaveAs(request, name))
    if (r.status === 'ok') this.saved = r.data
    else this.saveError = r.error
  }

  async copy(write: (text: string) => Promise<void>) {
    if (!this.code) return
    try {
      await write(this.code.text)
      this.copied = true
    } catch {
      this.copied = false
    }
  }
}
