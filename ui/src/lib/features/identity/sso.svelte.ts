// State of the IAM Identity Center sign-in: start (the device code shown large), wait for the
// approval in the browser (cancellable), pick an account and role, sign out. Talks to Rust
// only through the SsoApi it is given; tokens never reach the webview.
import {
  call,
  commands,
  type DeviceCode,
  type IpcError,
  type Result,
  type SourceStatus,
  type SsoAccount,
  type SsoStatus,
} from '../../ipc'

export interface SsoApi {
  status(): Promise<Result<SsoStatus, IpcError>>
  start(startUrl: string, region: string): Promise<Result<DeviceCode, IpcError>>
  wait(): Promise<Result<SsoStatus, IpcError>>
  cancel(): Promise<Result<boolean, IpcError>>
  openPage(): Promise<Result<boolean, IpcError>>
  accounts(): Promise<Result<SsoAccount[], IpcError>>
  use(accountId: string, roleName: string): Promise<Result<SourceStatus, IpcError>>
  logout(): Promise<Result<SsoStatus, IpcError>>
  share(share: boolean): Promise<Result<SsoStatus, IpcError>>
}

export const ipcSsoApi: SsoApi = {
  status: () => commands.ssoStatus(),
  start: (startUrl, region) => commands.ssoStart(startUrl, region),
  wait: () => commands.ssoWait(),
  cancel: () => commands.ssoCancel(),
  openPage: () => commands.ssoOpenPage(),
  accounts: () => commands.ssoAccounts(),
  use: (accountId, roleName) => commands.ssoUse(accountId, roleName),
  logout: () => commands.ssoLogout(),
  share: (share) => commands.ssoShareWithAwsCli(share),
}

/** One row of the picker: an account's role. */
export interface RoleChoice {
  accountId: string
  accountName: string
  email: string | null
  role: string
}

/** The picker's rows whose account name, id, e-mail or role contains `query`. */
export function matchingRoles(accounts: SsoAccount[], query: string): RoleChoice[] {
  const q = query.trim().toLowerCase()
  return accounts
    .flatMap((a) => a.roles.map((role) => ({ accountId: a.accountId, accountName: a.accountName, email: a.email, role })))
    .filter((r) => q === '' || [r.accountName, r.accountId, r.email ?? '', r.role].some((t) => t.toLowerCase().includes(q)))
}

export class SsoStore {
  status = $state<SsoStatus | null>(null)
  code = $state<DeviceCode | null>(null)
  waiting = $state(false)
  accounts = $state<SsoAccount[] | null>(null)
  loadingAccounts = $state(false)
  busy = $state(false)
  error = $state<IpcError | null>(null)

  #api: SsoApi

  constructor(api: SsoApi = ipcSsoApi) {
    this.#api = api
  }

  async load(): Promise<void> {
    const result = await call(() => this.#api.status())
    if (result.status === 'ok') {
      this.status = result.data
      if (result.data.signedIn) await this.loadAccounts()
    } else this.error = result.error
  }

  /** Starts the device sign-in and waits for the approval; true once signed in. */
  async signIn(startUrl: string, region: string): Promise<boolean> {
    this.error = null
    this.busy = true
    const started = await call(() => this.#api.start(startUrl.trim(), region.trim()))
    this.busy = false
    if (started.status === 'error') {
      this.error = started.error
      return false
    }
    this.code = started.data
    this.waiting = true
    const done = await call(() => this.#api.wait())
    this.waiting = false
    this.code = null
    if (done.status === 'error') {
      // A cancel the person asked for needs no alarm.
      if (done.error.kind !== 'Cancelled') this.error = done.error
      return false
    }
    this.status = done.data
    await this.loadAccounts()
    return true
  }

  async cancel(): Promise<void> {
    await call(() => this.#api.cancel())
  }

  async openPage(): Promise<void> {
    await call(() => this.#api.openPage())
  }

  async loadAccounts(): Promise<void> {
    this.loadingAccounts = true
    const result = await call(() => this.#api.accounts())
    this.loadingAccounts = false
    if (result.status === 'ok') this.accounts = result.data
    else this.error = result.error
  }

  /** Makes a role the source identity; returns the new status for the identity panel. */
  async use(choice: RoleChoice): Promise<SourceStatus | null> {
    this.error = null
    this.busy = true
    const result = await call(() => this.#api.use(choice.accountId, choice.role))
    this.busy = false
    if (result.status === 'ok') return result.data
    this.error = result.error
    return null
  }

  /** Shares the sign-in with the AWS CLI (its token cache), or stops sharing. */
  async share(share: boolean): Promise<void> {
    this.error = null
    const result = await call(() => this.#api.share(share))
    if (result.status === 'ok') this.status = result.data
    else this.error = result.error
  }

  async signOut(): Promise<void> {
    this.error = null
    this.busy = true
    const result = await call(() => this.#api.logout())
    this.busy = false
    this.accounts = null
    if (result.status === 'ok') this.status = result.data
    else this.error = result.error
  }
}
