import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import IdentitySection from './IdentitySection.svelte'
import { matchingRoles, SsoStore, type SsoApi } from './sso.svelte'
import type { IdentityApi } from './identity.svelte'
import type { IpcError, Result, SsoAccount, SsoStatus } from '../../ipc'

const accounts: SsoAccount[] = [
  { accountId: '444455556666', accountName: 'Sandbox', email: 'dev@example.com', roles: ['Admin'] },
  { accountId: '111122223333', accountName: 'Telemetry', email: null, roles: ['DataReader', 'ReadOnly'] },
]
const signedIn: SsoStatus = {
  signedIn: true,
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
  expires: '2030-01-01T00:00:00Z',
  refreshable: true,
  sharedWithAwsCli: false,
  awsCliProblem: null,
}
const signedOut: SsoStatus = {
  signedIn: false,
  startUrl: null,
  region: null,
  expires: null,
  refreshable: false,
  sharedWithAwsCli: false,
  awsCliProblem: null,
}

function fakeApi(overrides: Partial<SsoApi> = {}): SsoApi {
  return {
    status: vi.fn(async () => ({ status: 'ok' as const, data: signedOut })),
    start: vi.fn(async () => ({
      status: 'ok' as const,
      data: {
        userCode: 'ABCD-EFGH',
        verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
        verificationUriComplete: null,
        expiresIn: 600,
        browserOpened: true,
      },
    })),
    wait: vi.fn(async () => ({ status: 'ok' as const, data: signedIn })),
    cancel: vi.fn(async () => ({ status: 'ok' as const, data: true })),
    openPage: vi.fn(async () => ({ status: 'ok' as const, data: true })),
    accounts: vi.fn(async () => ({ status: 'ok' as const, data: accounts })),
    use: vi.fn(async (accountId: string, roleName: string) => ({
      status: 'ok' as const,
      data: {
        source: { type: 'sso' as const, startUrl: signedIn.startUrl ?? '', ssoRegion: 'eu-west-1', accountId, roleName },
        region: null,
        secretConfigured: true,
        endpointUrl: null,
        mfaSerial: null,
      },
    })),
    logout: vi.fn(async () => ({ status: 'ok' as const, data: signedOut })),
    share: vi.fn(async (share: boolean) => ({ status: 'ok' as const, data: { ...signedIn, sharedWithAwsCli: share } })),
    ...overrides,
  }
}

describe('matchingRoles', () => {
  it('lists every role of every account and searches names, ids, e-mails and roles', () => {
    expect(matchingRoles(accounts, '')).toHaveLength(3)
    expect(matchingRoles(accounts, 'tele').map((r) => r.role)).toEqual(['DataReader', 'ReadOnly'])
    expect(matchingRoles(accounts, '4444').map((r) => r.role)).toEqual(['Admin'])
    expect(matchingRoles(accounts, 'DEV@')).toHaveLength(1)
    expect(matchingRoles(accounts, 'readonly')[0].accountId).toBe('111122223333')
    expect(matchingRoles(accounts, 'nothing')).toEqual([])
  })
})

describe('SsoStore', () => {
  it('shows the code while waiting, then the accounts', async () => {
    let approve: (() => void) | undefined
    const api = fakeApi({
      wait: vi.fn(
        () =>
          new Promise<Result<SsoStatus, IpcError>>((resolve) => {
            approve = () => resolve({ status: 'ok' as const, data: signedIn })
          }),
      ),
    })
    const sso = new SsoStore(api)
    const done = sso.signIn(' https://corp.awsapps.com/start ', 'eu-west-1')
    await vi.waitFor(() => expect(sso.code?.userCode).toBe('ABCD-EFGH'))
    expect(sso.waiting).toBe(true)
    expect(api.start).toHaveBeenCalledWith('https://corp.awsapps.com/start', 'eu-west-1')
    approve?.()
    expect(await done).toBe(true)
    expect(sso.code).toBeNull()
    expect(sso.status?.signedIn).toBe(true)
    expect(sso.accounts).toEqual(accounts)
  })

  it('a cancelled sign-in is quiet, an expired code says so', async () => {
    const cancelled = new SsoStore(
      fakeApi({ wait: async () => ({ status: 'error', error: { kind: 'Cancelled', message: 'Cancelled' } }) }),
    )
    expect(await cancelled.signIn('https://corp.awsapps.com/start', 'eu-west-1')).toBe(false)
    expect(cancelled.error).toBeNull()
    const message = 'IAM Identity Center: the sign-in code expired before it was approved: start the sign-in again'
    const expired = new SsoStore(fakeApi({ wait: async () => ({ status: 'error', error: { kind: 'SignIn', message } }) }))
    expect(await expired.signIn('https://corp.awsapps.com/start', 'eu-west-1')).toBe(false)
    expect(expired.error?.message).toBe(message)
  })
})

describe('Sign in panel', () => {
  it('signs in, picks a role, shows it in use, and signs out', async () => {
    const ssoApi = fakeApi()
    const unused = async () => ({ status: 'error' as const, error: { kind: 'Internal' as const, message: 'not in this test' } })
    const api: IdentityApi = {
      whoami: unused,
      sourceStatus: async () => ({
        status: 'ok' as const,
        data: { source: { type: 'defaultChain' as const }, region: null, secretConfigured: false, endpointUrl: 'http://127.0.0.1:5000', mfaSerial: null },
      }),
      setSource: unused,
      setTemporarySource: unused,
      listProfiles: unused,
    }
    render(IdentitySection, { props: { api, ssoApi } })
    await screen.findByTestId('endpoint-override')
    const select = screen.getByTestId('source-kind') as HTMLSelectElement
    select.value = 'sso'
    await fireEvent.change(select)
    await fireEvent.input(await screen.findByTestId('sso-start-url'), { target: { value: 'https://corp.awsapps.com/start' } })
    await fireEvent.input(screen.getByTestId('sso-region'), { target: { value: 'eu-west-1' } })
    await fireEvent.click(screen.getByTestId('sso-sign-in'))
    await screen.findByTestId('sso-signed-in')
    await fireEvent.input(screen.getByTestId('sso-search'), { target: { value: 'datareader' } })
    const use = screen.getAllByTestId('sso-use')
    expect(use).toHaveLength(1)
    await fireEvent.click(use[0])
    await screen.findByText('In use')
    expect(ssoApi.use).toHaveBeenCalledWith('111122223333', 'DataReader')
    const share = screen.getByTestId('sso-share') as HTMLInputElement
    expect(share.checked).toBe(false)
    await fireEvent.click(share)
    expect(ssoApi.share).toHaveBeenCalledWith(true)
    await vi.waitFor(() => expect((screen.getByTestId('sso-share') as HTMLInputElement).checked).toBe(true))
    expect(screen.queryByTestId('sso-share-problem')).toBeNull()
    // A cache file that could not be written is said beside the switch; the sign-in goes on.
    const problem = 'sharing with the AWS CLI: Could not write /home/ana/.aws/sso/cache: not a directory'
    ssoApi.share = vi.fn(async (share: boolean) => ({
      status: 'ok' as const,
      data: { ...signedIn, sharedWithAwsCli: share, awsCliProblem: share ? problem : null },
    }))
    await fireEvent.click(screen.getByTestId('sso-share'))
    await fireEvent.click(screen.getByTestId('sso-share'))
    expect((await screen.findByTestId('sso-share-problem')).textContent).toContain(problem)
    await fireEvent.click(screen.getByTestId('sso-sign-out'))
    await screen.findByTestId('sso-start-url')
    expect(ssoApi.logout).toHaveBeenCalled()
  })
})
