// State for the Browse section: where we are (connection, bucket, prefix), what is listed
// (page by page, or a date range), filter and sort, the selection, and the open object's
// details and preview. Talks to Rust only through a BrowseApi; tests pass a fake.
import { SvelteSet } from 'svelte/reactivity'
import {
  commands,
  startDownload,
  type Connection,
  type DownloadItem,
  type DownloadRequest,
  type DownloadSummary,
  type IpcError,
  type JobEvent,
  type ListPage,
  type ObjectDetails,
  type ObjectEntry,
  type Preview,
  type RangeListing,
  type Result,
} from '../../ipc'

export interface BrowseApi {
  listConnections(): Promise<Result<Connection[], IpcError>>
  s3List(connection: string | null, bucket: string, prefix: string, token: string | null): Promise<Result<ListPage, IpcError>>
  s3ListRange(connection: string | null, bucket: string, prefix: string, from: string, to: string): Promise<Result<RangeListing, IpcError>>
  s3Preview(connection: string | null, bucket: string, key: string, rows: number | null): Promise<Result<Preview, IpcError>>
  s3ObjectDetails(connection: string | null, bucket: string, key: string): Promise<Result<ObjectDetails, IpcError>>
  s3PlanDownload(request: DownloadRequest): Promise<Result<DownloadItem[], IpcError>>
  startDownload(request: DownloadRequest, onEvent: (e: JobEvent) => void): Promise<Result<DownloadSummary, IpcError>>
  cancelJob(job: number): Promise<Result<boolean, IpcError>>
  defaultDownloadDir(): Promise<Result<string, IpcError>>
  chooseDownloadDir(current: string | null): Promise<Result<string | null, IpcError>>
}

export const ipcBrowseApi: BrowseApi = { ...commands, startDownload }

import { call } from '../../ipc'
export { call }

export type Entry = { kind: 'folder'; prefix: string; name: string } | { kind: 'object'; object: ObjectEntry; name: string }
export type SortKey = 'name' | 'size' | 'date'

/** The last path segment of a key or prefix. */
export function baseName(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) + (path.endsWith('/') ? '/' : '')
}

/** Breadcrumb steps for a prefix: [{label, prefix}], starting at the bucket root. */
export function crumbs(bucket: string, prefix: string): { label: string; prefix: string }[] {
  const out = [{ label: bucket, prefix: '' }]
  let acc = ''
  for (const part of prefix.split('/').filter((p) => p !== '')) {
    acc += `${part}/`
    out.push({ label: part, prefix: acc })
  }
  return out
}

export function formatSize(value: number | null): string {
  const bytes = value ?? 0
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** Folders first, then objects; filtered by name (case-insensitive) and sorted. */
export function arrange(folders: string[], objects: ObjectEntry[], filter: string, sort: SortKey, desc: boolean): Entry[] {
  const f = filter.trim().toLowerCase()
  const match = (name: string) => f === '' || name.toLowerCase().includes(f)
  const dirs: Entry[] = folders.map((p) => ({ kind: 'folder' as const, prefix: p, name: baseName(p) })).filter((e) => match(e.name))
  const files: Entry[] = objects.map((o) => ({ kind: 'object' as const, object: o, name: baseName(o.key) })).filter((e) => match(e.name))
  const value = (e: Entry): string | number => {
    if (e.kind === 'folder') return e.name
    if (sort === 'size') return e.object.size ?? 0
    if (sort === 'date') return e.object.lastModified ?? ''
    return e.name
  }
  const cmp = (a: Entry, b: Entry) => {
    const va = value(a)
    const vb = value(b)
    const r = va < vb ? -1 : va > vb ? 1 : 0
    return desc ? -r : r
  }
  return [...dirs.sort(cmp), ...files.sort(cmp)]
}

export class BrowseStore {
  connections = $state<Connection[]>([])
  connection = $state<string | null>(null)
  bucket = $state('')
  prefix = $state('')
  folders = $state<string[]>([])
  objects = $state<ObjectEntry[]>([])
  nextToken = $state<string | null>(null)
  layout = $state<ListPage['layout']>(null)
  range = $state<RangeListing | null>(null)
  loading = $state(false)
  error = $state<IpcError | null>(null)
  filter = $state('')
  sort = $state<SortKey>('name')
  desc = $state(false)
  selected = new SvelteSet<string>()
  details = $state<ObjectDetails | null>(null)
  preview = $state<Preview | null>(null)
  previewError = $state<IpcError | null>(null)
  previewing = $state(false)
  /** The preview takes the whole width (the list is hidden) until toggled back or Escape. */
  previewFull = $state(false)

  readonly api: BrowseApi
  constructor(api: BrowseApi = ipcBrowseApi) {
    this.api = api
  }

  entries = $derived(arrange(this.folders, this.objects, this.filter, this.sort, this.desc))

  async loadConnections(): Promise<void> {
    const r = await call(() => this.api.listConnections())
    if (r.status === 'ok') this.connections = r.data
  }

  /** Picks a connection and jumps to its bucket and prefix. */
  async useConnection(name: string | null): Promise<void> {
    this.connection = name
    const c = this.connections.find((x) => x.name === name)
    if (c?.bucket) await this.open(c.bucket, c.prefix ?? '')
  }

  async open(bucket: string, prefix: string): Promise<void> {
    this.bucket = bucket.trim()
    this.prefix = prefix
    this.folders = []
    this.objects = []
    this.nextToken = null
    this.range = null
    this.selected.clear()
    this.details = null
    this.preview = null
    this.previewError = null
    this.previewFull = false
    if (this.bucket === '') return
    await this.#page(null)
  }

  async #page(token: string | null): Promise<void> {
    this.loading = true
    const r = await call(() => this.api.s3List(this.connection, this.bucket, this.prefix, token))
    this.loading = false
    if (r.status === 'error') {
      this.error = r.error
      return
    }
    this.error = null
    this.folders = token ? [...this.folders, ...r.data.folders] : r.data.folders
    this.objects = token ? [...this.objects, ...r.data.objects] : r.data.objects
    this.nextToken = r.data.nextToken
    this.layout = r.data.layout ?? this.layout
  }

  /** The next page, if there is one and none is loading (called on scroll). */
  async loadMore(): Promise<void> {
    if (this.nextToken && !this.loading && !this.range) await this.#page(this.nextToken)
  }

  async enter(prefix: string): Promise<void> {
    await this.open(this.bucket, prefix)
  }

  async listRange(from: string, to: string): Promise<void> {
    this.loading = true
    const r = await call(() => this.api.s3ListRange(this.connection, this.bucket, this.prefix, from, to))
    this.loading = false
    if (r.status === 'error') {
      this.error = r.error
      return
    }
    this.error = null
    this.range = r.data
    this.folders = []
    this.objects = r.data.objects
    this.nextToken = null
  }

  async clearRange(): Promise<void> {
    await this.open(this.bucket, this.prefix)
  }

  async show(key: string): Promise<void> {
    this.previewing = true
    this.preview = null
    this.previewError = null
    const [d, p] = await Promise.all([
      call(() => this.api.s3ObjectDetails(this.connection, this.bucket, key)),
      call(() => this.api.s3Preview(this.connection, this.bucket, key, 100)),
    ])
    this.details = d.status === 'ok' ? d.data : null
    if (p.status === 'ok') this.preview = p.data
    else this.previewError = p.error
    if (d.status === 'error' && p.status === 'ok') this.previewError = d.error
    this.previewing = false
  }

  toggle(key: string): void {
    if (this.selected.has(key)) this.selected.delete(key)
    else this.selected.add(key)
  }
}
