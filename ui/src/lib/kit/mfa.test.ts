import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
import ErrorNotice from './ErrorNotice.svelte'
import { cleanCode, mfaContext } from './mfa'

describe('cleanCode', () => {
  it('takes six digits, spaces allowed, and nothing else', () => {
    expect(cleanCode('123456')).toBe('123456')
    expect(cleanCode(' 123 456 ')).toBe('123456')
    expect(cleanCode('12345')).toBeNull()
    expect(cleanCode('12345a')).toBeNull()
    expect(cleanCode('1234567')).toBeNull()
  })
})

describe('the MFA field of an error', () => {
  it('sends the code back to the connection that asked for it', async () => {
    const send = vi.fn(async () => ({ status: 'ok' as const, data: null }))
    render(ErrorNotice, {
      props: { error: { kind: 'MfaRequired', message: 'MFA: the vendor trust requires MFA', mfaConnection: 'acme' } },
      context: mfaContext(send),
    })
    await fireEvent.input(screen.getByTestId('mfa-code'), { target: { value: '123 456' } })
    await fireEvent.click(screen.getByTestId('mfa-submit'))
    await vi.waitFor(() => expect(send).toHaveBeenCalledWith('123456', 'acme'))
    expect((await screen.findByTestId('mfa-answer')).textContent).toContain('Code accepted')
  })

  it('sends it for the source identity when no connection asked, and shows a refusal', async () => {
    const send = vi.fn(async () => ({
      status: 'error' as const,
      error: { kind: 'MfaRequired' as const, message: 'MFA: AWS refused the code' },
    }))
    render(ErrorNotice, {
      props: { error: { kind: 'MfaRequired', message: 'MFA: this key needs a code' } },
      context: mfaContext(send),
    })
    await fireEvent.input(screen.getByTestId('mfa-code'), { target: { value: '654321' } })
    await fireEvent.click(screen.getByTestId('mfa-submit'))
    await vi.waitFor(() => expect(send).toHaveBeenCalledWith('654321', null))
    expect((await screen.findByTestId('mfa-answer')).textContent).toContain('AWS refused the code')
  })

  it('has no code field for other errors', () => {
    render(ErrorNotice, {
      props: { error: { kind: 'AccessDenied', message: 'Access denied' } },
      context: mfaContext(vi.fn()),
    })
    expect(screen.queryByTestId('mfa-code')).toBeNull()
  })
})
