import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe as suite, expect, it, vi } from 'vitest'
import type { NetworkStatus } from '../../ipc'
import ProxyPrefs from './ProxyPrefs.svelte'
import { describe, type NetworkApi } from './network.svelte'

const system: NetworkStatus = {
  proxy: { from: 'system', url: 'http://os.corp:8080', noProxy: '*.local', note: null },
  preferences: { url: null, noProxy: null },
}

suite('the proxy under Preferences', () => {
  it('says what calls go through', () => {
    expect(describe(system)).toBe("Through the system's proxy: http://os.corp:8080, except *.local.")
    expect(describe({ ...system, proxy: { from: 'none', url: null, noProxy: null, note: null } })).toContain('straight to AWS')
  })

  it('saves a proxy, shows a refusal, and goes back to the system', async () => {
    const mine: NetworkStatus = {
      proxy: { from: 'preferences', url: 'http://127.0.0.1:3128', noProxy: 'localhost', note: null },
      preferences: { url: 'http://127.0.0.1:3128', noProxy: 'localhost' },
    }
    const api: NetworkApi = {
      status: vi.fn(async () => ({ status: 'ok' as const, data: system })),
      setProxy: vi.fn(async (url: string | null) => {
        if (url?.includes('@')) {
          return { status: 'error' as const, error: { kind: 'InvalidInput' as const, message: 'Invalid proxy address: a proxy that needs a password is not supported' } }
        }
        return { status: 'ok' as const, data: url ? mine : system }
      }),
    }
    render(ProxyPrefs, { props: { api } })
    expect((await screen.findByTestId('proxy-in-use')).textContent).toContain('os.corp')
    await fireEvent.input(screen.getByTestId('proxy-url'), { target: { value: 'http://ana:pw@p:1' } })
    await fireEvent.click(screen.getByTestId('proxy-save'))
    expect((await screen.findByRole('alert')).textContent).toContain('password')
    await fireEvent.input(screen.getByTestId('proxy-url'), { target: { value: ' http://127.0.0.1:3128 ' } })
    await fireEvent.input(screen.getByTestId('proxy-no-proxy'), { target: { value: 'localhost' } })
    await fireEvent.click(screen.getByTestId('proxy-save'))
    expect(api.setProxy).toHaveBeenLastCalledWith('http://127.0.0.1:3128', 'localhost')
    await vi.waitFor(() => expect(screen.getByTestId('proxy-in-use').textContent).toContain('set here'))
    await fireEvent.click(screen.getByTestId('proxy-clear'))
    expect(api.setProxy).toHaveBeenLastCalledWith(null, null)
    await vi.waitFor(() => expect(screen.getByTestId('proxy-in-use').textContent).toContain('os.corp'))
  })
})
