// State for the Connections page's identity panels: the source identity (where credentials
// come from) and the last "who am I" answer. Talks to Rust only through the IdentityApi it
// is given, so tests pass a fake and the app passes the generated IPC commands.
import {
  commands,
  toIpcError,
  type CallerIdentity,
  type IpcError,
  type ProfileInfo,
  type Result,
  type SourceStatus,
  type SourceUpdate,
} from '../../ipc'

export interface IdentityApi {
  whoami(): Promise<Result<CallerIdentity, IpcError>>
  sourceStatus(): Promise<Result<SourceStatus, IpcError>>
  setSource(update: SourceUpdate): Promise<Result<SourceStatus, IpcError>>
  setTemporarySource(pasted: string, region: string | null): Promise<Result<SourceStatus, IpcError>>
  listProfiles(): Promise<Result<ProfileInfo[], IpcError>>
}

export const ipcIdentityApi: IdentityApi = {
  whoami: () => commands.whoami(),
  sourceStatus: () => commands.sourceStatus(),
  setSource: (update) => commands.setSource(update),
  setTemporarySource: (pasted, region) => commands.setTemporarySource(pasted, region),
  listProfiles: () => commands.listProfiles(),
}

/** How a profile gets its credentials, in words. */
export const PROFILE_KINDS: Record<ProfileInfo['kind'], string> = {
  sso: 'IAM Identity Center',
  role: 'role',
  credentialProcess: 'credential_process',
  login: 'aws login',
  accessKeys: 'access keys',
  temporaryKeys: 'temporary keys',
  noCredentials: 'no credentials',
}

async function settle<T>(call: () => Promise<Result<T, IpcError>>): Promise<Result<T, IpcError>> {
  try {
    return await call()
  } catch (e) {
    return { status: 'error', error: toIpcError(e) }
  }
}

export class IdentityStore {
  identity = $state<CallerIdentity | null>(null)
  verifyError = $state<IpcError | null>(null)
  verifying = $state(false)

  source = $state<SourceStatus | null>(null)
  /** The shared AWS files' profiles; null until asked for. */
  profiles = $state<ProfileInfo[] | null>(null)
  sourceError = $state<IpcError | null>(null)
  saving = $state(false)

  #api: IdentityApi

  constructor(api: IdentityApi = ipcIdentityApi) {
    this.#api = api
  }

  async verify(): Promise<void> {
    this.verifying = true
    this.verifyError = null
    const result = await settle(() => this.#api.whoami())
    if (result.status === 'ok') {
      this.identity = result.data
    } else {
      this.identity = null
      this.verifyError = result.error
    }
    this.verifying = false
  }

  async loadSource(): Promise<void> {
    const result = await settle(() => this.#api.sourceStatus())
    if (result.status === 'ok') {
      this.source = result.data
      this.sourceError = null
    } else {
      this.sourceError = result.error
    }
  }

  async loadProfiles(): Promise<void> {
    const result = await settle(() => this.#api.listProfiles())
    if (result.status === 'ok') {
      this.profiles = result.data
    } else {
      this.profiles = []
      this.sourceError = result.error
    }
  }

  /** Saves the source identity; returns true when saved. A new identity needs a new check. */
  async saveSource(update: SourceUpdate): Promise<boolean> {
    return this.#save(() => this.#api.setSource(update))
  }

  /** Uses pasted temporary credentials; the text goes to Rust, its secrets to the keyring. */
  async saveTemporary(pasted: string, region: string | null): Promise<boolean> {
    return this.#save(() => this.#api.setTemporarySource(pasted, region))
  }

  /** A source chosen elsewhere (an IAM Identity Center role): shown, and checked anew. */
  sourceChanged(status: SourceStatus): void {
    this.source = status
    this.identity = null
    this.verifyError = null
  }

  async #save(call: () => Promise<Result<SourceStatus, IpcError>>): Promise<boolean> {
    this.saving = true
    this.sourceError = null
    const result = await settle(call)
    this.saving = false
    if (result.status === 'ok') {
      this.source = result.data
      this.identity = null
      this.verifyError = null
      return true
    }
    this.sourceError = result.error
    return false
  }
}
