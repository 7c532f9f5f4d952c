// State for the Connections feature: the saved list, the last verify report and session of
// each connection, and which view is open. Talks to Rust only through a ConnectionsApi, so
// tests pass a fake; the app passes the generated IPC commands.
import {
  commands,
  type Connection,
  type ConnectionDraft,
  type ConsoleLink,
  type HandoverFields,
  type InlinePolicy,
  type IpcError,
  type PolicyTarget,
  type ProfilePlan,
  type Result,
  type OpenedHandover,
  type SessionStatus,
  type VerifyReport,
} from '../../ipc'

export interface ConnectionsApi {
  importHandover(text: string): Promise<Result<HandoverFields, IpcError>>
  listConnections(): Promise<Result<Connection[], IpcError>>
  openHandoverFile(): Promise<Result<OpenedHandover | null, IpcError>>
  saveConnection(draft: ConnectionDraft, handoverText: string | null, fromOpenedFile: boolean): Promise<Result<Connection, IpcError>>
  deleteConnection(name: string): Promise<Result<null, IpcError>>
  verifyConnection(name: string): Promise<Result<VerifyReport, IpcError>>
  sessionStatus(name: string): Promise<Result<SessionStatus, IpcError>>
  reloadSession(name: string): Promise<Result<SessionStatus, IpcError>>
  inlinePolicy(name: string): Promise<Result<InlinePolicy, IpcError>>
  applyInlinePolicy(name: string, target: PolicyTarget): Promise<Result<InlinePolicy, IpcError>>
  saveInlinePolicy(name: string, path: string, replace: boolean): Promise<Result<string, IpcError>>
  saveInlinePolicyAs(name: string): Promise<Result<string | null, IpcError>>
  consoleLink(name: string): Promise<Result<ConsoleLink, IpcError>>
  planCliProfile(name: string, profile: string): Promise<Result<ProfilePlan, IpcError>>
  writeCliProfile(name: string, profile: string): Promise<Result<ProfilePlan, IpcError>>
}

export const ipcConnectionsApi: ConnectionsApi = commands

import { call } from '../../ipc'
export { call }

export type ConnectionState = 'verified' | 'expired' | 'failing' | 'unverified'

/** The status dot: the last check's outcome, unless the session has since expired. */
export function connectionState(report: VerifyReport | undefined, session: SessionStatus | undefined): ConnectionState {
  if (!report) return 'unverified'
  if (!report.passed) return 'failing'
  if (session?.secondsLeft !== null && session?.secondsLeft !== undefined && session.secondsLeft <= 0) return 'expired'
  return 'verified'
}

export const STATE_LABELS: Record<ConnectionState, string> = {
  verified: 'Verified',
  expired: 'Session expired',
  failing: 'Failing',
  unverified: 'Not verified yet',
}

export type View = { kind: 'list' } | { kind: 'new' } | { kind: 'details'; name: string } | { kind: 'edit'; name: string }

export class ConnectionsStore {
  list = $state<Connection[]>([])
  loaded = $state(false)
  error = $state<IpcError | null>(null)
  reports = $state<Record<string, VerifyReport>>({})
  sessions = $state<Record<string, SessionStatus>>({})
  verifying = $state<string | null>(null)
  view = $state<View>({ kind: 'list' })

  readonly api: ConnectionsApi

  constructor(api: ConnectionsApi = ipcConnectionsApi) {
    this.api = api
  }

  find(name: string): Connection | undefined {
    return this.list.find((c) => c.name === name)
  }

  stateOf(name: string): ConnectionState {
    return connectionState(this.reports[name], this.sessions[name])
  }

  async load(): Promise<void> {
    const r = await call(() => this.api.listConnections())
    if (r.status === 'ok') {
      this.list = r.data
      this.error = null
    } else {
      this.error = r.error
    }
    this.loaded = true
  }

  /** Saves and reloads the list; returns the saved connection, or null with `error` set.
   *  The handover's secrets are taken in Rust from the pasted text or the opened file. */
  async save(draft: ConnectionDraft, handoverText: string | null, fromOpenedFile = false): Promise<Connection | null> {
    const r = await call(() => this.api.saveConnection(draft, handoverText, fromOpenedFile))
    if (r.status === 'error') {
      this.error = r.error
      return null
    }
    this.error = null
    delete this.reports[r.data.name]
    delete this.sessions[r.data.name]
    await this.load()
    return r.data
  }

  async remove(name: string): Promise<boolean> {
    const r = await call(() => this.api.deleteConnection(name))
    if (r.status === 'error') {
      this.error = r.error
      return false
    }
    delete this.reports[name]
    delete this.sessions[name]
    this.view = { kind: 'list' }
    await this.load()
    return true
  }

  async verify(name: string): Promise<void> {
    this.verifying = name
    this.error = null
    const r = await call(() => this.api.verifyConnection(name))
    if (r.status === 'ok') {
      this.reports[name] = r.data
      await this.refreshSession(name)
    } else {
      this.error = r.error
    }
    this.verifying = null
  }

  async refreshSession(name: string): Promise<void> {
    const r = await call(() => this.api.sessionStatus(name))
    if (r.status === 'ok') this.sessions[name] = r.data
  }

  async reloadSession(name: string): Promise<void> {
    const r = await call(() => this.api.reloadSession(name))
    if (r.status === 'ok') {
      this.sessions[name] = r.data
      this.error = null
    } else {
      this.error = r.error
    }
  }
}
