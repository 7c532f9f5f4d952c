import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import PoliciesPage from './PoliciesPage.svelte'
import { highlightJson } from './highlight'
import { toRequest } from './templates'
import type { PoliciesApi } from './policies.svelte'
import type { ApplyPlan, GeneratedPolicy, LintReport } from '../../ipc'

const ok = <T>(data: T) => Promise.resolve({ status: 'ok' as const, data })
const clean: LintReport = { kind: 'identity', kindDetected: false, findings: [], errors: 0, warnings: 0, infos: 0 }
const writer: GeneratedPolicy = {
  template: 'sink-writer',
  kind: 'identity',
  suggestedName: 'sluice-sink-writer-strm',
  document: '{\n  "Version": "2012-10-17",\n  "Statement": []\n}',
  explanations: [{ sid: 'WriteBatchFiles', sentence: 'Lets the writer create objects.' }],
  lint: clean,
}
const plan: ApplyPlan = {
  target: { kind: 'user', name: 'strm-writer' },
  targetLabel: 'an inline policy of IAM user strm-writer',
  policyName: 'sluice-sink-writer-strm',
  exists: false,
  changed: true,
  diff: [{ op: 'add', text: '{ "Version": "2012-10-17" }' }],
  lint: clean,
  notes: [],
  fingerprint: '00ff',
}

function fakeApi(overrides: Partial<PoliciesApi> = {}): PoliciesApi {
  const stored = new Set<string>()
  return {
    policyGenerate: vi.fn(() => ok(writer)),
    policyLint: vi.fn(() => ok(clean)),
    policyExternalIdStatus: vi.fn((name: string) => ok({ name, configured: stored.has(name) })),
    policyGenerateExternalId: vi.fn((name: string) => {
      stored.add(name)
      return ok({ name, configured: true })
    }),
    policySave: vi.fn((_s, path: string) => ok(path)),
    policySaveAs: vi.fn((_s, name: string) => ok(`/home/me/${name}`)),
    policyOpenFile: vi.fn(() => ok({ path: '/home/me/vendor.json', text: '{"Version": "2012-10-17", "Statement": []}' })),
    policyPlanApply: vi.fn(() => ok(plan)),
    policyApply: vi.fn(() =>
      ok({ target: plan.target, targetLabel: plan.targetLabel, policyName: plan.policyName, verified: true }),
    ),
    ...overrides,
  }
}

describe('Policies: generate', () => {
  it('asks for the required field, then shows the policy, its sentences and the lint verdict', async () => {
    const api = fakeApi()
    render(PoliciesPage, { props: { api } })
    expect((await screen.findByTestId('policy-missing')).textContent).toContain('Bucket')
    await fireEvent.input(screen.getByTestId('policy-field-bucket'), { target: { value: 'strm-export' } })
    await fireEvent.input(screen.getByTestId('policy-field-prefix'), { target: { value: 'events' } })
    expect((await screen.findByTestId('policy-json')).textContent).toContain('"Version"')
    expect(api.policyGenerate).toHaveBeenLastCalledWith({ template: 'sinkWriter', bucket: 'strm-export', prefix: 'events', suffix: null })
    expect(screen.getByTestId('policy-explanations').textContent).toContain('WriteBatchFiles')
    expect(screen.getByTestId('lint-summary').textContent).toContain('no findings')
  })

  it('shows a validation error from Rust in place of the policy', async () => {
    const api = fakeApi({
      policyGenerate: vi.fn(() =>
        Promise.resolve({ status: 'error' as const, error: { kind: 'InvalidInput' as const, message: "Invalid bucket name: 'Bad_Bucket'" } }),
      ),
    })
    render(PoliciesPage, { props: { api } })
    await fireEvent.input(screen.getByTestId('policy-field-bucket'), { target: { value: 'Bad_Bucket' } })
    expect((await screen.findByRole('alert')).textContent).toContain('Invalid bucket name')
  })

  it('generates the trust ExternalId into the keyring before showing the trust policy', async () => {
    const api = fakeApi({ policyGenerate: vi.fn(() => ok({ ...writer, template: 'trust', kind: 'trust' as const })) })
    render(PoliciesPage, { props: { api } })
    await fireEvent.change(screen.getByTestId('policy-template'), { target: { value: 'trust' } })
    await fireEvent.input(screen.getByTestId('policy-field-principal'), { target: { value: '352302322568' } })
    await fireEvent.click(await screen.findByTestId('external-id-generate'))
    expect(api.policyGenerateExternalId).toHaveBeenCalledWith('trust', false)
    await screen.findByTestId('policy-json')
    expect(api.policyGenerate).toHaveBeenLastCalledWith({ template: 'trust', principal: '352302322568', externalIdName: 'trust' })
  })

  it('applies only after reviewing the diff and confirming', async () => {
    const api = fakeApi()
    render(PoliciesPage, { props: { api } })
    await fireEvent.input(screen.getByTestId('policy-field-bucket'), { target: { value: 'strm-export' } })
    await screen.findByTestId('policy-json')
    await fireEvent.input(screen.getByTestId('apply-name'), { target: { value: 'strm-writer' } })
    await fireEvent.click(screen.getByTestId('apply-review'))
    expect((await screen.findByTestId('apply-diff')).textContent).toContain('+ { "Version"')
    expect(api.policyApply).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByTestId('apply-confirm'))
    await fireEvent.click(screen.getByTestId('confirm'))
    expect(api.policyApply).toHaveBeenCalledWith(
      { kind: 'user', name: 'strm-writer' },
      { kind: 'template', value: { template: 'sinkWriter', bucket: 'strm-export', prefix: null, suffix: null } },
      'sluice-sink-writer-strm',
      '00ff',
    )
    expect((await screen.findByTestId('apply-done')).textContent).toContain('read back and matches')
  })

  it('drops a reviewed diff when the policy changes', async () => {
    const api = fakeApi()
    render(PoliciesPage, { props: { api } })
    await fireEvent.input(screen.getByTestId('policy-field-bucket'), { target: { value: 'strm-export' } })
    await screen.findByTestId('policy-json')
    await fireEvent.input(screen.getByTestId('apply-name'), { target: { value: 'strm-writer' } })
    await fireEvent.click(screen.getByTestId('apply-review'))
    await screen.findByTestId('apply-diff')
    await fireEvent.input(screen.getByTestId('policy-field-prefix'), { target: { value: 'other' } })
    await waitFor(() => expect(screen.queryByTestId('apply-diff')).toBeNull())
    expect(api.policyApply).not.toHaveBeenCalled()
  })
})

describe('Policies: files', () => {
  it('saves through the native dialog under the suggested name and opens a file into the Lint tab', async () => {
    const api = fakeApi()
    render(PoliciesPage, { props: { api } })
    await fireEvent.input(screen.getByTestId('policy-field-bucket'), { target: { value: 'strm-export' } })
    await screen.findByTestId('policy-json')
    await fireEvent.click(screen.getByTestId('policy-save-as'))
    expect(api.policySaveAs).toHaveBeenCalledWith(
      { kind: 'template', value: { template: 'sinkWriter', bucket: 'strm-export', prefix: null, suffix: null } },
      'sluice-sink-writer-strm.json',
    )
    expect(await screen.findByText('Saved to /home/me/sluice-sink-writer-strm.json.')).toBeTruthy()
    await fireEvent.click(screen.getByTestId('tab-lint'))
    await fireEvent.click(screen.getByTestId('lint-open'))
    expect(await screen.findByText('Opened /home/me/vendor.json')).toBeTruthy()
    expect((screen.getByTestId('lint-text') as HTMLTextAreaElement).value).toContain('2012-10-17')
    await waitFor(() => expect(api.policyLint).toHaveBeenCalledWith('{"Version": "2012-10-17", "Statement": []}', null))
  })
})

describe('Policies: lint', () => {
  it('lints pasted text and lists findings by statement, worst first', async () => {
    const report: LintReport = {
      kind: 'resource',
      kindDetected: true,
      errors: 1,
      warnings: 1,
      infos: 0,
      findings: [
        { code: 'principal-wildcard', severity: 'warning', title: 'Everyone', statement: 1, sid: null, message: 'anyone', fix: 'name them' },
        { code: 'action-resource-mismatch', severity: 'error', title: 'Mismatch', statement: 1, sid: 'S1', message: 's3:PutObject applies to object', fix: 'add /*' },
      ],
    }
    const api = fakeApi({ policyLint: vi.fn(() => ok(report)) })
    render(PoliciesPage, { props: { api } })
    await fireEvent.click(screen.getByTestId('tab-lint'))
    await fireEvent.input(screen.getByTestId('lint-text'), { target: { value: '{"Statement": []}' } })
    const findings = await screen.findByTestId('lint-findings')
    expect(api.policyLint).toHaveBeenLastCalledWith('{"Statement": []}', null)
    const items = findings.querySelectorAll('li')
    expect(items[0].dataset.code).toBe('action-resource-mismatch')
    expect(items[0].textContent).toContain('Statement 1 (S1)')
    expect(screen.getByTestId('lint-summary').textContent).toContain('worked out from the document')
    expect(screen.queryByTestId('apply-review')).toBeNull()
  })
})

describe('helpers', () => {
  it('highlights JSON as tokens, keys apart from values', () => {
    const tokens = highlightJson('{"Effect": "Allow", "n": 1, "b": true}')
    expect(tokens.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['"Effect"', '"n"', '"b"'])
    expect(tokens.find((t) => t.kind === 'string')?.text).toBe('"Allow"')
    expect(tokens.map((t) => t.text).join('')).toBe('{"Effect": "Allow", "n": 1, "b": true}')
  })

  it('maps empty optional fields to null', () => {
    expect(toRequest('reader', { bucket: ' b ', prefix: '' }, null)).toEqual({
      template: 'reader',
      bucket: 'b',
      prefix: null,
      streamArn: null,
      kmsKeyArn: null,
    })
  })
})
