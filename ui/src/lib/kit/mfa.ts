// The MFA code an error asks for: the shell provides how to send it (the `mfa_sign_in`
// command), ErrorNotice shows the field wherever a call failed for want of a code.
import { getContext, setContext } from 'svelte'
import type { IpcError, Result } from '../ipc'

export type SendMfaCode = (code: string) => Promise<Result<null, IpcError>>

const KEY = Symbol('sluice.mfa')

export function provideMfa(send: SendMfaCode): void {
  setContext(KEY, send)
}

export function mfaSender(): SendMfaCode | undefined {
  return getContext<SendMfaCode | undefined>(KEY)
}

/** Six digits, as the device shows them (spaces allowed). */
export function cleanCode(text: string): string | null {
  const digits = text.replace(/\s+/g, '')
  return /^\d{6}$/.test(digits) ? digits : null
}
