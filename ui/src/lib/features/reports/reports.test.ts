import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import ReportsPage from './ReportsPage.svelte'
import CoverageChart from './CoverageChart.svelte'
import { ALL_COLUMNS, parseMachines, ReportsStore, toHour, type ReportsApi } from './reports.svelte'
import type { ReportJobEvent, ReportPlan, ReportResult, SavedReport } from '../../ipc'

// uPlot draws on a canvas, which jsdom lacks: record what the chart is given instead.
const plots = vi.hoisted(() => [] as { opts: { series: { label?: string }[] }; data: number[][] }[])
vi.mock('uplot', () => ({
  default: class {
    static tzDate = (d: Date) => d
    static paths = {}
    constructor(opts: (typeof plots)[number]['opts'], data: number[][]) {
      plots.push({ opts, data })
    }
    destroy() {}
  },
}))

const ok = <T,>(data: T) => Promise.resolve({ status: 'ok' as const, data })

const plan: ReportPlan = {
  bucket: 'mm-data',
  prefix: 'timeseries/',
  layout: 'hive',
  from: '2020-09-21T10',
  to: '2020-09-21T13',
  hours: 3,
  partitions: 2,
  objects: [
    { key: 'timeseries/year=2020/month=09/day=21/hour=10/a.gz', size: 100, hour: '2020-09-21T10' },
    { key: 'timeseries/year=2020/month=09/day=21/hour=12/b.gz', size: 100, hour: '2020-09-21T12' },
  ],
  bytes: 200,
  missingHours: ['2020-09-21T11'],
  listCalls: 3,
}

const result: ReportResult = {
  path: '/home/me/report.csv',
  rows: 60,
  objects: 2,
  bytes: 200,
  missingHours: ['2020-09-21T11'],
  coverage: { hours: ['2020-09-21T10', '2020-09-21T11', '2020-09-21T12'], emptyHours: ['2020-09-21T11'], machines: [] },
  seconds: 0.2,
}

function fakeApi(): ReportsApi {
  let saved: SavedReport[] = []
  return {
    listConnections: vi.fn(() => ok([])),
    reportPlan: vi.fn(() => ok(plan)),
    reportDefaultPath: vi.fn(() => ok('/home/me/report.csv')),
    reportChooseOutput: vi.fn(() => ok('/home/me/chosen.csv')),
    startReport: vi.fn((_spec, _out, _replace, onEvent: (e: ReportJobEvent) => void) => {
      onEvent({ job: 7, progress: { objectsDone: 1, objects: 2, bytesDone: 100, bytes: 200, rows: 30, etaSeconds: 1 } })
      return ok(result)
    }),
    startCoverage: vi.fn(() => ok({ ...result, path: null })),
    cancelJob: vi.fn(() => ok(true)),
    reportSaveCoverage: vi.fn(() => ok('/home/me/coverage.csv')),
    savedReports: vi.fn(() => ok(saved)),
    saveReport: vi.fn((s: SavedReport) => {
      saved = [s]
      return ok(saved)
    }),
    deleteReport: vi.fn(() => {
      saved = []
      return ok(saved)
    }),
    openPath: vi.fn(() => ok(null)),
  }
}

describe('the report definition', () => {
  it('turns the form into a spec: hours, machines, columns only when chosen', () => {
    const store = new ReportsStore(fakeApi())
    store.bucket = ' mm-data '
    store.from = '2020-09-21T10:00'
    store.to = '2020-09-21T13:00'
    store.machines = '1013, 1014 1015'
    store.key = 'X1load'
    expect(store.spec).toMatchObject({
      bucket: 'mm-data',
      range: { kind: 'absolute', from: '2020-09-21T10', to: '2020-09-21T13' },
      filters: { machines: ['1013', '1014', '1015'], key: 'X1load', type: null },
      columns: [],
      format: 'csv',
    })
    store.moveColumn('machineRef', -1)
    store.toggleColumn('description')
    expect(store.spec.columns?.slice(0, 4)).toEqual(['eventTime', 'processTime', 'machineRef', 'companyId'])
    expect(store.spec.columns).not.toContain('description')
    store.rangeKind = 'lastDays'
    store.lastN = 7
    expect(store.spec.range).toEqual({ kind: 'lastDays', days: 7 })
    expect(toHour('2020-09-21T10:00')).toBe('2020-09-21T10')
    expect(parseMachines(' ;1013;;1014 ')).toEqual(['1013', '1014'])
  })

  it('loads a saved definition back into the form', () => {
    const store = new ReportsStore(fakeApi())
    store.load({ bucket: 'b', prefix: 'p/', range: { kind: 'lastHours', hours: 6 }, columns: ['value', 'eventTime'] })
    expect(store.rangeKind).toBe('lastHours')
    expect(store.lastN).toBe(6)
    expect(store.columns).toEqual(['value', 'eventTime'])
    store.load({ bucket: 'b', prefix: 'p/', range: { kind: 'absolute', from: '2020-09-21T10', to: '2020-09-21T12' } })
    expect(store.columns).toEqual([...ALL_COLUMNS])
    expect(store.from).toBe('2020-09-21T10:00')
  })
})

describe('the Reports page', () => {
  it('plans first, names the missing hours, runs with progress and offers to open the file', async () => {
    const api = fakeApi()
    render(ReportsPage, { api })
    await fireEvent.input(screen.getByTestId('report-bucket'), { target: { value: 'mm-data' } })
    await fireEvent.input(screen.getByTestId('report-from'), { target: { value: '2020-09-21T10:00' } })
    await fireEvent.input(screen.getByTestId('report-to'), { target: { value: '2020-09-21T13:00' } })
    await fireEvent.click(screen.getByTestId('report-plan'))
    expect((await screen.findByTestId('report-missing-hours')).textContent).toContain('2020-09-21T11')
    expect((screen.getByTestId('report-output') as HTMLInputElement).value).toBe('/home/me/report.csv')
    expect(api.startReport).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByTestId('report-run'))
    expect((await screen.findByTestId('report-rows')).textContent).toContain('60')
    expect(api.startReport).toHaveBeenCalledWith(expect.objectContaining({ bucket: 'mm-data' }), '/home/me/report.csv', false, expect.any(Function))
    expect(screen.getByText('No rows matched: widen the range or the filters.')).toBeTruthy()
    await fireEvent.click(screen.getByTestId('report-reveal'))
    expect(api.openPath).toHaveBeenCalledWith('/home/me/report.csv', 'reveal')
  })

  it('saves a definition and runs it again in one click', async () => {
    const api = fakeApi()
    render(ReportsPage, { api })
    expect(await screen.findByText(/Nothing saved yet/)).toBeTruthy()
    await fireEvent.input(screen.getByTestId('report-bucket'), { target: { value: 'mm-data' } })
    await fireEvent.change(screen.getByTestId('report-range-kind'), { target: { value: 'lastDays' } })
    await fireEvent.input(screen.getByTestId('report-save-name'), { target: { value: 'Weekly' } })
    await fireEvent.click(screen.getByTestId('report-save'))
    expect(await screen.findByText('Weekly')).toBeTruthy()
    expect(api.saveReport).toHaveBeenCalledWith(expect.objectContaining({ name: 'Weekly', spec: expect.objectContaining({ range: { kind: 'lastDays', days: 7 } }) }), false)
    await fireEvent.click(screen.getByTestId('saved-run'))
    expect((await screen.findByTestId('report-rows')).textContent).toContain('60')
    expect(api.reportPlan).toHaveBeenCalledTimes(1)
  })
})

describe('the coverage chart', () => {
  it('draws one series per machine and counts the hours with gaps', () => {
    plots.length = 0
    const coverage = {
      hours: ['2020-09-21T10', '2020-09-21T11', '2020-09-21T12'],
      emptyHours: [],
      machines: [
        { machine: '1013', rows: 20, firstEvent: null, lastEvent: null, missingHours: 0, perHour: [10, 5, 5] },
        { machine: '1014', rows: 10, firstEvent: null, lastEvent: null, missingHours: 1, perHour: [5, 0, 5] },
      ],
    }
    render(CoverageChart, { coverage })
    expect(screen.getByTestId('coverage-chart').dataset.gaps).toBe('1')
    expect(plots[0].opts.series.map((s) => s.label)).toEqual(['Hour (UTC)', 'machine 1013', 'machine 1014'])
    expect(plots[0].data[0]).toEqual([1600682400, 1600686000, 1600689600, 1600693200])
    expect(plots[0].data[2]).toEqual([5, 0, 5, 5])
  })
})
