// The policy templates as the form shows them: labels, fields and hints, and the mapping from
// what the user typed to the typed request Rust validates and builds.
import type { PolicyKind, TemplateRequest } from '../../ipc'

export type TemplateId = TemplateRequest['template']

export interface FieldSpec {
  key: string
  label: string
  placeholder: string
  required: boolean
  hint?: string
}

export interface TemplateSpec {
  id: TemplateId
  label: string
  summary: string
  kind: PolicyKind
  fields: FieldSpec[]
}

const bucket: FieldSpec = { key: 'bucket', label: 'Bucket', placeholder: 'my-data-bucket', required: true }
const prefix: FieldSpec = {
  key: 'prefix',
  label: 'Prefix',
  placeholder: 'events (optional)',
  required: false,
  hint: 'A folder in the bucket; leave empty for the whole bucket.',
}
const streamArn: FieldSpec = {
  key: 'streamArn',
  label: 'Stream ARN',
  placeholder: 'arn:aws:kinesis:eu-west-1:123456789012:stream/name',
  required: true,
}

export const TEMPLATES: readonly TemplateSpec[] = [
  {
    id: 'sinkWriter',
    label: 'Sink writer',
    summary: 'A vendor writes batch files into your bucket (Stream Machine): find the region, put *.jsonl under a prefix.',
    kind: 'identity',
    fields: [bucket, prefix, { key: 'suffix', label: 'File ending', placeholder: '.jsonl', required: false }],
  },
  {
    id: 'reader',
    label: 'Reader',
    summary: 'Read a bucket prefix and, optionally, a Kinesis stream and a KMS key.',
    kind: 'identity',
    fields: [
      bucket,
      prefix,
      { ...streamArn, required: false, placeholder: 'arn:aws:kinesis:… (optional)' },
      { key: 'kmsKeyArn', label: 'KMS key ARN', placeholder: 'arn:aws:kms:…:key/… (optional)', required: false },
    ],
  },
  {
    id: 'producer',
    label: 'Kinesis producer',
    summary: 'Put records into one stream (DataMiner connector).',
    kind: 'identity',
    fields: [streamArn],
  },
  {
    id: 'athenaReader',
    label: 'Athena reader',
    summary: 'Run report queries in one Athena workgroup over one table: data prefix read, results read and write.',
    kind: 'identity',
    fields: [
      { key: 'account', label: 'Account', placeholder: '123456789012', required: true },
      { key: 'region', label: 'Region', placeholder: 'eu-west-1', required: true },
      { key: 'workgroup', label: 'Workgroup', placeholder: 'primary', required: true },
      { key: 'database', label: 'Database', placeholder: 'telemetry', required: true },
      { key: 'table', label: 'Table', placeholder: 'machinemetrics', required: true },
      { key: 'data', label: 'Data location', placeholder: 's3://vendor-data/timeseries/', required: true },
      { key: 'results', label: 'Result location', placeholder: 's3://athena-results/sluice/', required: true },
    ],
  },
  {
    id: 'assumeRole',
    label: 'Assume role',
    summary: "A customer's inline policy: sts:AssumeRole on the vendor's role.",
    kind: 'identity',
    fields: [
      {
        key: 'roleArn',
        label: 'Role ARN',
        placeholder: 'arn:aws:iam::352302322568:role/the-data-access-role',
        required: true,
      },
    ],
  },
  {
    id: 'trust',
    label: 'Trust (vendor role)',
    summary: "Who may assume your role, with an sts:ExternalId condition against the confused deputy.",
    kind: 'trust',
    fields: [
      {
        key: 'principal',
        label: 'Trusted account or ARN',
        placeholder: '123456789012 or arn:aws:iam::123456789012:role/name',
        required: true,
      },
    ],
  },
  {
    id: 'bucketPolicy',
    label: 'Bucket policy',
    summary: 'Deny every request without TLS; optionally let one reader list and read.',
    kind: 'resource',
    fields: [
      bucket,
      {
        key: 'readerPrincipal',
        label: 'Reader',
        placeholder: 'account id or IAM ARN (optional)',
        required: false,
      },
    ],
  },
]

export function templateSpec(id: TemplateId): TemplateSpec {
  return TEMPLATES.find((t) => t.id === id) ?? TEMPLATES[0]
}

const opt = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : null)

/** The first required field left empty, if any. */
export function missingField(id: TemplateId, values: Record<string, string>): string | null {
  const missing = templateSpec(id).fields.find((f) => f.required && !opt(values[f.key]))
  return missing ? missing.label : null
}

/** The typed request for Rust; `externalIdName` is the keyring entry a trust policy requires. */
export function toRequest(id: TemplateId, values: Record<string, string>, externalIdName: string | null): TemplateRequest {
  const v = (k: string) => values[k]?.trim() ?? ''
  switch (id) {
    case 'assumeRole':
      return { template: id, roleArn: v('roleArn') }
    case 'trust':
      return { template: id, principal: v('principal'), externalIdName }
    case 'sinkWriter':
      return { template: id, bucket: v('bucket'), prefix: opt(values.prefix), suffix: opt(values.suffix) }
    case 'reader':
      return {
        template: id,
        bucket: v('bucket'),
        prefix: opt(values.prefix),
        streamArn: opt(values.streamArn),
        kmsKeyArn: opt(values.kmsKeyArn),
      }
    case 'producer':
      return { template: id, streamArn: v('streamArn') }
    case 'athenaReader':
      return {
        template: id,
        account: v('account'),
        region: v('region'),
        workgroup: v('workgroup'),
        database: v('database'),
        table: v('table'),
        data: v('data'),
        results: v('results'),
      }
    case 'bucketPolicy':
      return { template: id, bucket: v('bucket'), readerPrincipal: opt(values.readerPrincipal) }
  }
}
