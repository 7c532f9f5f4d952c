// The UI's only door to Rust. Components and stores import from here, never from
// @tauri-apps/* or from the generated bindings directly, so the IPC surface is one place.
export { commands } from './bindings'
import { Channel } from '@tauri-apps/api/core'
import { commands as generated } from './bindings'
import type { AthenaJobEvent, AthenaTarget, DownloadRequest, JobEvent, PublishJobEvent, PublishRequest, ReportJobEvent, ReportSpec, SinkSpec, StepEvent, TailEvent, TailRequest } from './bindings'

/** Starts a download; progress events arrive on `onEvent` (a Tauri channel underneath). */
export function startDownload(request: DownloadRequest, onEvent: (event: JobEvent) => void) {
  const channel = new Channel<JobEvent>()
  channel.onmessage = onEvent
  return generated.s3Download(request, channel)
}
/** Applies a destination setup; each step's progress arrives on `onEvent`. */
export function startSetup(spec: SinkSpec, onEvent: (event: StepEvent) => void) {
  const channel = new Channel<StepEvent>()
  channel.onmessage = onEvent
  return generated.setupApply(spec, channel)
}

/** Follows a stream until its job is cancelled; batches arrive on `onEvent`. */
export function startTail(request: TailRequest, onEvent: (event: TailEvent) => void) {
  const channel = new Channel<TailEvent>()
  channel.onmessage = onEvent
  return generated.streamTail(request, channel)
}

/** Runs a report into `output`; progress (with the job id for cancel) arrives on `onEvent`. */
export function startReport(spec: ReportSpec, output: string, replace: boolean, onEvent: (event: ReportJobEvent) => void) {
  const channel = new Channel<ReportJobEvent>()
  channel.onmessage = onEvent
  return generated.reportRun(spec, output, replace, channel)
}

/** Reads a report's range for coverage only. */
export function startCoverage(spec: ReportSpec, onEvent: (event: ReportJobEvent) => void) {
  const channel = new Channel<ReportJobEvent>()
  channel.onmessage = onEvent
  return generated.reportCoverage(spec, channel)
}

/** Publishes files to Kinesis; statistics and events (with the job id for cancel) arrive on `onEvent`. */
export function startPublish(request: PublishRequest, onEvent: (event: PublishJobEvent) => void) {
  const channel = new Channel<PublishJobEvent>()
  channel.onmessage = onEvent
  return generated.publishSend(request, channel)
}

/** Runs a report on Athena; query progress (with the job id for cancel) arrives on `onEvent`. */
export function startAthena(spec: ReportSpec, target: AthenaTarget, output: string, replace: boolean, onEvent: (event: AthenaJobEvent) => void) {
  const channel = new Channel<AthenaJobEvent>()
  channel.onmessage = onEvent
  return generated.athenaRun(spec, target, output, replace, channel)
}

// Every generated type, as generated: a new one needs no line here.
export type * from './bindings'

import type { IpcError } from './bindings'

/** What every generated command resolves to: its data, or its typed error. */
export type Result<T, E> = { status: 'ok'; data: T } | { status: 'error'; error: E }

export type ErrorKind = IpcError['kind']

/** A short heading for each error kind; the message from Rust carries the details. */
export const ERROR_TITLES: Record<ErrorKind, string> = {
  NoCredentials: 'No credentials',
  AccessDenied: 'Access denied',
  ExpiredToken: 'Session expired',
  NotFound: 'Not found',
  Throttled: 'Slow down',
  Network: 'Cannot reach AWS',
  InvalidInput: 'Check your input',
  Service: 'AWS error',
  Keyring: 'OS keyring problem',
  Settings: 'Settings problem',
  File: 'Could not write the file',
  Cancelled: 'Cancelled',
  SignIn: 'Sign in to IAM Identity Center',
  MfaRequired: 'MFA code needed',
  Internal: 'Unexpected error',
}

/** Runs a command and never throws: framework failures become IpcErrors too. */
export async function call<T>(run: () => Promise<Result<T, IpcError>>): Promise<Result<T, IpcError>> {
  try {
    return await run()
  } catch (e) {
    return { status: 'error', error: toIpcError(e) }
  }
}

/** Turns anything a rejected call may throw (e.g. a framework failure) into an IpcError. */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    return e as IpcError
  }
  return { kind: 'Internal', message: e instanceof Error ? e.message : String(e) }
}
