// The app's sections, in navigation order. Each names what it is for, so an empty section
// can tell the user what it will hold and what to do first.
export type SectionId =
  | 'connections'
  | 'policies'
  | 'setup'
  | 'browse'
  | 'streams'
  | 'reports'
  | 'tools'

export interface Section {
  id: SectionId
  label: string
  summary: string
}

export const SECTIONS: readonly Section[] = [
  {
    id: 'connections',
    label: 'Connections',
    summary: 'Who you are in AWS and how Sluice reaches the vendor data.',
  },
  {
    id: 'policies',
    label: 'Policies',
    summary: 'Generate, lint and apply least-privilege IAM policies.',
  },
  {
    id: 'setup',
    label: 'Setup',
    summary: 'Create a secure bucket, an IAM user and its access key, validate and tear down.',
  },
  {
    id: 'browse',
    label: 'Browse',
    summary: 'S3 prefixes and date partitions, with table previews of gzipped CSV and JSONL.',
  },
  {
    id: 'streams',
    label: 'Streams',
    summary: 'Kinesis records from any position, decoded into columns.',
  },
  {
    id: 'reports',
    label: 'Reports',
    summary: 'Pick a date range and machines, get one clean CSV report.',
  },
  {
    id: 'tools',
    label: 'Tools',
    summary: 'Repair downloads whose .gz name lies, and other file fixes.',
  },
]
