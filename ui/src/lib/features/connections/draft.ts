// The connection form's model (plain strings, as typed) and its conversions to and from
// what Rust sends and expects. Rust validates; this only shapes values.
import type { Connection, ConnectionDraft, ExternalIdChange, HandoverFields, SourceIdentity } from '../../ipc'

export type SourceKind = SourceIdentity['type']

/** How the ExternalId is handled on save. */
export type ExternalIdMode = 'none' | 'fromHandover' | 'keep' | 'set' | 'clear'

export interface ConnectionForm {
  name: string
  sourceKind: SourceKind
  profile: string
  accessKeyId: string
  secretAccessKey: string
  region: string
  roleArn: string
  sessionName: string
  durationSeconds: string
  displayName: string
  externalIdMode: ExternalIdMode
  externalId: string
  /** The vendor's trust requires MFA: AssumeRole carries this device and a code. */
  requiresMfa: boolean
  mfaSerial: string
  bucket: string
  prefix: string
  streamArn: string
}

export function emptyForm(): ConnectionForm {
  return {
    name: '',
    sourceKind: 'defaultChain',
    profile: '',
    accessKeyId: '',
    secretAccessKey: '',
    region: '',
    roleArn: '',
    sessionName: 'sluice',
    durationSeconds: '3600',
    displayName: '',
    externalIdMode: 'none',
    externalId: '',
    requiresMfa: false,
    mfaSerial: '',
    bucket: '',
    prefix: '',
    streamArn: '',
  }
}

/** A connection name suggested from what the handover says about the vendor. */
export function suggestName(fields: HandoverFields): string {
  const base = fields.displayName ?? fields.bucket ?? fields.roleArn?.split('/').pop() ?? 'vendor'
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 64) || 'vendor'
  )
}

export function formFromHandover(fields: HandoverFields): ConnectionForm {
  const hasKey = fields.accessKeyId !== null && fields.secretAccessKeyFound
  return {
    ...emptyForm(),
    name: suggestName(fields),
    sourceKind: hasKey ? 'accessKey' : 'defaultChain',
    accessKeyId: hasKey ? (fields.accessKeyId ?? '') : '',
    region: fields.region ?? '',
    roleArn: fields.roleArn ?? '',
    displayName: fields.displayName ?? '',
    externalIdMode: fields.externalIdFound ? 'fromHandover' : 'none',
    bucket: fields.bucket ?? '',
    prefix: fields.prefix ?? '',
    streamArn: fields.streamArn ?? '',
  }
}

export function formFromConnection(c: Connection): ConnectionForm {
  const source = c.source ?? { type: 'defaultChain' }
  return {
    ...emptyForm(),
    name: c.name,
    sourceKind: source.type,
    profile: source.type === 'profile' ? source.name : '',
    accessKeyId: source.type === 'accessKey' ? source.accessKeyId : '',
    region: c.region ?? '',
    roleArn: c.role?.roleArn ?? '',
    sessionName: c.role?.sessionName ?? 'sluice',
    durationSeconds: String(c.role?.durationSeconds ?? 3600),
    displayName: c.role?.displayName ?? '',
    externalIdMode: c.role?.hasExternalId ? 'keep' : 'none',
    requiresMfa: (c.role?.mfaSerial ?? null) !== null,
    mfaSerial: c.role?.mfaSerial ?? '',
    bucket: c.bucket ?? '',
    prefix: c.prefix ?? '',
    streamArn: c.streamArn ?? '',
  }
}

const opt = (s: string): string | null => (s.trim() === '' ? null : s.trim())

function sourceOf(form: ConnectionForm): SourceIdentity {
  switch (form.sourceKind) {
    case 'profile':
      return { type: 'profile', name: form.profile.trim() }
    case 'accessKey':
      return { type: 'accessKey', accessKeyId: form.accessKeyId.trim() }
    default:
      return { type: 'defaultChain' }
  }
}

function externalIdOf(form: ConnectionForm): ExternalIdChange {
  switch (form.externalIdMode) {
    case 'set':
      return { action: 'set', value: form.externalId }
    case 'clear':
      return { action: 'clear' }
    // 'fromHandover': Rust takes it from the pasted text; 'none'/'keep': nothing changes.
    default:
      return { action: 'keep' }
  }
}

export function draftFromForm(form: ConnectionForm): ConnectionDraft {
  const duration = Number.parseInt(form.durationSeconds, 10)
  return {
    name: form.name.trim(),
    source: sourceOf(form),
    secretAccessKey: form.sourceKind === 'accessKey' && form.secretAccessKey !== '' ? form.secretAccessKey : null,
    region: opt(form.region),
    roleArn: opt(form.roleArn),
    sessionName: opt(form.sessionName),
    durationSeconds: Number.isFinite(duration) ? duration : null,
    displayName: opt(form.displayName),
    externalId: externalIdOf(form),
    mfaSerial: form.requiresMfa ? opt(form.mfaSerial) : null,
    bucket: opt(form.bucket),
    prefix: opt(form.prefix),
    streamArn: opt(form.streamArn),
  }
}
