import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import IdentitySection from './IdentitySection.svelte'
import { IdentityStore, type IdentityApi } from './identity.svelte'
import type { SourceStatus } from '../../ipc'

const defaultSource: SourceStatus = {
  source: { type: 'defaultChain' },
  region: null,
  secretConfigured: false,
  endpointUrl: 'http://127.0.0.1:5000',
  mfaSerial: null,
}

function fakeApi(overrides: Partial<IdentityApi> = {}): IdentityApi {
  return {
    whoami: vi.fn(async () => ({
      status: 'ok' as const,
      data: { account: '123456789012', arn: 'arn:aws:sts::123456789012:user/moto', userId: 'AIDA' },
    })),
    sourceStatus: vi.fn(async () => ({ status: 'ok' as const, data: defaultSource })),
    setSource: vi.fn(async (u) => ({ status: 'ok' as const, data: { ...defaultSource, source: u.source } })),
    setTemporarySource: vi.fn(async (_pasted: string, region: string | null) => ({
      status: 'ok' as const,
      data: {
        ...defaultSource,
        region,
        secretConfigured: true,
        source: { type: 'temporary' as const, accessKeyId: 'ASIAIOSFODNN7EXAMPLE', expires: '2030-01-01T00:00:00Z' },
      },
    })),
    listProfiles: vi.fn(async () => ({
      status: 'ok' as const,
      data: [
        { name: 'corp', kind: 'sso' as const, region: 'us-east-1', detail: 'https://corp.awsapps.com/start' },
        { name: 'keys', kind: 'accessKeys' as const, region: null, detail: null },
      ],
    })),
    ...overrides,
  }
}

describe('IdentityStore', () => {
  it('keeps the identity on success and clears a previous error', async () => {
    const store = new IdentityStore(fakeApi())
    store.verifyError = { kind: 'Network', message: 'old' }
    await store.verify()
    expect(store.identity?.account).toBe('123456789012')
    expect(store.verifyError).toBeNull()
    expect(store.verifying).toBe(false)
  })

  it('reports a typed error and drops a stale identity', async () => {
    const store = new IdentityStore(
      fakeApi({
        whoami: async () => ({
          status: 'error',
          error: { kind: 'NoCredentials', message: 'No AWS credentials found: add an access key or choose a profile' },
        }),
      }),
    )
    store.identity = { account: '1', arn: 'a', userId: 'u' }
    await store.verify()
    expect(store.identity).toBeNull()
    expect(store.verifyError?.kind).toBe('NoCredentials')
  })

  it('turns a thrown framework failure into an Internal error', async () => {
    const store = new IdentityStore(fakeApi({ whoami: () => Promise.reject(new Error('command not allowed')) }))
    await store.verify()
    expect(store.verifyError).toEqual({ kind: 'Internal', message: 'command not allowed' })
  })

  it('saving a new source forgets the old answer', async () => {
    const api = fakeApi()
    const store = new IdentityStore(api)
    await store.verify()
    const ok = await store.saveSource({ source: { type: 'profile', name: 'vendor' }, region: null, secretAccessKey: null, mfaSerial: null })
    expect(ok).toBe(true)
    expect(store.identity).toBeNull()
    expect(store.source?.source).toEqual({ type: 'profile', name: 'vendor' })
  })
})

describe('IdentitySection', () => {
  it('shows the account after clicking Verify identity', async () => {
    render(IdentitySection, { props: { api: fakeApi() } })
    await fireEvent.click(screen.getByRole('button', { name: 'Verify identity' }))
    expect(await screen.findByText('123456789012')).toBeTruthy()
    expect(screen.getByText('arn:aws:sts::123456789012:user/moto')).toBeTruthy()
  })

  it('shows the no-credentials message by kind and offers the setup form', async () => {
    render(IdentitySection, {
      props: {
        api: fakeApi({
          whoami: async () => ({
            status: 'error',
            error: { kind: 'NoCredentials', message: 'No AWS credentials found: add an access key or choose a profile' },
          }),
        }),
      },
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Verify identity' }))
    const alert = await screen.findByRole('alert')
    expect(alert.getAttribute('data-error-kind')).toBe('NoCredentials')
    expect(alert.textContent).toContain('No AWS credentials found')
    await fireEvent.click(screen.getByRole('button', { name: 'Set up a source identity' }))
    expect(document.activeElement?.getAttribute('data-testid')).toBe('source-kind')
  })

  it('shows the endpoint override so the user knows they are not on real AWS', async () => {
    render(IdentitySection, { props: { api: fakeApi() } })
    expect((await screen.findByTestId('endpoint-override')).textContent).toContain('127.0.0.1:5000')
  })

  it('never echoes a typed secret back after saving', async () => {
    const api = fakeApi()
    render(IdentitySection, { props: { api } })
    await screen.findByTestId('endpoint-override')
    const select = screen.getByTestId('source-kind') as HTMLSelectElement
    select.value = 'accessKey'
    await fireEvent.change(select)
    await fireEvent.input(screen.getByPlaceholderText('AKIA…'), { target: { value: 'AKIAIOSFODNN7EXAMPLE' } })
    const secret = screen.getByLabelText('Secret access key') as HTMLInputElement
    await fireEvent.input(secret, { target: { value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved.')
    expect(api.setSource).toHaveBeenCalledWith({
      source: { type: 'accessKey', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
      region: null,
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      mfaSerial: null,
    })
    expect(secret.value).toBe('')
  })

  it('offers the profiles of the shared files by name and kind, and saves the one picked', async () => {
    const api = fakeApi()
    render(IdentitySection, { props: { api } })
    await screen.findByTestId('endpoint-override')
    const select = screen.getByTestId('source-kind') as HTMLSelectElement
    select.value = 'profile'
    await fireEvent.change(select)
    const picker = (await screen.findByTestId('profile-picker')) as HTMLSelectElement
    expect(picker.textContent).toContain('corp — IAM Identity Center, us-east-1 (https://corp.awsapps.com/start)')
    picker.value = 'keys'
    await fireEvent.change(picker)
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved.')
    expect(api.setSource).toHaveBeenCalledWith({ source: { type: 'profile', name: 'keys' }, region: null, secretAccessKey: null, mfaSerial: null })
  })

  it('falls back to a typed name when the shared files hold no profile', async () => {
    render(IdentitySection, { props: { api: fakeApi({ listProfiles: async () => ({ status: 'ok', data: [] }) }) } })
    await screen.findByTestId('endpoint-override')
    const select = screen.getByTestId('source-kind') as HTMLSelectElement
    select.value = 'profile'
    await fireEvent.change(select)
    expect(await screen.findByTestId('no-profiles')).toBeTruthy()
    expect(screen.getByPlaceholderText('vendor-data')).toBeTruthy()
  })

  it('sends pasted temporary credentials to Rust as they are and shows what is in use', async () => {
    const api = fakeApi()
    render(IdentitySection, { props: { api } })
    await screen.findByTestId('endpoint-override')
    const select = screen.getByTestId('source-kind') as HTMLSelectElement
    select.value = 'temporary'
    await fireEvent.change(select)
    const block = 'export AWS_ACCESS_KEY_ID="ASIAIOSFODNN7EXAMPLE"\nexport AWS_SECRET_ACCESS_KEY="s"\nexport AWS_SESSION_TOKEN="t"'
    const paste = screen.getByTestId('temporary-paste') as HTMLTextAreaElement
    await fireEvent.input(paste, { target: { value: block } })
    await fireEvent.input(screen.getByPlaceholderText('from your AWS config, else us-east-1'), { target: { value: 'eu-west-1' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('Saved.')
    expect(api.setTemporarySource).toHaveBeenCalledWith(block, 'eu-west-1')
    expect(api.setSource).not.toHaveBeenCalled()
    expect(paste.value).toBe('')
    expect((await screen.findByTestId('temporary-current')).textContent).toContain('2030-01-01T00:00:00Z')
  })
})
