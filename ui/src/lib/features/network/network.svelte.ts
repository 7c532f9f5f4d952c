// The proxy under Preferences: what AWS calls go through now (Sluice's setting, the
// environment's, or the system's) and Sluice's own setting. Talks to Rust only through
// the NetworkApi it is given.
import { call, commands, type IpcError, type NetworkStatus, type ProxyFrom, type Result } from '../../ipc'

export interface NetworkApi {
  status(): Promise<Result<NetworkStatus, IpcError>>
  setProxy(url: string | null, noProxy: string | null): Promise<Result<NetworkStatus, IpcError>>
}

export const ipcNetworkApi: NetworkApi = {
  status: () => call(() => commands.networkStatus()),
  setProxy: (url, noProxy) => call(() => commands.setProxy(url, noProxy)),
}

const FROM: Record<ProxyFrom, string> = {
  none: 'No proxy: calls go straight to AWS.',
  preferences: 'Through the proxy set here',
  environment: 'Through the proxy of the environment (HTTPS_PROXY)',
  system: "Through the system's proxy",
}

/** One line saying what AWS calls go through now. */
export function describe(status: NetworkStatus): string {
  const p = status.proxy
  if (p.from === 'none' || !p.url) return FROM.none
  const direct = p.noProxy ? `, except ${p.noProxy}` : ''
  return `${FROM[p.from]}: ${p.url}${direct}.`
}

export class NetworkStore {
  status = $state<NetworkStatus | null>(null)
  url = $state('')
  noProxy = $state('')
  error = $state<IpcError | null>(null)
  saved = $state(false)
  busy = $state(false)

  constructor(private api: NetworkApi) {}

  private show(status: NetworkStatus) {
    this.status = status
    this.url = status.preferences.url ?? ''
    this.noProxy = status.preferences.noProxy ?? ''
  }

  async load() {
    const r = await this.api.status()
    if (r.status === 'ok') this.show(r.data)
    else this.error = r.error
  }

  /** Saves the fields (an empty address clears Sluice's own proxy). */
  async save(clear = false) {
    this.busy = true
    this.saved = false
    const url = clear ? null : this.url.trim() || null
    const r = await this.api.setProxy(url, clear ? null : this.noProxy.trim() || null)
    this.busy = false
    if (r.status === 'ok') {
      this.error = null
      this.saved = true
      this.show(r.data)
    } else {
      this.error = r.error
    }
  }
}
