import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import ReportsPage from './ReportsPage.svelte'
import type { AthenaApi } from './athena.svelte'
import type { ReportsApi } from './reports.svelte'
import type { AthenaEstimate, ReportPlan } from '../../ipc'

vi.mock('uplot', () => ({ default: class {} }))

const ok = <T,>(data: T) => Promise.resolve({ status: 'ok' as const, data })

const plan: ReportPlan = {
  bucket: 'mm-data', prefix: 'timeseries/', layout: 'hive', from: '2020-09-21T10', to: '2020-09-21T13', hours: 3, partitions: 3,
  objects: [{ key: 'timeseries/year=2020/month=09/day=21/hour=10/a.gz', size: 5e9, hour: '2020-09-21T10' }],
  bytes: 5e9, missingHours: [], listCalls: 2,
}
const estimate: AthenaEstimate = { partitions: 3, hours: 3, objects: 1, bytes: 5e9, costUsd: 0.025, sql: 'SELECT "eventtime" AS "eventTime"', ddl: 'CREATE EXTERNAL TABLE …' }

describe('Run on Athena', () => {
  it('is suggested for a large plan, estimates, creates the table after a confirmation and runs', async () => {
    const reports = {
      listConnections: vi.fn(() => ok([])),
      savedReports: vi.fn(() => ok([])),
      reportPlan: vi.fn(() => ok(plan)),
      reportDefaultPath: vi.fn(() => ok('/home/me/report.csv')),
    } as unknown as ReportsApi
    const athena: AthenaApi = {
      athenaEstimate: vi.fn(() => ok(estimate)),
      athenaCreateTable: vi.fn(() => ok({ reused: false, queryId: 'q-ddl', message: 'telemetry.mm created' })),
      startAthena: vi.fn((_s, _t, _o, _r, onEvent) => {
        onEvent({ job: 4, progress: { queryId: 'q1', state: 'RUNNING', scannedBytes: 1e9, seconds: 2 } })
        return ok({ path: '/home/me/report.csv', rows: 1234, queryId: 'q1', scannedBytes: 5e9, costUsd: 0.025, seconds: 9 })
      }),
      cancelJob: vi.fn(() => ok(true)),
    }
    render(ReportsPage, { api: reports, athenaApi: athena })
    await fireEvent.input(screen.getByTestId('report-bucket'), { target: { value: 'mm-data' } })
    await fireEvent.input(screen.getByTestId('report-from'), { target: { value: '2020-09-21T10:00' } })
    await fireEvent.input(screen.getByTestId('report-to'), { target: { value: '2020-09-21T13:00' } })
    await fireEvent.click(screen.getByTestId('report-plan'))
    expect((await screen.findByTestId('athena-panel')).textContent).toContain('Athena reads it in AWS')
    await fireEvent.click(screen.getByTestId('athena-open'))
    await fireEvent.input(screen.getByTestId('athena-workgroup'), { target: { value: 'reports' } })
    await fireEvent.click(screen.getByTestId('athena-estimate'))
    expect((await screen.findByTestId('athena-estimate-summary')).textContent).toContain('$0.0250')
    expect(athena.athenaEstimate).toHaveBeenCalledWith(expect.objectContaining({ bucket: 'mm-data' }), { workgroup: 'reports', database: 'default', table: 'machinemetrics', output: null })
    await fireEvent.click(screen.getByTestId('athena-create'))
    expect(athena.athenaCreateTable).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByText('Create the table'))
    expect(athena.athenaCreateTable).toHaveBeenCalledTimes(1)
    await fireEvent.click(screen.getByTestId('athena-run'))
    expect((await screen.findByTestId('athena-result')).textContent).toContain('1,234')
    expect(screen.getByTestId('athena-progress').textContent).toContain('RUNNING')
  })
})
