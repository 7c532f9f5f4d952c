import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import CodeView from './CodeView.svelte'
import type { CodeApi, CodeSource } from './code.svelte'
import type { CodeRequest } from '../../ipc'

const ok = <T>(data: T) => Promise.resolve({ status: 'ok' as const, data })

function fakeApi() {
  const api: CodeApi = {
    codeGenerate: vi.fn((r: CodeRequest) =>
      ok({
        format: r.format,
        fileName: r.format === 'terraform' ? 'sluice-sink-writer.tf' : 'sluice-sink-writer.yaml',
        text: r.format === 'terraform' ? `resource "aws_iam_${r.kind === 'policy' ? r.attach : 'user'}_policy"` : 'Type: "AWS::IAM::Policy"',
      }),
    ),
    codeSaveAs: vi.fn(() => ok('/home/you/sluice-sink-writer.tf')),
  }
  return api
}

const policy: CodeSource = {
  kind: 'policy',
  request: { template: 'sinkWriter', bucket: 'strm-export', prefix: 'events', suffix: null },
  identity: true,
}

describe('the Code view', () => {
  it('renders Terraform first, follows the language and the attachment, and saves through the dialog', async () => {
    const api = fakeApi()
    render(CodeView, { source: policy, api })
    expect(await screen.findByText('resource "aws_iam_user_policy"')).toBeTruthy()
    await fireEvent.change(screen.getByTestId('code-attach'), { target: { value: 'role' } })
    expect(await screen.findByText('resource "aws_iam_role_policy"')).toBeTruthy()
    await fireEvent.click(screen.getByTestId('code-format-cloudformation'))
    expect(await screen.findByText('Type: "AWS::IAM::Policy"')).toBeTruthy()
    const last = vi.mocked(api.codeGenerate).mock.calls.at(-1)?.[0]
    expect(last).toEqual({ kind: 'policy', request: policy.kind === 'policy' ? policy.request : null, format: 'cloudformation', attach: 'role' })
    await fireEvent.click(screen.getByTestId('code-save-as'))
    expect(vi.mocked(api.codeSaveAs).mock.calls[0][1]).toBe('sluice-sink-writer.yaml')
    expect(await screen.findByText(/sluice-sink-writer\.tf/)).toBeTruthy()
  })

  it('asks for imports on a destination and shows what Rust refused', async () => {
    const api = fakeApi()
    api.codeGenerate = vi.fn((r: CodeRequest) =>
      r.kind === 'setup' && r.import
        ? Promise.resolve({ status: 'error' as const, error: { kind: 'InvalidInput' as const, message: "import: Sluice has set up no destination for 'w'" } })
        : ok({ format: r.format, fileName: 'sluice-destination-b.tf', text: 'resource "aws_s3_bucket" "destination"' }),
    )
    render(CodeView, {
      source: { kind: 'setup', spec: { bucket: 'b', prefix: null, suffix: null, user: 'w', region: null, kmsKeyArn: null, tlsOnly: true } },
      api,
    })
    expect(await screen.findByText('resource "aws_s3_bucket" "destination"')).toBeTruthy()
    expect(screen.queryByTestId('code-attach')).toBeNull()
    await fireEvent.click(screen.getByTestId('code-import'))
    expect(await screen.findByText(/no destination for 'w'/)).toBeTruthy()
  })
})
