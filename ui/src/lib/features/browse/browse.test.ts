import { beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import BrowsePage from './BrowsePage.svelte'
import { arrange, crumbs, formatSize, BrowseStore, type BrowseApi } from './browse.svelte'
import type { ListPage, ObjectEntry, Preview } from '../../ipc'

const ok = <T,>(data: T) => Promise.resolve({ status: 'ok' as const, data })
const obj = (key: string, size = 10, lastModified = '2020-09-21T10:45:04Z'): ObjectEntry => ({
  key,
  size,
  lastModified,
  storageClass: 'STANDARD',
  etag: 'abc',
  name: null,
})

const preview: Preview = {
  bucket: 'mm-data',
  key: 'timeseries/year=2020/month=09/day=21/hour=10/a.gz',
  size: 100,
  contentType: null,
  contentEncoding: null,
  container: 'gzip',
  content: 'csv',
  table: { columns: ['eventTime', 'machineRef'], rows: [['2020-09-21 10:00:00.000', '1013']], columnSource: 'machineMetrics', invalidLines: 0 },
  bytesRead: 100,
  complete: true,
  note: null,
  name: null,
}

function fakeApi(pages: Record<string, ListPage[]>): BrowseApi {
  return {
    listConnections: vi.fn(() => ok([])),
    s3List: vi.fn((_c, bucket, prefix, token) => {
      const list = pages[prefix] ?? [{ bucket, prefix, folders: [], objects: [], nextToken: null, layout: null }]
      return ok(list[token ? Number(token) : 0])
    }),
    s3ListRange: vi.fn(() => ok({ objects: [obj('timeseries/year=2020/month=09/day=21/hour=10/a.gz')], prefixes: ['p1', 'p2'], listCalls: 3, layout: 'hive' as const })),
    s3Preview: vi.fn(() => ok(preview)),
    s3ObjectDetails: vi.fn((_c, bucket, key) =>
      ok({ bucket, key, size: 100, lastModified: null, storageClass: 'STANDARD', contentType: null, contentEncoding: null, etag: 'e', s3Uri: `s3://${bucket}/${key}`, consoleUrl: 'https://console' }),
    ),
    s3PlanDownload: vi.fn(() => ok([{ key: 'a', size: 10, relativePath: 'a', exists: true }])),
    startDownload: vi.fn((_r, onEvent) => {
      onEvent({ job: 1, event: { event: 'finished', key: 'a', outcome: { kind: 'skipped', path: '/d/a' } } })
      return ok({ written: 0, skipped: 1, failed: 0, cancelled: false, bytes: 0, outcomes: [['a', { kind: 'skipped' as const, path: '/d/a' }]] as [string, { kind: 'skipped'; path: string }][] })
    }),
    cancelJob: vi.fn(() => ok(true)),
    defaultDownloadDir: vi.fn(() => ok('/home/me/Downloads/sluice')),
    chooseDownloadDir: vi.fn(() => ok('/data/vendor')),
  }
}

const page = (prefix: string, folders: string[], objects: ObjectEntry[], nextToken: string | null = null, layout: ListPage['layout'] = null): ListPage => ({
  bucket: 'mm-data',
  prefix,
  folders,
  objects,
  nextToken,
  layout,
})

describe('browse helpers', () => {
  it('arranges folders first, filters and sorts', () => {
    const entries = arrange(['p/b/', 'p/a/'], [obj('p/z.csv', 5), obj('p/y.csv', 50)], '', 'size', true)
    expect(entries.map((e) => e.name)).toEqual(['b/', 'a/', 'y.csv', 'z.csv'])
    expect(arrange([], [obj('p/z.csv'), obj('p/Y.csv')], 'y', 'name', false).map((e) => e.name)).toEqual(['Y.csv'])
  })

  it('builds breadcrumbs and sizes', () => {
    expect(crumbs('b', 'x/y/')).toEqual([
      { label: 'b', prefix: '' },
      { label: 'x', prefix: 'x/' },
      { label: 'y', prefix: 'x/y/' },
    ])
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(223658)).toBe('218 KiB')
    expect(formatSize(null)).toBe('0 B')
  })

  it('loads the next page on demand and keeps what it had', async () => {
    const store = new BrowseStore(fakeApi({ 'p/': [page('p/', [], [obj('p/1')], '1'), page('p/', [], [obj('p/2')], null)] }))
    await store.open('mm-data', 'p/')
    expect(store.objects.length).toBe(1)
    await store.loadMore()
    expect(store.objects.map((o) => o.key)).toEqual(['p/1', 'p/2'])
    await store.loadMore()
    expect(store.objects.length).toBe(2)
  })
})

describe('BrowsePage', () => {
  it('opens a bucket, steps into a partition and previews a file', async () => {
    const api = fakeApi({
      '': [page('', ['timeseries/'], [])],
      'timeseries/': [page('timeseries/', ['timeseries/year=2020/'], [], null, 'hive')],
      'timeseries/year=2020/': [page('timeseries/year=2020/', [], [obj('timeseries/year=2020/month=09/day=21/hour=10/a.gz')])],
    })
    render(BrowsePage, { props: { api } })
    await fireEvent.input(screen.getByTestId('browse-bucket'), { target: { value: 'mm-data' } })
    await fireEvent.click(screen.getByTestId('browse-open'))
    await fireEvent.click(await screen.findByText(/timeseries\//))
    expect(await screen.findByTestId('range-form')).toBeTruthy()
    await fireEvent.click(await screen.findByText(/year=2020\//))
    await fireEvent.click(await screen.findByText('a.gz'))
    const table = await screen.findByTestId('preview-table')
    expect(within(table).getByText('1013')).toBeTruthy()
    expect(screen.getByTestId('preview-summary').textContent).toContain('MachineMetrics columns')
    expect(api.s3Preview).toHaveBeenCalledWith(null, 'mm-data', 'timeseries/year=2020/month=09/day=21/hour=10/a.gz', 100)
  })

  it('renders only the visible rows of 100,000 entries', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => obj(`big/${String(i).padStart(6, '0')}.jsonl`))
    render(BrowsePage, { props: { api: fakeApi({ 'big/': [page('big/', [], many)] }) } })
    await fireEvent.input(screen.getByTestId('browse-bucket'), { target: { value: 'mm-data' } })
    await fireEvent.input(screen.getByPlaceholderText('timeseries/'), { target: { value: 'big/' } })
    await fireEvent.click(screen.getByTestId('browse-open'))
    const list = await screen.findByTestId('virtual-list')
    expect(list.getAttribute('data-count')).toBe('100000')
    expect(within(list).getAllByRole('listitem').length).toBeLessThan(60)
  })

  it('asks before overwriting: existing files are skipped unless chosen otherwise', async () => {
    const api = fakeApi({ 'p/': [page('p/', [], [obj('p/a')])] })
    render(BrowsePage, { props: { api } })
    await fireEvent.input(screen.getByTestId('browse-bucket'), { target: { value: 'mm-data' } })
    await fireEvent.input(screen.getByPlaceholderText('timeseries/'), { target: { value: 'p/' } })
    await fireEvent.click(screen.getByTestId('browse-open'))
    await fireEvent.click(await screen.findByText('Download this folder…'))
    expect(((await screen.findByTestId('download-dest')) as HTMLInputElement).value).toBe('/home/me/Downloads/sluice')
    await fireEvent.click(screen.getByTestId('download-choose'))
    expect(api.chooseDownloadDir).toHaveBeenCalledWith('/home/me/Downloads/sluice')
    await vi.waitFor(() => expect((screen.getByTestId('download-dest') as HTMLInputElement).value).toBe('/data/vendor'))
    await fireEvent.click(screen.getByTestId('download-check'))
    const conflict = (await screen.findByTestId('download-conflict')) as HTMLSelectElement
    expect(conflict.value).toBe('skip')
    await fireEvent.click(screen.getByTestId('download-start'))
    expect((await screen.findByTestId('download-summary')).textContent).toContain('1 skipped')
    expect(vi.mocked(api.startDownload).mock.calls[0][0].conflict).toBe('skip')
    expect(vi.mocked(api.startDownload).mock.calls[0][0].dest).toBe('/data/vendor')
  })
})

describe('Browse layout', () => {
  beforeEach(() => localStorage.clear())

  const hourly = Array.from({ length: 12 }, (_, h) => `vendor/company-name-2-2020-09-21-${10 + h}-00-01-3f2c9a1e-7b4d-4e1a-9c2f-1a2b3c4d5e${String(h).padStart(2, '0')}.gz`)

  async function openFolder(api: BrowseApi) {
    render(BrowsePage, { props: { api } })
    await fireEvent.input(screen.getByTestId('browse-bucket'), { target: { value: 'mm-data' } })
    await fireEvent.input(screen.getByPlaceholderText('timeseries/'), { target: { value: 'vendor/' } })
    await fireEvent.click(screen.getByTestId('browse-open'))
    return await screen.findByTestId('virtual-list')
  }

  it('shortens names in the middle, keeps them apart and keeps the whole name in the title', async () => {
    const list = await openFolder(fakeApi({ 'vendor/': [page('vendor/', [], hourly.map((k) => obj(k)))] }))
    const names = [...list.querySelectorAll('[data-kind=object] .name')]
    expect(names.length).toBe(12)
    expect(names.map((n) => n.getAttribute('title'))).toEqual(hourly.map((k) => k.slice('vendor/'.length)))
    const shown = names.map((n) => n.querySelector('[data-shown]')?.textContent ?? '')
    expect(new Set(shown).size).toBe(12)
    for (const text of shown) {
      expect(text).toContain('…')
      expect(text).toMatch(/2020-09-21-\d\d-00-01.*\.gz$/)
    }
    // Screen readers get the whole name.
    expect(within(list).getAllByRole('button').map((b) => b.textContent)).toEqual(hourly.map((k) => expect.stringContaining(k.slice('vendor/'.length))))
  })

  it('moves the splitter from the keyboard and remembers where it was left', async () => {
    await openFolder(fakeApi({ 'vendor/': [page('vendor/', [], [obj('vendor/a.gz')])] }))
    const splitter = screen.getByTestId('browse-splitter')
    expect(splitter.getAttribute('role')).toBe('separator')
    expect(splitter.getAttribute('aria-orientation')).toBe('vertical')
    expect(splitter.getAttribute('tabindex')).toBe('0')
    expect(splitter.getAttribute('aria-label')).toBeTruthy()
    expect(splitter.getAttribute('aria-valuenow')).toBe('45')
    expect([splitter.getAttribute('aria-valuemin'), splitter.getAttribute('aria-valuemax')]).toEqual(['20', '80'])
    await fireEvent.keyDown(splitter, { key: 'ArrowRight' })
    expect(splitter.getAttribute('aria-valuenow')).toBe('47')
    await fireEvent.keyDown(splitter, { key: 'ArrowLeft' })
    await fireEvent.keyDown(splitter, { key: 'ArrowLeft' })
    expect(splitter.getAttribute('aria-valuenow')).toBe('43')
    await fireEvent.keyDown(splitter, { key: 'Home' })
    expect(splitter.getAttribute('aria-valuenow')).toBe('20')
    await fireEvent.keyDown(splitter, { key: 'ArrowLeft' })
    expect(splitter.getAttribute('aria-valuenow')).toBe('20')
    await fireEvent.keyDown(splitter, { key: 'End' })
    expect(splitter.getAttribute('aria-valuenow')).toBe('80')
    expect(localStorage.getItem('sluice.browse.split')).toBe('0.800')
    await fireEvent.keyDown(splitter, { key: 'ArrowLeft', shiftKey: true })
    expect(splitter.getAttribute('aria-valuenow')).toBe('70')
    cleanup()
    await openFolder(fakeApi({ 'vendor/': [page('vendor/', [], [obj('vendor/a.gz')])] }))
    expect(screen.getByTestId('browse-splitter').getAttribute('aria-valuenow')).toBe('70')
  })

  it('ignores a remembered split that makes no sense', async () => {
    localStorage.setItem('sluice.browse.split', 'wide')
    await openFolder(fakeApi({ 'vendor/': [page('vendor/', [], [obj('vendor/a.gz')])] }))
    expect(screen.getByTestId('browse-splitter').getAttribute('aria-valuenow')).toBe('45')
  })

  it('gives the preview the whole width and brings the list back with the button or Escape', async () => {
    await openFolder(fakeApi({ 'vendor/': [page('vendor/', [], [obj('vendor/a.gz')])] }))
    expect(screen.queryByTestId('preview-full-width')).toBeNull()
    await fireEvent.click(await screen.findByText('a.gz'))
    await screen.findByTestId('preview-table')
    const toggle = screen.getByTestId('preview-full-width')
    expect(toggle.textContent).toBe('Full width')
    await fireEvent.click(toggle)
    expect(screen.queryByTestId('virtual-list')).toBeNull()
    expect(screen.queryByTestId('browse-splitter')).toBeNull()
    expect(screen.getByTestId('preview-table')).toBeTruthy()
    expect(toggle.textContent).toBe('Show the list')
    expect(toggle.getAttribute('aria-keyshortcuts')).toBe('Escape')
    await fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.getByTestId('virtual-list')).toBeTruthy()
    expect(document.activeElement).toBe(toggle)
    await fireEvent.click(toggle)
    expect(screen.queryByTestId('virtual-list')).toBeNull()
    await fireEvent.click(toggle)
    expect(screen.getByTestId('virtual-list')).toBeTruthy()
    expect(screen.getByTestId('browse-splitter')).toBeTruthy()
  })

  it('shows the table with a header row, long cells cut with their whole value in the title', async () => {
    const long = 'x'.repeat(60)
    const wide: Preview = { ...preview, table: { ...preview.table, columns: ['machineRef', 'eventTime', 'note'], rows: [['1013', '2020-09-21 10:00:00.000', long]] } }
    const api = fakeApi({ 'vendor/': [page('vendor/', [], [obj('vendor/a.gz')])] })
    api.s3Preview = vi.fn(() => ok(wide))
    await openFolder(api)
    await fireEvent.click(await screen.findByText('a.gz'))
    const table = await screen.findByTestId('preview-table')
    // The window test looks for `>machineRef</th>` in the page source.
    const heads = [...table.querySelectorAll('th')]
    expect(heads.map((th) => th.outerHTML.endsWith(`>${th.title}</th>`))).toEqual([true, true, true])
    expect(heads.map((th) => th.title)).toEqual(['machineRef', 'eventTime', 'note'])
    expect(within(table).getByText(long).getAttribute('title')).toBe(long)
    expect(within(table).getByText('1013').closest('td')?.classList.contains('num')).toBe(true)
    expect(screen.getByRole('region', { name: /First rows of/ }).getAttribute('tabindex')).toBe('0')
  })
})
