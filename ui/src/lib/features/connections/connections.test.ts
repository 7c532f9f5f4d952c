import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, within } from '@testing-library/svelte'
import ConnectionsPage from './ConnectionsPage.svelte'
import { connectionState, type ConnectionsApi } from './connections.svelte'
import { draftFromForm, formFromConnection, formFromHandover, suggestName } from './draft'
import type { IdentityApi } from '../identity/identity.svelte'
import type { Connection, HandoverFields, VerifyReport } from '../../ipc'

const ROLE = 'arn:aws:iam::352302322568:role/the-data-access-role'
const fields: HandoverFields = {
  roleArn: ROLE,
  streamArn: 'arn:aws:kinesis:us-east-1:352302322568:stream/mm-events',
  bucket: 'mm-customer-data',
  prefix: 'timeseries/',
  region: 'us-east-1',
  switchRoleUrl: null,
  displayName: 'MachineMetrics',
  accessKeyId: null,
  externalIdFound: true,
  secretAccessKeyFound: false,
  problems: [],
}
const saved: Connection = {
  name: 'machinemetrics',
  source: { type: 'defaultChain' },
  region: 'us-east-1',
  role: { roleArn: ROLE, sessionName: 'sluice', durationSeconds: 3600, hasExternalId: true, displayName: 'MachineMetrics', mfaSerial: null },
  bucket: 'mm-customer-data',
  prefix: 'timeseries/',
  streamArn: fields.streamArn,
}
const passed: VerifyReport = {
  connection: 'machinemetrics',
  passed: true,
  checks: [
    { id: 'whoami', title: 'Who am I', status: 'passed', detail: 'arn:aws:iam::123456789012:user/alice', fix: null, errorKind: null },
    { id: 'assume-role', title: `Assume ${ROLE}`, status: 'passed', detail: 'session valid', fix: null, errorKind: null },
  ],
}
const ok = <T,>(data: T) => Promise.resolve({ status: 'ok' as const, data })

function fakeApi(list: Connection[] = []): ConnectionsApi {
  let current = [...list]
  return {
    importHandover: vi.fn(() => ok(fields)),
    openHandoverFile: vi.fn(() => ok({ path: '/home/a/handover.txt', fields })),
    listConnections: vi.fn(() => ok(current)),
    saveConnection: vi.fn((draft) => {
      current = [{ ...saved, name: draft.name }]
      return ok({ ...saved, name: draft.name })
    }),
    deleteConnection: vi.fn((name) => {
      current = current.filter((c) => c.name !== name)
      return ok(null)
    }),
    verifyConnection: vi.fn(() => ok(passed)),
    sessionStatus: vi.fn((name) => ok({ connection: name, usesRole: true, expiresAt: new Date(Date.now() + 3_000_000).toISOString(), secondsLeft: 3000, note: null })),
    reloadSession: vi.fn((name) => ok({ connection: name, usesRole: true, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), secondsLeft: 3600, note: null })),
    inlinePolicy: vi.fn(() => ok({ policyName: 'sluice-assume-machinemetrics', document: `{"Resource":"${ROLE}"}`, suggestedTarget: { kind: 'user' as const, name: 'alice' } })),
    applyInlinePolicy: vi.fn(() => ok({ policyName: 'sluice-assume-machinemetrics', document: '{}', suggestedTarget: null })),
    saveInlinePolicy: vi.fn((_n, path) => ok(path)),
    saveInlinePolicyAs: vi.fn(() => ok('/home/a/machinemetrics-inline-policy.json')),
    consoleLink: vi.fn(() => ok({ url: null, note: 'The AWS console cannot pass an ExternalId' })),
    planCliProfile: vi.fn(() => ok({ path: '/home/a/.aws/config', profile: 'machinemetrics', diff: '+ [profile machinemetrics]', changed: true })),
    writeCliProfile: vi.fn(() => ok({ path: '/home/a/.aws/config', profile: 'machinemetrics', diff: '', changed: true })),
  }
}

const identityApi: IdentityApi = {
  whoami: () => ok({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', userId: 'AIDA' }),
  sourceStatus: () => ok({ source: { type: 'defaultChain' }, region: null, secretConfigured: false, endpointUrl: null, mfaSerial: null }),
  setSource: () => ok({ source: { type: 'defaultChain' }, region: null, secretConfigured: false, endpointUrl: null, mfaSerial: null }),
  listProfiles: () => ok([]),
  setTemporarySource: () => ok({ source: { type: 'defaultChain' }, region: null, secretConfigured: false, endpointUrl: null, mfaSerial: null }),
}

describe('draft conversions', () => {
  it('prefills from a handover and lets Rust take the ExternalId from the pasted text', () => {
    const form = formFromHandover(fields)
    expect(form.name).toBe('machinemetrics')
    expect(form.externalIdMode).toBe('fromHandover')
    const draft = draftFromForm(form)
    expect(draft.externalId).toEqual({ action: 'keep' })
    expect(draft.roleArn).toBe(ROLE)
    expect(draft.prefix).toBe('timeseries/')
    expect(draft.secretAccessKey).toBeNull()
  })

  it('round-trips a saved connection and sends a typed ExternalId only when set', () => {
    const form = formFromConnection(saved)
    expect(form.externalIdMode).toBe('keep')
    expect(draftFromForm(form).externalId).toEqual({ action: 'keep' })
    expect(draftFromForm({ ...form, externalIdMode: 'set', externalId: 'new-id' }).externalId).toEqual({ action: 'set', value: 'new-id' })
    expect(draftFromForm({ ...form, externalIdMode: 'clear' }).externalId).toEqual({ action: 'clear' })
    expect(draftFromForm({ ...form, bucket: '  ' }).bucket).toBeNull()
  })

  it('sends the MFA device only while the trust requires MFA', () => {
    const form = formFromConnection(saved)
    expect(form.requiresMfa).toBe(false)
    expect(draftFromForm(form).mfaSerial).toBeNull()
    const serial = 'arn:aws:iam::123456789012:mfa/ana'
    expect(draftFromForm({ ...form, requiresMfa: true, mfaSerial: ` ${serial} ` }).mfaSerial).toBe(serial)
    expect(draftFromForm({ ...form, requiresMfa: false, mfaSerial: serial }).mfaSerial).toBeNull()
    const back = formFromConnection({ ...saved, role: saved.role && { ...saved.role, mfaSerial: serial } })
    expect(back.requiresMfa).toBe(true)
    expect(back.mfaSerial).toBe(serial)
  })

  it('suggests a usable connection name', () => {
    expect(suggestName({ ...fields, displayName: 'Acme Data, Inc.' })).toBe('acme-data-inc')
    expect(suggestName({ ...fields, displayName: null, bucket: null, roleArn: null })).toBe('vendor')
  })

  it('derives the status dot', () => {
    expect(connectionState(undefined, undefined)).toBe('unverified')
    expect(connectionState({ ...passed, passed: false }, undefined)).toBe('failing')
    expect(connectionState(passed, { connection: 'x', usesRole: true, expiresAt: 'x', secondsLeft: -5, note: null })).toBe('expired')
    expect(connectionState(passed, { connection: 'x', usesRole: true, expiresAt: 'x', secondsLeft: 100, note: null })).toBe('verified')
  })
})

describe('ConnectionsPage', () => {
  it('shows an empty state that says what to do', async () => {
    render(ConnectionsPage, { props: { api: fakeApi(), identityApi } })
    expect((await screen.findByTestId('connections-empty')).textContent).toContain('Paste the handover')
  })

  it('walks paste → review → policy → verify and sends the handover text, not the secret', async () => {
    const api = fakeApi()
    render(ConnectionsPage, { props: { api, identityApi } })
    await fireEvent.click(await screen.findByTestId('new-connection-button'))
    const text = `Role: ${ROLE}\nExternal ID: s3cret-passphrase`
    await fireEvent.input(screen.getByTestId('handover-text'), { target: { value: text } })
    await fireEvent.click(screen.getByTestId('read-handover'))

    expect(((await screen.findByTestId('field-role-arn')) as HTMLInputElement).value).toBe(ROLE)
    expect(screen.getByTestId('external-id-from-handover')).toBeTruthy()
    await fireEvent.click(screen.getByTestId('save-connection'))

    expect(api.saveConnection).toHaveBeenCalledTimes(1)
    const [draft, handover] = vi.mocked(api.saveConnection).mock.calls[0]
    expect(handover).toBe(text)
    expect(JSON.stringify(draft)).not.toContain('s3cret-passphrase')

    expect((await screen.findByTestId('policy-document')).textContent).toContain(ROLE)
    await fireEvent.click(screen.getByTestId('go-verify'))
    const list = await screen.findByTestId('checklist')
    expect(list.getAttribute('data-passed')).toBe('true')
    expect(within(list).getByText('Who am I')).toBeTruthy()
  })

  it('applies the policy only after confirming', async () => {
    const api = fakeApi([saved])
    render(ConnectionsPage, { props: { api, identityApi } })
    await fireEvent.click(await screen.findByText('machinemetrics'))
    await screen.findByTestId('policy-document')
    expect((screen.getByTestId('policy-target') as HTMLInputElement).value).toBe('alice')
    await fireEvent.click(screen.getByRole('button', { name: 'Apply…' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(api.applyInlinePolicy).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByRole('button', { name: 'Apply…' }))
    await fireEvent.click(screen.getByTestId('confirm'))
    expect(api.applyInlinePolicy).toHaveBeenCalledWith('machinemetrics', { kind: 'user', name: 'alice' })
    expect(await screen.findByText("Applied 'sluice-assume-machinemetrics' to user alice.")).toBeTruthy()
  })

  it('saves the policy to a file, replacing only when asked', async () => {
    const api = fakeApi([saved])
    render(ConnectionsPage, { props: { api, identityApi } })
    await fireEvent.click(await screen.findByText('machinemetrics'))
    await fireEvent.input(await screen.findByTestId('policy-save-path'), { target: { value: '/tmp/p.json' } })
    await fireEvent.click(screen.getByTestId('policy-save'))
    expect(api.saveInlinePolicy).toHaveBeenCalledWith('machinemetrics', '/tmp/p.json', false)
    expect((await screen.findByTestId('written-file')).textContent).toContain('Saved to /tmp/p.json')
    await fireEvent.click(screen.getByTestId('policy-save-as'))
    expect(api.saveInlinePolicyAs).toHaveBeenCalledWith('machinemetrics')
    expect((await screen.findByTestId('written-file')).textContent).toContain('machinemetrics-inline-policy.json')
  })

  it('opens a handover file and saves from what Rust kept, sending no path or secret', async () => {
    const api = fakeApi()
    render(ConnectionsPage, { props: { api, identityApi } })
    await fireEvent.click(await screen.findByTestId('new-connection-button'))
    await fireEvent.click(screen.getByTestId('open-handover-file'))
    expect((await screen.findByTestId('handover-file')).textContent).toContain('/home/a/handover.txt')
    expect(((await screen.findByTestId('field-role-arn')) as HTMLInputElement).value).toBe(ROLE)
    await fireEvent.click(screen.getByTestId('save-connection'))
    const [, text, fromFile] = vi.mocked(api.saveConnection).mock.calls[0]
    expect(text).toBeNull()
    expect(fromFile).toBe(true)
  })

  it('verifies from the details page and shows the session countdown and console note', async () => {
    render(ConnectionsPage, { props: { api: fakeApi([saved]), identityApi } })
    await fireEvent.click(await screen.findByText('machinemetrics'))
    expect((await screen.findByTestId('console-note')).textContent).toContain('cannot pass an ExternalId')
    await fireEvent.click(screen.getByTestId('verify-connection'))
    expect((await screen.findByTestId('connection-state')).textContent).toBe('Verified')
    expect((await screen.findByTestId('session-left')).textContent).toMatch(/min/)
  })

  it('deletes only after confirmation', async () => {
    const api = fakeApi([saved])
    render(ConnectionsPage, { props: { api, identityApi } })
    await fireEvent.click(await screen.findByText('machinemetrics'))
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete…' }))
    const dialog = screen.getByTestId('confirm-dialog')
    expect(document.activeElement?.textContent).toBe('Cancel')
    await fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByTestId('confirm-dialog')).toBeNull()
    expect(api.deleteConnection).not.toHaveBeenCalled()
    expect(dialog).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Delete…' }))
    await fireEvent.click(screen.getByTestId('confirm'))
    expect(api.deleteConnection).toHaveBeenCalledWith('machinemetrics')
    expect(await screen.findByTestId('connections-empty')).toBeTruthy()
  })

  it('shows a save error by kind and keeps the form', async () => {
    const api = fakeApi()
    api.saveConnection = vi.fn(() =>
      Promise.resolve({ status: 'error' as const, error: { kind: 'InvalidInput' as const, message: 'Invalid role ARN: bad' } }),
    )
    render(ConnectionsPage, { props: { api, identityApi } })
    await fireEvent.click(await screen.findByTestId('new-connection-button'))
    await fireEvent.input(screen.getByTestId('handover-text'), { target: { value: 'x' } })
    await fireEvent.click(screen.getByTestId('read-handover'))
    await fireEvent.click(await screen.findByTestId('save-connection'))
    const alert = await screen.findByRole('alert')
    expect(alert.getAttribute('data-error-kind')).toBe('InvalidInput')
    expect(screen.getByTestId('connection-form')).toBeTruthy()
  })
})
