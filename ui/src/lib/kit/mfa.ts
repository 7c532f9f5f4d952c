// The MFA code an error asks for: the shell provides how to send it (the `mfa_sign_in`
// command), ErrorNotice shows the field wherever a call failed for want of a code.
import { getContext, setContext } from 'svelte'
import type { IpcError, Result } from '../ipc'

/** Sends the code for what asked (`connection`: the error's `mfaConnection`; absent: the source identity). */
export type SendMfaCode = (code: string, connection: string | null) => Promise<Result<null, IpcError>>

const KEY = Symbol('sluice.mfa')

export function provideMfa(send: SendMfaCode): void {
  setContext(KEY, send)
}

/** The context that provides `send` (for mounting a component on its own, as tests do). */
export function mfaContext(send: SendMfaCode): Map<symbol, SendMfaCode> {
  return new Map([[KEY, send]])
}

export function mfaSender(): SendMfaCode | undefined {
  return getContext<SendMfaCode | undefined>(KEY)
}

/** Six digits, as the device shows them (spaces allowed). */
export function cleanCode(text: string): string | null {
  const digits = text.replace(/\s+/g, '')
  return /^\d{6}$/.test(digits) ? digits : null
}
