import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, within } from '@testing-library/svelte'
import SetupPage from './SetupPage.svelte'
import { toSpec, type SetupApi } from './setup.svelte'
import type { AuditReport, SetupPlan, StepEvent } from '../../ipc'

const ok = <T>(data: T) => Promise.resolve({ status: 'ok' as const, data })
const plan: SetupPlan = {
  bucket: 'strm-export',
  prefix: 'events',
  suffix: '.jsonl',
  user: 'strm-export-demo',
  region: 'us-east-1',
  encryption: { kind: 'sseS3' },
  policyName: 'sluice-sink-writer-strm-export',
  steps: [
    { id: 'bucket', title: 'Create bucket strm-export in us-east-1', action: 's3:CreateBucket', resource: 'arn:aws:s3:::strm-export', state: 'done', detail: null, note: 'The bucket exists: it is adopted, not created.' },
    { id: 'user-policy', title: 'Inline policy', action: 'iam:PutUserPolicy', resource: 'user/sluice/strm-export-demo', state: 'toDo', detail: '{"Version": "2012-10-17"}', note: null },
    { id: 'validate', title: 'Validate with the new key', action: 's3:PutObject', resource: 'arn:aws:s3:::strm-export/events/', state: 'toDo', detail: null, note: null },
  ],
  warnings: [],
}
const validation = {
  accessKeyId: 'AKIANEWKEY0000000001',
  objectKey: 'events/.strm_test_x.jsonl',
  write: { passed: true, detail: 'wrote an empty s3://strm-export/events/.strm_test_x.jsonl' },
  listDenied: { passed: true, detail: 'listing the bucket is denied, as the policy intends' },
  passed: true,
}
const audit: AuditReport = {
  bucket: 'weak-bucket',
  account: '123456789012',
  passed: 1,
  warnings: 0,
  failed: 1,
  checks: [
    { id: 'encryption', title: 'Default encryption', status: 'pass', detail: 'AES256 (SSE-S3)', fix: null, fixLabel: null },
    { id: 'tls-only', title: 'Requests without TLS refused', status: 'fail', detail: 'nothing refuses plain HTTP', fix: 'tls-only', fixLabel: 'Add a statement that refuses requests without TLS' },
  ],
}

function fakeApi(): SetupApi {
  return {
    setupPlan: vi.fn(() => ok(plan)),
    startSetup: vi.fn((_spec, onEvent: (e: StepEvent) => void) => {
      onEvent({ id: 'bucket', title: 'Create bucket', state: 'skipped', detail: null })
      onEvent({ id: 'user-policy', title: 'Inline policy', state: 'done', detail: null })
      onEvent({ id: 'validate', title: 'Validate', state: 'done', detail: 'wrote it; listing denied' })
      return ok({ plan, accessKeyId: 'AKIANEWKEY0000000001', keyCreated: true, validation })
    }),
    setupValidate: vi.fn(() => ok(validation)),
    setupRotate: vi.fn(() => ok({ oldKey: 'AKIANEWKEY0000000001', newKey: 'AKIANEWKEY0000000002', validation })),
    setupTeardown: vi.fn((_u, _d, _e, apply: boolean) =>
      ok({ steps: ['delete access key AKIANEWKEY0000000001', 'delete IAM user strm-export-demo'], bucketContents: null, applied: apply }),
    ),
    setupSaveCredentials: vi.fn(() => ok('/home/me/s3.json')),
    setupSaveCredentialsTo: vi.fn((_u: string, path: string) => ok(path)),
    auditBucket: vi.fn(() => ok(audit)),
    auditFix: vi.fn(() => ok({ ...audit, passed: 2, failed: 0, checks: audit.checks.map((c) => ({ ...c, status: 'pass' as const, fix: null })) })),
    auditSaveCsv: vi.fn(() => ok('/home/me/weak-bucket-audit.csv')),
  }
}

describe('Setup: a destination', () => {
  it('reviews the plan, applies after confirmation with progress, and offers what comes next', async () => {
    const api = fakeApi()
    render(SetupPage, { props: { api } })
    const review = screen.getByTestId('setup-review') as HTMLButtonElement
    expect(review.disabled).toBe(true)
    await fireEvent.input(screen.getByTestId('setup-bucket'), { target: { value: 'strm-export' } })
    await fireEvent.input(screen.getByTestId('setup-prefix'), { target: { value: 'events' } })
    await fireEvent.input(screen.getByTestId('setup-user'), { target: { value: 'strm-export-demo' } })
    await fireEvent.click(review)
    const planned = await screen.findByTestId('setup-plan')
    expect(api.setupPlan).toHaveBeenCalledWith({
      bucket: 'strm-export', prefix: 'events', suffix: '.jsonl', user: 'strm-export-demo', region: null, kmsKeyArn: null, tlsOnly: true,
    })
    expect(within(planned).getByText('already done')).toBeTruthy()
    await fireEvent.click(screen.getByTestId('setup-apply'))
    expect(api.startSetup).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByTestId('confirm'))
    expect((await screen.findByTestId('setup-key-id')).textContent).toBe('AKIANEWKEY0000000001')
    expect(screen.getByTestId('setup-validation').dataset.passed).toBe('true')
    expect(planned.querySelector('[data-step=validate]')?.getAttribute('data-state')).toBe('done')
    await fireEvent.click(screen.getByTestId('setup-save-credentials'))
    expect((await screen.findByTestId('setup-message')).textContent).toContain('/home/me/s3.json')
    await fireEvent.click(screen.getByTestId('setup-teardown'))
    expect(api.setupTeardown).toHaveBeenLastCalledWith('strm-export-demo', false, false, false)
    expect(await screen.findByText('delete IAM user strm-export-demo')).toBeTruthy()
    await fireEvent.click(screen.getByTestId('confirm'))
    expect(api.setupTeardown).toHaveBeenLastCalledWith('strm-export-demo', false, false, true)
  })

  it('maps empty optional fields to null', () => {
    expect(toSpec({ bucket: ' b ', prefix: ' ', suffix: '', user: 'u', region: '', kmsKeyArn: '', tlsOnly: false })).toEqual({
      bucket: 'b', prefix: null, suffix: null, user: 'u', region: null, kmsKeyArn: null, tlsOnly: false,
    })
  })
})

describe('Setup: audit', () => {
  it('shows the scorecard and applies a chosen fix only after confirmation', async () => {
    const api = fakeApi()
    render(SetupPage, { props: { api } })
    await fireEvent.click(screen.getByTestId('tab-audit'))
    await fireEvent.input(screen.getByTestId('audit-bucket'), { target: { value: 'weak-bucket' } })
    await fireEvent.click(screen.getByTestId('audit-run'))
    const card = await screen.findByTestId('audit-scorecard')
    expect(card.querySelector('[data-check=tls-only]')?.getAttribute('data-status')).toBe('fail')
    await fireEvent.click(screen.getByTestId('audit-fix-tls-only'))
    await fireEvent.click(screen.getByTestId('audit-apply-fixes'))
    expect(api.auditFix).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByTestId('confirm'))
    expect(api.auditFix).toHaveBeenCalledWith('weak-bucket', ['tls-only'])
    expect((await screen.findByTestId('audit-summary')).textContent).toContain('0 failed')
  })
})
